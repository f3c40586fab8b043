/*
 * Machine-dependent globals. amd64 (14.x) keeps the per-CPU pages behind a
 * pointer, __pcpu, and counter(9) handles are offsets from its value;
 * amd64 12.x and arm64 have an array of struct pcpu and absolute handles.
 * KPML4phys is the physical address of the amd64 kernel's top page table.
 */
#include "pcpu.h"

#if defined(SIM_AMD64) && SIM_OSVER >= 14
struct pcpu *__pcpu;
struct pcpu temp_bsp_pcpu;
#else
struct pcpu __pcpu[MAXCPU];
#endif

#if defined(SIM_AMD64)
vm_paddr_t KPML4phys;
#endif
