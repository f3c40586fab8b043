/*
 * Every modelled header, for the translation units that want all types.
 */
#ifndef SIM_ALL_TYPES_H
#define SIM_ALL_TYPES_H

#include "sys_types.h"
#include "param.h"
#include "queue.h"
#include "lock.h"
#include "counter.h"
#include "linker_set.h"
#include "signal.h"
#include "pcb.h"
#include "pcpu.h"
#include "proc.h"
#include "ucred.h"
#include "jail.h"
#include "vnet.h"
#include "socket.h"
#include "if.h"
#include "if_var.h"
#include "if_private.h"
#include "in_var.h"
#include "tcp_var.h"
#include "udp_var.h"
#include "ip_var.h"
#include "icmp_var.h"
#include "ip6_var.h"
#include "icmp6.h"

#endif /* SIM_ALL_TYPES_H */
