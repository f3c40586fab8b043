/*
 * TCP and UDP per-vnet state (sys/netinet/tcp_input.c, tcp_subr.c,
 * udp_usrreq.c).
 */
#include "tcp_var.h"
#include "udp_var.h"
#include "counter.h"
#include "linker_set.h"

VNET_PCPUSTAT_DEFINE(struct tcpstat, tcpstat);
VNET_DEFINE(counter_u64_t, tcps_states[TCP_NSTATES]);
VNET_DEFINE(int, tcp_mssdflt) = 536;
VNET_DEFINE(int, tcp_do_rfc1323) = 1;

VNET_PCPUSTAT_DEFINE(struct udpstat, udpstat);
