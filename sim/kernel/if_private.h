/*
 * struct ifnet of FreeBSD 14 (net/if_private.h, where it moved from
 * if_var.h in 14.0). Offsets on LP64: if_index 84, if_xname 88, if_flags
 * 112, if_mtu 160, if_addrhead 464, if_addr 504, if_vnet 920,
 * if_get_counter 1104, if_counters 1120; sizeof 1304.
 */
#ifndef SIM_IF_PRIVATE_H
#define SIM_IF_PRIVATE_H

#include "if_var.h"

#if SIM_OSVER >= 14
struct debugnet_methods;

struct ifnet {
	CK_STAILQ_ENTRY(ifnet) if_link;
	LIST_ENTRY(ifnet) if_clones;
	CK_STAILQ_HEAD(, ifg_list) if_groups;
	u_char if_alloctype;
	uint8_t if_numa_domain;
	void *if_softc;
	void *if_llsoftc;
	void *if_l2com;
	const char *if_dname;
	int if_dunit;
	u_short if_index;
	u_short if_idxgen;
	char if_xname[IFNAMSIZ];
	char *if_description;
	int if_flags;
	int if_drv_flags;
	int if_capabilities;
	int if_capabilities2;
	int if_capenable;
	int if_capenable2;
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
	struct task if_addmultitask;
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
	if_output_fn_t if_output;
	if_input_fn_t if_input;
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
	if_reassign_fn_t if_reassign;
	if_get_counter_t if_get_counter;
	int (*if_requestencap)(struct ifnet *, struct if_encap_req *);
	counter_u64_t if_counters[IFCOUNTERS];
	u_int if_hw_tsomax;
	u_int if_hw_tsomaxsegcount;
	u_int if_hw_tsomaxsegsize;
	if_snd_tag_alloc_t *if_snd_tag_alloc;
	if_ratelimit_query_t *if_ratelimit_query;
	if_ratelimit_setup_t *if_ratelimit_setup;
	uint8_t if_pcp;
	struct debugnet_methods *if_debugnet_methods;
	struct epoch_context if_epoch_ctx;
	int if_ispare[4];
};
#endif

#endif /* SIM_IF_PRIVATE_H */
