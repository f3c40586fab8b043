/*
 * amd64 machine-dependent tail of struct pcpu (machine/pcpu.h).
 * struct pcpu is exactly one page on amd64:
 * counter(9) relies on it (CPU n's struct pcpu is at __pcpu + n * 4096).
 */
#ifndef SIM_PCPU_MD_AMD64_H
#define SIM_PCPU_MD_AMD64_H

#include "sys_types.h"
#include "segments_amd64.h"

#define PC_PTI_STACK_SZ 16
#define NGDT 13

struct pmap;
struct pcpu;

#if SIM_OSVER >= 14

struct monitorbuf {
	int idle_state;
	int stop_state;
	char padding[128 - (2 * sizeof(int))];
};

/* pc_prvspace (the self pointer) lands at 0x180. */
#define PCPU_MD_FIELDS \
	struct monitorbuf pc_monitorbuf __aligned(128); \
	struct pcpu *pc_prvspace; \
	struct pmap *pc_curpmap; \
	struct amd64tss *pc_tssp; \
	void *pc_pad0; \
	uint64_t pc_kcr3; \
	uint64_t pc_ucr3; \
	uint64_t pc_saved_ucr3; \
	register_t pc_rsp0; \
	register_t pc_scratch_rsp; \
	register_t pc_scratch_rax; \
	u_int pc_apic_id; \
	u_int pc_acpi_id; \
	struct user_segment_descriptor *pc_fs32p; \
	struct user_segment_descriptor *pc_gs32p; \
	struct system_segment_descriptor *pc_ldt; \
	struct system_segment_descriptor *pc_tss; \
	uint64_t pc_pm_save_cnt; \
	u_int pc_cmci_mask; \
	uint64_t pc_dbreg[16]; \
	uint64_t pc_pti_stack[PC_PTI_STACK_SZ]; \
	register_t pc_pti_rsp0; \
	int pc_dbreg_cmd; \
	u_int pc_vcpu_id; \
	uint32_t pc_pcid_next; \
	uint32_t pc_pcid_gen; \
	uint32_t pc_unused; \
	uint32_t pc_ibpb_set; \
	void *pc_mds_buf; \
	void *pc_mds_buf64; \
	uint32_t pc_pad[2]; \
	uint8_t pc_mds_tmp[64]; \
	u_int pc_ipi_bitmap; \
	struct amd64tss pc_common_tss; \
	struct user_segment_descriptor pc_gdt[NGDT]; \
	void *pc_smp_tlb_pmap; \
	uint64_t pc_smp_tlb_addr1; \
	uint64_t pc_smp_tlb_addr2; \
	uint32_t pc_smp_tlb_gen; \
	u_int pc_smp_tlb_op; \
	uint64_t pc_ucr3_load_mask; \
	char __pad[2916]

#else /* 12.x */

#define PCPU_MD_FIELDS \
	char pc_monitorbuf[128] __aligned(128); \
	struct pcpu *pc_prvspace; \
	struct pmap *pc_curpmap; \
	struct amd64tss *pc_tssp; \
	struct amd64tss *pc_commontssp; \
	uint64_t pc_kcr3; \
	uint64_t pc_ucr3; \
	uint64_t pc_saved_ucr3; \
	register_t pc_rsp0; \
	register_t pc_scratch_rsp; \
	register_t pc_scratch_rax; \
	u_int pc_apic_id; \
	u_int pc_acpi_id; \
	struct user_segment_descriptor *pc_fs32p; \
	struct user_segment_descriptor *pc_gs32p; \
	struct system_segment_descriptor *pc_ldt; \
	struct system_segment_descriptor *pc_tss; \
	uint64_t pc_pm_save_cnt; \
	u_int pc_cmci_mask; \
	uint64_t pc_dbreg[16]; \
	uint64_t pc_pti_stack[PC_PTI_STACK_SZ]; \
	register_t pc_pti_rsp0; \
	int pc_dbreg_cmd; \
	u_int pc_vcpu_id; \
	uint32_t pc_pcid_next; \
	uint32_t pc_pcid_gen; \
	uint32_t pc_smp_tlb_done; \
	uint32_t pc_ibpb_set; \
	char __pad[3288]

#endif

#endif /* SIM_PCPU_MD_AMD64_H */
