/*
 * struct pcpu (sys/sys/pcpu.h): the machine-independent fields first, at
 * offsets that stay put across CPU models, then the machine-dependent tail.
 * Also the DPCPU globals libkvm reads: dpcpu_off[], cpuid_to_pcpu[].
 */
#ifndef SIM_PCPU_H
#define SIM_PCPU_H

#include "param.h"
#include "queue.h"
#include "lock.h"
#include "linker_set.h"

#if defined(SIM_AMD64)
#include "pcpu_md_amd64.h"
#else
#include "pcpu_md_arm64.h"
#endif

struct thread;
struct pcb;
struct lock_list_entry;
#if SIM_OSVER >= 14
struct _device;
#else
struct device;
#endif

struct pcpu {
	struct thread *pc_curthread;
	struct thread *pc_idlethread;
	struct thread *pc_fpcurthread;
	struct thread *pc_deadthread;
	struct pcb *pc_curpcb;
#if SIM_OSVER >= 14
	void *pc_sched;
#endif
	uint64_t pc_switchtime;
	int pc_switchticks;
	u_int pc_cpuid;
	STAILQ_ENTRY(pcpu) pc_allcpu;
	struct lock_list_entry *pc_spinlocks;
	long pc_cp_time[CPUSTATES];
#if SIM_OSVER >= 14
	struct _device *pc_device;
#else
	struct device *pc_device;
#endif
	void *pc_netisr;
#if SIM_OSVER >= 14
	int8_t pc_vfs_freevnodes;
	char pc_unused1[3];
#else
	int pc_unused1;
#endif
	int pc_domain;
	struct rm_queue pc_rm_queue;
	uintptr_t pc_dynamic;
	uint64_t pc_early_dummy_counter;
#if SIM_OSVER >= 14
	uintptr_t pc_zpcpu_offset;
#endif
	PCPU_MD_FIELDS;
} __aligned(CACHE_LINE_SIZE);

STAILQ_HEAD(cpuhead, pcpu);

extern struct cpuhead cpuhead;
extern struct pcpu *cpuid_to_pcpu[MAXCPU];
extern uintptr_t dpcpu_off[MAXCPU];

#endif /* SIM_PCPU_H */
