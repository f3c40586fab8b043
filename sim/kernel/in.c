/*
 * IPv4 per-vnet state (sys/netinet/in.c, ip_input.c, ip_icmp.c).
 */
#include "in_var.h"
#include "ip_var.h"
#include "icmp_var.h"
#include "linker_set.h"

VNET_DEFINE(struct in_ifaddrhead, in_ifaddrhead);
VNET_DEFINE(struct in_ifaddrhashhead *, in_ifaddrhashtbl);
VNET_DEFINE(u_long, in_ifaddrhmask);
VNET_DEFINE(int, ipforwarding);
VNET_DEFINE(int, ip_defttl) = IPDEFTTL;

VNET_PCPUSTAT_DEFINE(struct ipstat, ipstat);
VNET_PCPUSTAT_DEFINE(struct icmpstat, icmpstat);
