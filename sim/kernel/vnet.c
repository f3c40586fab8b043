/*
 * The vnet list and the default vnet (sys/net/vnet.c, compiled only with
 * options VIMAGE). vnet_head is newest-first; vnet0 is the last entry and
 * the host's prison0.pr_vnet. The module reserve sits inside set_vnet.
 */
#include "vnet.h"
#include "linker_set.h"

#ifdef VIMAGE
struct vnet_list_head vnet_head;
struct vnet *vnet0;

VNET_DEFINE_STATIC(char, modspace[VNET_MODMIN] __aligned(__alignof(void *)));

uintptr_t vnet_bytes(void);

/* Also keeps the linker's __start_/__stop_set_vnet (PROVIDEd) defined. */
uintptr_t
vnet_bytes(void)
{
	return ((uintptr_t)&__stop_set_vnet - (uintptr_t)&__start_set_vnet);
}
#endif
