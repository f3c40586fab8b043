/*
 * counter(9). A handle names a per-CPU UMA slot; on amd64 since FreeBSD 13
 * the stored value is an offset from the `__pcpu` pointer, on 12.x amd64 and
 * on arm64 it is the address of CPU 0's slot. Either way it is typed as a
 * pointer, so the debug information says `uint64_t *`.
 */
#ifndef SIM_COUNTER_H
#define SIM_COUNTER_H

#include "sys_types.h"

typedef uint64_t *counter_u64_t;

#endif /* SIM_COUNTER_H */
