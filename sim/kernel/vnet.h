/*
 * struct vnet (sys/net/vnet.h): one virtual network stack. The fixed ABI a
 * reader relies on: magic at 16, vnet_data_mem at 32, vnet_data_base at 40
 * (data_base = data_mem - __start_set_vnet, modulo 2^64).
 */
#ifndef SIM_VNET_H
#define SIM_VNET_H

#include "param.h"
#include "queue.h"

#if SIM_OSVER >= 13
#define VNET_MAGIC_N 0x5e4a6f28
#else
#define VNET_MAGIC_N 0x3e0d8f29
#endif

#if SIM_OSVER >= 13
/* 64 bytes on amd64 (cache-line aligned). */
struct vnet {
	LIST_ENTRY(vnet) vnet_le;
	u_int vnet_magic_n;
	u_int vnet_ifcnt;
	u_int vnet_sockcnt;
	u_int vnet_state;
	void *vnet_data_mem;
	uintptr_t vnet_data_base;
	bool vnet_shutdown;
} __aligned(CACHE_LINE_SIZE);
#else
/* 48 bytes, no alignment attribute, no vnet_shutdown. */
struct vnet {
	LIST_ENTRY(vnet) vnet_le;
	u_int vnet_magic_n;
	u_int vnet_ifcnt;
	u_int vnet_sockcnt;
	u_int vnet_state;
	void *vnet_data_mem;
	uintptr_t vnet_data_base;
};
#endif

LIST_HEAD(vnet_list_head, vnet);

#ifdef VIMAGE
extern struct vnet_list_head vnet_head;
extern struct vnet *vnet0;
#endif

#endif /* SIM_VNET_H */
