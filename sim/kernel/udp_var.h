/*
 * UDP statistics (netinet/udp_var.h), 14 counters.
 */
#ifndef SIM_UDP_VAR_H
#define SIM_UDP_VAR_H

#include "sys_types.h"

struct udpstat {
	uint64_t udps_ipackets;
	uint64_t udps_hdrops;
	uint64_t udps_badsum;
	uint64_t udps_nosum;
	uint64_t udps_badlen;
	uint64_t udps_noport;
	uint64_t udps_noportbcast;
	uint64_t udps_fullsock;
	uint64_t udpps_pcbcachemiss;
	uint64_t udpps_pcbhashmiss;
	uint64_t udps_opackets;
	uint64_t udps_fastout;
	uint64_t udps_noportmcast;
	uint64_t udps_filtermcast;
};

#endif /* SIM_UDP_VAR_H */
