/*
 * The process list and the first process (sys/kern/kern_proc.c,
 * init_main.c). thread0 is not a symbol of its own: it is
 * thread0_st.t0st_thread.
 */
#include "proc.h"

struct proclist allproc;
struct proc proc0;
struct thread0_storage thread0_st __aligned(32);
