/*
 * Interface addresses and list heads (net/if_var.h), the output queue
 * embedded in every ifnet (net/altq/if_altq.h), and the driver method
 * types. struct ifnet itself is in if_private.h (14.x) or below (12.x,
 * where it still lived in if_var.h).
 */
#ifndef SIM_IF_VAR_H
#define SIM_IF_VAR_H

#include "param.h"
#include "queue.h"
#include "lock.h"
#include "counter.h"
#include "socket.h"
#include "if.h"

struct ifnet;
struct ifaddr;
struct ifmultiaddr;
struct ifg_group;
struct ifg_list;
struct mbuf;
struct route;
struct rtentry;
struct rt_addrinfo;
struct carp_softc;
struct carp_if;
struct ifvlantrunk;
struct bpf_if;
struct label;
struct netmap_adapter;
struct vnet;
struct m_snd_tag;
struct if_encap_req;
struct altq_pktattr;
struct tb_regulator;
struct top_cdnr;

CK_STAILQ_HEAD(ifnethead, ifnet);
CK_STAILQ_HEAD(ifaddrhead, ifaddr);
CK_STAILQ_HEAD(ifmultihead, ifmultiaddr);
CK_STAILQ_HEAD(ifgrouphead, ifg_group);

typedef struct ifnet *if_t;

typedef int (*if_output_fn_t)(struct ifnet *, struct mbuf *,
    const struct sockaddr *, struct route *);
typedef void (*if_input_fn_t)(if_t, struct mbuf *);
typedef void (*if_start_fn_t)(if_t);
typedef int (*if_ioctl_fn_t)(if_t, u_long, caddr_t);
typedef void (*if_init_fn_t)(void *);
typedef void (*if_qflush_fn_t)(if_t);
typedef int (*if_transmit_fn_t)(if_t, struct mbuf *);
typedef uint64_t (*if_get_counter_t)(if_t, ift_counter);
typedef void (*if_reassign_fn_t)(if_t, struct vnet *, char *);

union if_snd_tag_alloc_params;
union if_snd_tag_modify_params;
union if_snd_tag_query_params;
struct if_ratelimit_query_results;
typedef int (if_snd_tag_alloc_t)(struct ifnet *, union if_snd_tag_alloc_params *,
    struct m_snd_tag **);
typedef int (if_snd_tag_modify_t)(struct m_snd_tag *, union if_snd_tag_modify_params *);
typedef int (if_snd_tag_query_t)(struct m_snd_tag *, union if_snd_tag_query_params *);
typedef void (if_snd_tag_free_t)(struct m_snd_tag *);
typedef void (if_ratelimit_query_t)(if_t, struct if_ratelimit_query_results *);
typedef int (if_ratelimit_setup_t)(if_t, uint64_t, uint32_t);

/* 160 bytes on LP64. */
struct ifaltq {
	struct mbuf *ifq_head;
	struct mbuf *ifq_tail;
	int ifq_len;
	int ifq_maxlen;
	struct mtx ifq_mtx;
	struct mbuf *ifq_drv_head;
	struct mbuf *ifq_drv_tail;
	int ifq_drv_len;
	int ifq_drv_maxlen;
	int altq_type;
	int altq_flags;
	void *altq_disc;
	struct ifnet *altq_ifp;
	int (*altq_enqueue)(struct ifaltq *, struct mbuf *, struct altq_pktattr *);
	struct mbuf *(*altq_dequeue)(struct ifaltq *, int);
	int (*altq_request)(struct ifaltq *, int, void *);
	void *altq_clfier;
	void *(*altq_classify)(void *, struct mbuf *, int);
	struct tb_regulator *altq_tbr;
	struct top_cdnr *altq_cdnr;
};

/*
 * One address of an interface; always the first member of a larger
 * per-family structure (in_ifaddr, in6_ifaddr) that holds the sockaddrs.
 */
struct ifaddr {
	struct sockaddr *ifa_addr;
	struct sockaddr *ifa_dstaddr;
	struct sockaddr *ifa_netmask;
	struct ifnet *ifa_ifp;
	struct carp_softc *ifa_carp;
	CK_STAILQ_ENTRY(ifaddr) ifa_link;
#if SIM_OSVER < 13
	void (*ifa_rtrequest)(int, struct rtentry *, struct rt_addrinfo *);
#endif
	u_short ifa_flags;
	u_int ifa_refcnt;
	counter_u64_t ifa_ipackets;
	counter_u64_t ifa_opackets;
	counter_u64_t ifa_ibytes;
	counter_u64_t ifa_obytes;
	struct epoch_context ifa_epoch_ctx;
};

#if SIM_OSVER < 14
/* 12.x layout: no if_numa_domain, no capabilities2, no if_addmultitask. */
struct ifnet {
	CK_STAILQ_ENTRY(ifnet) if_link;
	LIST_ENTRY(ifnet) if_clones;
	CK_STAILQ_HEAD(, ifg_list) if_groups;
	u_char if_alloctype;
	void *if_softc;
	void *if_llsoftc;
	void *if_l2com;
	const char *if_dname;
	int if_dunit;
	u_short if_index;
	short if_index_reserved;
	char if_xname[IFNAMSIZ];
	char *if_description;
	int if_flags;
	int if_drv_flags;
	int if_capabilities;
	int if_capenable;
	void *if_linkmib;
	size_t if_linkmiblen;
	u_int if_refcount;
	uint8_t if_type;
	uint8_t if_addrlen;
	uint8_t if_hdrlen;
	uint8_t if_link_state;
	uint32_t if_mtu;
	uint32_t if_metric;
	uint64_t if_baudrate;
	uint64_t if_hwassist;
	time_t if_epoch;
	struct timeval if_lastchange;
	struct ifaltq if_snd;
	struct task if_linktask;
	struct mtx if_addr_lock;
	struct ifaddrhead if_addrhead;
	struct ifmultihead if_multiaddrs;
	int if_amcount;
	struct ifaddr *if_addr;
	void *if_hw_addr;
	const u_int8_t *if_broadcastaddr;
	struct mtx if_afdata_lock;
	void *if_afdata[AF_MAX];
	int if_afdata_initialized;
	u_int if_fib;
	struct vnet *if_vnet;
	struct vnet *if_home_vnet;
	struct ifvlantrunk *if_vlantrunk;
	struct bpf_if *if_bpf;
	int if_pcount;
	void *if_bridge;
	void *if_lagg;
	void *if_pf_kif;
	struct carp_if *if_carp;
	struct label *if_label;
	struct netmap_adapter *if_netmap;
	int (*if_output)(struct ifnet *, struct mbuf *, const struct sockaddr *,
	    struct route *);
	void (*if_input)(struct ifnet *, struct mbuf *);
	struct mbuf *(*if_bridge_input)(struct ifnet *, struct mbuf *);
	int (*if_bridge_output)(struct ifnet *, struct mbuf *, struct sockaddr *,
	    struct rtentry *);
	void (*if_bridge_linkstate)(struct ifnet *ifp);
	if_start_fn_t if_start;
	if_ioctl_fn_t if_ioctl;
	if_init_fn_t if_init;
	int (*if_resolvemulti)(struct ifnet *, struct sockaddr **, struct sockaddr *);
	if_qflush_fn_t if_qflush;
	if_transmit_fn_t if_transmit;
	void (*if_reassign)(struct ifnet *, struct vnet *, char *);
	if_get_counter_t if_get_counter;
	int (*if_requestencap)(struct ifnet *, struct if_encap_req *);
	counter_u64_t if_counters[IFCOUNTERS];
	u_int if_hw_tsomax;
	u_int if_hw_tsomaxsegcount;
	u_int if_hw_tsomaxsegsize;
	if_snd_tag_alloc_t *if_snd_tag_alloc;
	if_snd_tag_modify_t *if_snd_tag_modify;
	if_snd_tag_query_t *if_snd_tag_query;
	if_snd_tag_free_t *if_snd_tag_free;
	uint8_t if_pcp;
	struct netdump_methods *if_netdump_methods;
	struct epoch_context if_epoch_ctx;
	int if_ispare[4];
};
#endif

uint64_t if_get_counter_default(struct ifnet *ifp, ift_counter cnt);

#endif /* SIM_IF_VAR_H */
