/*
 * Saved kernel register state (machine/pcb.h). dumppcb holds the context of
 * the thread that wrote the dump; debuggers read the first registers.
 */
#ifndef SIM_PCB_H
#define SIM_PCB_H

#include "sys_types.h"

#if defined(SIM_AMD64)

struct region_descriptor {
	uint64_t rd_limit:16;
	uint64_t rd_base:64 __packed;
} __packed;

struct amd64tss;
struct savefpu;

/* 320 bytes. */
struct pcb {
	register_t pcb_r15;
	register_t pcb_r14;
	register_t pcb_r13;
	register_t pcb_r12;
	register_t pcb_rbp;
	register_t pcb_rsp;
	register_t pcb_rbx;
	register_t pcb_rip;
	register_t pcb_fsbase;
	register_t pcb_gsbase;
	register_t pcb_kgsbase;
	register_t pcb_cr0;
	register_t pcb_cr2;
	register_t pcb_cr3;
	register_t pcb_cr4;
	register_t pcb_dr0;
	register_t pcb_dr1;
	register_t pcb_dr2;
	register_t pcb_dr3;
	register_t pcb_dr6;
	register_t pcb_dr7;
	struct region_descriptor pcb_gdt;
	struct region_descriptor pcb_idt;
	struct region_descriptor pcb_ldt;
	uint16_t pcb_tr;
	u_int pcb_flags;
	uint16_t pcb_initial_fpucw;
	caddr_t pcb_onfault;
	uint64_t pcb_saved_ucr3;
	struct amd64tss *pcb_tssp;
	register_t pcb_efer;
	register_t pcb_star;
	register_t pcb_lstar;
	register_t pcb_cstar;
	register_t pcb_sfmask;
	struct savefpu *pcb_save;
	uint64_t pcb_pad[5];
};

#else /* arm64 */

struct vfpstate {
	__uint128_t vfp_regs[32];
	uint32_t vfp_fpcr;
	uint32_t vfp_fpsr;
};

struct pcb {
	uint64_t pcb_x[30];
	uint64_t pcb_pc;
	uint64_t pcb_sp;
	uint64_t pcb_tpidr_el0;
	uint64_t pcb_tpidrro_el0;
	vm_offset_t pcb_onfault;
	u_int pcb_flags;
	struct vfpstate *pcb_fpusaved;
	int pcb_fpflags;
	u_int pcb_vfpcpu;
	struct vfpstate pcb_fpustate;
};

#endif

#endif /* SIM_PCB_H */
