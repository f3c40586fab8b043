/*
 * IPv4 statistics (netinet/ip_var.h), 29 counters.
 */
#ifndef SIM_IP_VAR_H
#define SIM_IP_VAR_H

#include "sys_types.h"

#define IPDEFTTL 64

struct ipstat {
	uint64_t ips_total;
	uint64_t ips_badsum;
	uint64_t ips_tooshort;
	uint64_t ips_toosmall;
	uint64_t ips_badhlen;
	uint64_t ips_badlen;
	uint64_t ips_fragments;
	uint64_t ips_fragdropped;
	uint64_t ips_fragtimeout;
	uint64_t ips_forward;
	uint64_t ips_fastforward;
	uint64_t ips_cantforward;
	uint64_t ips_redirectsent;
	uint64_t ips_noproto;
	uint64_t ips_delivered;
	uint64_t ips_localout;
	uint64_t ips_odropped;
	uint64_t ips_reassembled;
	uint64_t ips_fragmented;
	uint64_t ips_ofragments;
	uint64_t ips_cantfrag;
	uint64_t ips_badoptions;
	uint64_t ips_noroute;
	uint64_t ips_badvers;
	uint64_t ips_rawout;
	uint64_t ips_toolong;
	uint64_t ips_notmember;
	uint64_t ips_nogif;
	uint64_t ips_badaddr;
};

#endif /* SIM_IP_VAR_H */
