/*
 * ICMPv6 statistics (netinet/icmp6.h): 579 counters, including the 13 of
 * the embedded per-error output histogram.
 */
#ifndef SIM_ICMP6_H
#define SIM_ICMP6_H

#include "sys_types.h"

struct icmp6errstat {
	uint64_t icp6errs_dst_unreach_noroute;
	uint64_t icp6errs_dst_unreach_admin;
	uint64_t icp6errs_dst_unreach_beyondscope;
	uint64_t icp6errs_dst_unreach_addr;
	uint64_t icp6errs_dst_unreach_noport;
	uint64_t icp6errs_packet_too_big;
	uint64_t icp6errs_time_exceed_transit;
	uint64_t icp6errs_time_exceed_reassembly;
	uint64_t icp6errs_paramprob_header;
	uint64_t icp6errs_paramprob_nextheader;
	uint64_t icp6errs_paramprob_option;
	uint64_t icp6errs_redirect;
	uint64_t icp6errs_unknown;
};

struct icmp6stat {
	uint64_t icp6s_error;
	uint64_t icp6s_canterror;
	uint64_t icp6s_toofreq;
	uint64_t icp6s_outhist[256];
	uint64_t icp6s_badcode;
	uint64_t icp6s_tooshort;
	uint64_t icp6s_checksum;
	uint64_t icp6s_badlen;
	uint64_t icp6s_dropped;
	uint64_t icp6s_reflect;
	uint64_t icp6s_inhist[256];
	uint64_t icp6s_nd_toomanyopt;
	struct icmp6errstat icp6s_outerrhist;
	uint64_t icp6s_pmtuchg;
	uint64_t icp6s_nd_badopt;
	uint64_t icp6s_badns;
	uint64_t icp6s_badna;
	uint64_t icp6s_badrs;
	uint64_t icp6s_badra;
	uint64_t icp6s_badredirect;
	uint64_t icp6s_overflowdefrtr;
	uint64_t icp6s_overflowprfx;
	uint64_t icp6s_overflownndp;
	uint64_t icp6s_overflowredirect;
	uint64_t icp6s_invlhlim;
	uint64_t icp6s_spare[32];
};

#endif /* SIM_ICMP6_H */
