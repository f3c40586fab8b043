/*
 * Compile-time constants of the simulated kernel (sys/param.h,
 * machine/param.h and friends). Values are FreeBSD's for the selected
 * release and architecture.
 */
#ifndef SIM_PARAM_H
#define SIM_PARAM_H

#include "sys_types.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1 << PAGE_SHIFT)

/* GENERIC's MAXCPU: 256 on 12.x amd64; 1024 on 14.x amd64 and arm64. */
#if SIM_OSVER >= 14
#define MAXCPU 1024
#else
#define MAXCPU 256
#endif

#if defined(SIM_AMD64)
#define CACHE_LINE_SIZE 64
#else
#define CACHE_LINE_SIZE 128
#endif

#define MAXHOSTNAMELEN 256
#define MAXPATHLEN 1024
#define MAXCOMLEN 19
#define HOSTUUIDLEN 64
#define OSRELEASELEN 32
#define IFNAMSIZ 16
#define CPUSTATES 5
#define XU_NGROUPS 16
#define JAIL_MAX 999999

/* Address families that size arrays (sys/sys/socket.h). */
#define AF_INET 2
#define AF_LINK 18
#define AF_INET6 28
#if SIM_OSVER >= 14
#define AF_MAX 44 /* AF_DIVERT is the last one */
#else
#define AF_MAX 43 /* AF_HYPERV is the last one */
#endif

/* Kernel virtual address the image is linked for (matches the ldscript). */
#if defined(SIM_AMD64)
#define KERNBASE 0xffffffff80000000UL
#else
#define KERNBASE 0xffff000000000000UL
#endif

#endif /* SIM_PARAM_H */
