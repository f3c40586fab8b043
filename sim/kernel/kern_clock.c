/*
 * Clock globals and a few ordinary per-CPU variables (sys/kern/kern_clock.c,
 * kern_tc.c).
 */
#include "pcpu.h"

int hz = 1000;
volatile int ticks;

DPCPU_DEFINE(int, pcputicks);
DPCPU_DEFINE_STATIC(uint64_t, tc_cpu_ticks_base);
DPCPU_DEFINE_STATIC(unsigned, tc_cpu_ticks_last);
