/*
 * Crash-dump state (sys/kern/kern_shutdown.c). A non-zero dumptid marks a
 * crash dump; dumppcb holds the dumping thread's registers.
 */
#include "proc.h"

lwpid_t dumptid;
struct pcb dumppcb;
const char *panicstr;
int dumping;
