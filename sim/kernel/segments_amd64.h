/*
 * x86-64 task state segment and descriptor layouts (machine/tss.h,
 * machine/segments.h), embedded in struct pcpu and struct mdproc.
 */
#ifndef SIM_SEGMENTS_AMD64_H
#define SIM_SEGMENTS_AMD64_H

#include "sys_types.h"

/* 64-bit task state segment, 104 bytes, packed (machine/tss.h). */
struct amd64tss {
	uint32_t tss_rsvd0;
	uint64_t tss_rsp0 __packed;
	uint64_t tss_rsp1 __packed;
	uint64_t tss_rsp2 __packed;
	uint32_t tss_rsvd1;
	uint32_t tss_rsvd2;
	uint64_t tss_ist1 __packed;
	uint64_t tss_ist2 __packed;
	uint64_t tss_ist3 __packed;
	uint64_t tss_ist4 __packed;
	uint64_t tss_ist5 __packed;
	uint64_t tss_ist6 __packed;
	uint64_t tss_ist7 __packed;
	uint32_t tss_rsvd3;
	uint32_t tss_rsvd4;
	uint16_t tss_rsvd5;
	uint16_t tss_iobase;
};

/* A code/data segment descriptor, 8 bytes (machine/segments.h). */
struct user_segment_descriptor {
	uint64_t sd_lolimit:16;
	uint64_t sd_lobase:24;
	uint64_t sd_type:5;
	uint64_t sd_dpl:2;
	uint64_t sd_p:1;
	uint64_t sd_hilimit:4;
	uint64_t sd_xx:1;
	uint64_t sd_long:1;
	uint64_t sd_def32:1;
	uint64_t sd_gran:1;
	uint64_t sd_hibase:8;
} __packed;

/* A system segment (TSS/LDT) descriptor, 16 bytes. */
struct system_segment_descriptor {
	uint64_t sd_lolimit:16;
	uint64_t sd_lobase:24;
	uint64_t sd_type:5;
	uint64_t sd_dpl:2;
	uint64_t sd_p:1;
	uint64_t sd_hilimit:4;
	uint64_t sd_xx0:3;
	uint64_t sd_gran:1;
	uint64_t sd_hibase:40 __packed;
	uint64_t sd_xx1:8;
	uint64_t sd_mbz:5;
	uint64_t sd_xx2:19;
} __packed;

#endif /* SIM_SEGMENTS_AMD64_H */
