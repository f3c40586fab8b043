/*
 * arm64 machine-dependent tail of struct pcpu (machine/pcpu.h). On arm64
 * struct pcpu is not a page: it is padded so that a whole number of them
 * fills a page (512 bytes with the 128-byte cache line alignment).
 */
#ifndef SIM_PCPU_MD_ARM64_H
#define SIM_PCPU_MD_ARM64_H

#include "sys_types.h"

struct pmap;
typedef int (*pcpu_bp_harden)(void);
typedef int (*pcpu_ssbd)(int);

#define PCPU_MD_FIELDS \
	u_int pc_acpi_id; \
	u_int pc_midr; \
	uint64_t pc_clock; \
	pcpu_bp_harden pc_bp_harden; \
	pcpu_ssbd pc_ssbd; \
	struct pmap *pc_curpmap; \
	struct pmap *pc_curvmpmap; \
	u_int pc_bcast_tlbi_workaround; \
	u_int pc_mpidr; \
	char __pad[201]

#endif /* SIM_PCPU_MD_ARM64_H */
