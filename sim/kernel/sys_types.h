/*
 * Basic types of the simulated FreeBSD kernel.
 *
 * Built with -nostdinc: nothing here comes from the host's C library, so the
 * same tree compiles for amd64 (gcc) and arm64 (clang cross). The typedef
 * chains (uint64_t -> __uint64_t -> unsigned long) follow FreeBSD's names so
 * the debug information a reader sees has the same type names as a real
 * kernel.debug.
 */
#ifndef SIM_SYS_TYPES_H
#define SIM_SYS_TYPES_H

#if defined(__x86_64__)
#define SIM_AMD64 1
#elif defined(__aarch64__)
#define SIM_ARM64 1
#else
#error "the simulated kernel is built for amd64 or arm64 only"
#endif

#ifndef SIM_OSVER
#error "SIM_OSVER (12 or 14) must be defined by the build"
#endif

typedef signed char __int8_t;
typedef unsigned char __uint8_t;
typedef short __int16_t;
typedef unsigned short __uint16_t;
typedef int __int32_t;
typedef unsigned int __uint32_t;
typedef long __int64_t;
typedef unsigned long __uint64_t;

typedef __int8_t int8_t;
typedef __uint8_t uint8_t;
typedef __int16_t int16_t;
typedef __uint16_t uint16_t;
typedef __int32_t int32_t;
typedef __uint32_t uint32_t;
typedef __int64_t int64_t;
typedef __uint64_t uint64_t;
typedef __uint8_t u_int8_t;
typedef __uint16_t u_int16_t;
typedef __uint32_t u_int32_t;
typedef __uint64_t u_int64_t;

typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;

typedef __uint64_t __uintptr_t;
typedef __int64_t __intptr_t;
typedef __uintptr_t uintptr_t;
typedef __intptr_t intptr_t;
typedef __uint64_t __size_t;
typedef __size_t size_t;
typedef __int64_t __ssize_t;
typedef __ssize_t ssize_t;
typedef __int64_t __register_t;
typedef __register_t register_t;
typedef __uint64_t __vm_offset_t;
typedef __vm_offset_t vm_offset_t;
typedef __uint64_t __vm_paddr_t;
typedef __vm_paddr_t vm_paddr_t;
typedef __int64_t __time_t;
typedef __time_t time_t;
typedef long __suseconds_t;
typedef __suseconds_t suseconds_t;
typedef __int64_t sbintime_t;
typedef __int64_t __off_t;
typedef __off_t off_t;
typedef __int64_t __rlim_t;
typedef __rlim_t rlim_t;
typedef __int32_t __pid_t;
typedef __pid_t pid_t;
typedef __int32_t __lwpid_t;
typedef __lwpid_t lwpid_t;
typedef __uint32_t __uid_t;
typedef __uid_t uid_t;
typedef __uint32_t __gid_t;
typedef __gid_t gid_t;
typedef __uint64_t __dev_t;
typedef __dev_t dev_t;
typedef __uint8_t __sa_family_t;
typedef __sa_family_t sa_family_t;
typedef __uint32_t __socklen_t;
typedef __socklen_t socklen_t;
typedef __uint32_t __in_addr_t;
typedef __in_addr_t in_addr_t;
typedef __uint16_t __in_port_t;
typedef __in_port_t in_port_t;
typedef char *caddr_t;
typedef _Bool bool;

#define NULL ((void *)0)
#define true 1
#define false 0

struct timeval {
	time_t tv_sec;
	suseconds_t tv_usec;
};

/* Compiler spellings used across the tree (FreeBSD's sys/cdefs.h names). */
#define __aligned(x) __attribute__((__aligned__(x)))
#define __packed __attribute__((__packed__))
#define __section(x) __attribute__((__section__(x)))
#define __used __attribute__((__used__))
#define __unused __attribute__((__unused__))
#define __offsetof(type, field) __builtin_offsetof(type, field)
#define offsetof(type, field) __builtin_offsetof(type, field)
#define nitems(x) (sizeof((x)) / sizeof((x)[0]))

#endif /* SIM_SYS_TYPES_H */
