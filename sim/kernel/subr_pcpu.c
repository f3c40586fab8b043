/*
 * Dynamic per-CPU data (sys/kern/subr_pcpu.c): CPU n's copy of the set_pcpu
 * master image lives at the master address + dpcpu_off[n]; dpcpu_off[n] is
 * zero for an absent CPU. The module reserve is part of the set.
 */
#include "pcpu.h"

uintptr_t dpcpu_off[MAXCPU];
struct pcpu *cpuid_to_pcpu[MAXCPU];
struct cpuhead cpuhead = STAILQ_HEAD_INITIALIZER(cpuhead);

DPCPU_DEFINE_STATIC(char, modspace[DPCPU_MODMIN] __aligned(__alignof(void *)));

uintptr_t dpcpu_bytes(void);

/* Also keeps the linker's __start_/__stop_set_pcpu (PROVIDEd) defined. */
uintptr_t
dpcpu_bytes(void)
{
	return ((uintptr_t)&__stop_set_pcpu - (uintptr_t)&__start_set_pcpu);
}
