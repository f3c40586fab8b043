/*
 * Per-family interface addresses (netinet/in_var.h, netinet6/in6_var.h).
 * Each begins with a struct ifaddr whose ifa_addr/ifa_netmask point back
 * into the sockaddrs held here.
 */
#ifndef SIM_IN_VAR_H
#define SIM_IN_VAR_H

#include "if_var.h"

struct in_ifaddr {
	struct ifaddr ia_ifa;
	u_long ia_subnet;
	u_long ia_subnetmask;
	LIST_ENTRY(in_ifaddr) ia_hash;
	CK_STAILQ_ENTRY(in_ifaddr) ia_link;
	struct sockaddr_in ia_addr;
	struct sockaddr_in ia_dstaddr;
	struct sockaddr_in ia_sockmask;
	struct callout ia_garp_timer;
	int ia_garp_count;
};

CK_STAILQ_HEAD(in_ifaddrhead, in_ifaddr);
LIST_HEAD(in_ifaddrhashhead, in_ifaddr);

struct in6_addrlifetime {
	time_t ia6t_expire;
	time_t ia6t_preferred;
	u_int32_t ia6t_vltime;
	u_int32_t ia6t_pltime;
};

struct nd_prefix;
struct in6_multi_mship;

struct in6_ifaddr {
	struct ifaddr ia_ifa;
	struct sockaddr_in6 ia_addr;
	struct sockaddr_in6 ia_net;
	struct sockaddr_in6 ia_dstaddr;
	struct sockaddr_in6 ia_prefixmask;
	u_int32_t ia_plen;
	CK_STAILQ_ENTRY(in6_ifaddr) ia_link;
	int ia6_flags;
	struct in6_addrlifetime ia6_lifetime;
	time_t ia6_createtime;
	time_t ia6_updatetime;
	struct nd_prefix *ia6_ndpr;
	LIST_HEAD(, in6_multi_mship) ia6_memberships;
	CK_LIST_ENTRY(in6_ifaddr) ia6_hash;
};

CK_STAILQ_HEAD(in6_ifaddrhead, in6_ifaddr);

#endif /* SIM_IN_VAR_H */
