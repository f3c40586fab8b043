/*
 * IPv6 per-vnet state (sys/netinet6/in6.c, ip6_input.c, icmp6.c).
 */
#include "in_var.h"
#include "ip6_var.h"
#include "icmp6.h"
#include "linker_set.h"

VNET_DEFINE(struct in6_ifaddrhead, in6_ifaddrhead);
VNET_DEFINE(int, ip6_defhlim) = IPV6_DEFHLIM;

VNET_PCPUSTAT_DEFINE(struct ip6stat, ip6stat);
VNET_PCPUSTAT_DEFINE(struct icmp6stat, icmp6stat);
