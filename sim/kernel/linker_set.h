/*
 * Placement of virtualized (per-vnet) and dynamic per-CPU variables.
 *
 * A per-vnet variable X is the object `vnet_entry_X` in section set_vnet;
 * a per-CPU variable Y is `pcpu_entry_Y` in section set_pcpu. The linker
 * script brackets each section with __start_/__stop_ symbols. These copies
 * are the master images the kernel copies into every vnet / every CPU.
 *
 * Without VIMAGE a "virtualized" variable is an ordinary global with its
 * plain name, exactly as in a non-VIMAGE FreeBSD kernel.
 */
#ifndef SIM_LINKER_SET_H
#define SIM_LINKER_SET_H

#include "param.h"

#define SIM_IN_SET(setname) __section(setname) __used

#define DPCPU_SETNAME "set_pcpu"
#define DPCPU_SYMPREFIX "pcpu_entry_"
#define DPCPU_MODMIN 2048
#define DPCPU_NAME(n) pcpu_entry_##n
#define DPCPU_DEFINE(t, n) t DPCPU_NAME(n) SIM_IN_SET(DPCPU_SETNAME)
#define DPCPU_DEFINE_STATIC(t, n) static t DPCPU_NAME(n) SIM_IN_SET(DPCPU_SETNAME)

#define VNET_SETNAME "set_vnet"
#define VNET_SYMPREFIX "vnet_entry_"
#define VNET_MODMIN (8 * PAGE_SIZE)

#ifdef VIMAGE
#define VNET_NAME(n) vnet_entry_##n
#define VNET_DEFINE(t, n) t VNET_NAME(n) SIM_IN_SET(VNET_SETNAME)
#define VNET_DEFINE_STATIC(t, n) static t VNET_NAME(n) SIM_IN_SET(VNET_SETNAME)
#else
#define VNET_NAME(n) n
#define VNET_DEFINE(t, n) t n
#define VNET_DEFINE_STATIC(t, n) static t n
#endif

/* One counter(9) handle per 64-bit field of the statistics structure. */
#define VNET_PCPUSTAT_DEFINE(type, name) \
	VNET_DEFINE(counter_u64_t, name[sizeof(type) / sizeof(uint64_t)])

extern uintptr_t *__start_set_pcpu;
extern uintptr_t *__stop_set_pcpu;
#ifdef VIMAGE
extern uintptr_t *__start_set_vnet;
extern uintptr_t *__stop_set_vnet;
#endif

#endif /* SIM_LINKER_SET_H */
