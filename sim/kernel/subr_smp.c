/*
 * CPU counts (sys/kern/subr_smp.c). mp_maxcpus is MAXCPU and exists so
 * that libkvm can size dpcpu_off[]; mp_ncpus and mp_maxid are set at boot.
 */
#include "param.h"

int mp_maxcpus = MAXCPU;
int mp_ncpus;
u_int mp_maxid;
