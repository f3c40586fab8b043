/*
 * Interface lists (sys/net/if.c, if_loop.c). Each vnet has its own ifnet
 * list. The interface index space became global in 14.x (a plain static);
 * on 12.x if_index is still virtualized.
 */
#include "if_private.h"
#include "linker_set.h"

VNET_DEFINE(struct ifnethead, ifnet);
VNET_DEFINE(struct ifgrouphead, ifg_head);
VNET_DEFINE(struct ifnet *, loif);

#if SIM_OSVER >= 14
/* One table of ifnets by index for the whole system. */
static int if_index __used;
static int if_indexlim __used = 8;
static struct ifindex_entry {
	struct ifnet *ife_ifnet;
	uint16_t ife_gencnt;
} *ifindex_table __used;
#else
/* Per-vnet index table. */
VNET_DEFINE(int, if_index);
VNET_DEFINE_STATIC(int, if_indexlim) = 8;
VNET_DEFINE(struct ifnet **, ifindex_table);
#endif

/*
 * The default counter method; an ifnet whose if_get_counter differs lets
 * its driver compute some counters itself.
 */
uint64_t
if_get_counter_default(struct ifnet *ifp, ift_counter cnt)
{
	return (ifp->if_counters[cnt] == NULL ? 0 : 1);
}
