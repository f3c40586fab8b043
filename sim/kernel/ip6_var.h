/*
 * IPv6 statistics (netinet6/ip6_var.h): 415 counters on 14.x, 414 on 12.x
 * (no ip6s_atomicfrags).
 */
#ifndef SIM_IP6_VAR_H
#define SIM_IP6_VAR_H

#include "sys_types.h"

#define IP6S_HDRCNT 256
#define IP6S_M2MMAX 32
#define IP6S_SCOPECNT 16
#define IP6S_RULESMAX 16
#define IPV6_DEFHLIM 64

struct ip6stat {
	uint64_t ip6s_total;
	uint64_t ip6s_tooshort;
	uint64_t ip6s_toosmall;
	uint64_t ip6s_fragments;
	uint64_t ip6s_fragdropped;
	uint64_t ip6s_fragtimeout;
	uint64_t ip6s_fragoverflow;
	uint64_t ip6s_forward;
	uint64_t ip6s_cantforward;
	uint64_t ip6s_redirectsent;
	uint64_t ip6s_delivered;
	uint64_t ip6s_localout;
	uint64_t ip6s_odropped;
	uint64_t ip6s_reassembled;
#if SIM_OSVER >= 14
	uint64_t ip6s_atomicfrags;
#endif
	uint64_t ip6s_fragmented;
	uint64_t ip6s_ofragments;
	uint64_t ip6s_cantfrag;
	uint64_t ip6s_badoptions;
	uint64_t ip6s_noroute;
	uint64_t ip6s_badvers;
	uint64_t ip6s_rawout;
	uint64_t ip6s_badscope;
	uint64_t ip6s_notmember;
	uint64_t ip6s_nxthist[IP6S_HDRCNT];
	uint64_t ip6s_m1;
	uint64_t ip6s_m2m[IP6S_M2MMAX];
	uint64_t ip6s_mext1;
	uint64_t ip6s_mext2m;
	uint64_t ip6s_exthdrtoolong;
	uint64_t ip6s_nogif;
	uint64_t ip6s_toomanyhdr;
	uint64_t ip6s_sources_none;
	uint64_t ip6s_sources_sameif[IP6S_SCOPECNT];
	uint64_t ip6s_sources_otherif[IP6S_SCOPECNT];
	uint64_t ip6s_sources_samescope[IP6S_SCOPECNT];
	uint64_t ip6s_sources_otherscope[IP6S_SCOPECNT];
	uint64_t ip6s_sources_deprecated[IP6S_SCOPECNT];
	uint64_t ip6s_sources_rule[IP6S_RULESMAX];
};

#endif /* SIM_IP6_VAR_H */
