/*
 * ICMP statistics (netinet/icmp_var.h). The members are u_long, 64-bit on
 * LP64, and still counted as 8-byte counter(9) slots: 94 of them.
 */
#ifndef SIM_ICMP_VAR_H
#define SIM_ICMP_VAR_H

#include "sys_types.h"

#define ICMP_MAXTYPE 40

struct icmpstat {
	u_long icps_error;
	u_long icps_oldshort;
	u_long icps_oldicmp;
	u_long icps_outhist[ICMP_MAXTYPE + 1];
	u_long icps_badcode;
	u_long icps_tooshort;
	u_long icps_checksum;
	u_long icps_badlen;
	u_long icps_reflect;
	u_long icps_inhist[ICMP_MAXTYPE + 1];
	u_long icps_bmcastecho;
	u_long icps_bmcasttstamp;
	u_long icps_badaddr;
	u_long icps_noroute;
};

#endif /* SIM_ICMP_VAR_H */
