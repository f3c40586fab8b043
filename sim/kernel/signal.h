/*
 * Signal-related members of struct thread and struct proc (sys/signal.h,
 * sys/signalvar.h, sys/resource.h). Only their sizes matter here.
 */
#ifndef SIM_SIGNAL_H
#define SIM_SIGNAL_H

#include "sys_types.h"
#include "queue.h"

typedef struct __sigset {
	__uint32_t __bits[4];
} __sigset_t;
typedef __sigset_t sigset_t;

union sigval {
	int sival_int;
	void *sival_ptr;
	int sigval_int;
	void *sigval_ptr;
};

/* 80 bytes on LP64. */
typedef struct __siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	__pid_t si_pid;
	__uid_t si_uid;
	int si_status;
	void *si_addr;
	union sigval si_value;
	union {
		struct {
			long __spare1__;
			int __spare2__[7];
		} __spare__;
	} _reason;
} siginfo_t;

typedef struct sigaltstack {
	void *ss_sp;
	__size_t ss_size;
	int ss_flags;
} stack_t;

struct ksiginfo;
struct proc;
typedef struct sigqueue {
	sigset_t sq_signals;
	sigset_t sq_kill;
	sigset_t sq_ptrace;
	TAILQ_HEAD(, ksiginfo) sq_list;
	struct proc *sq_proc;
	int sq_flags;
} sigqueue_t;

struct rusage {
	struct timeval ru_utime;
	struct timeval ru_stime;
	long ru_maxrss;
	long ru_ixrss;
	long ru_idrss;
	long ru_isrss;
	long ru_minflt;
	long ru_majflt;
	long ru_nswap;
	long ru_inblock;
	long ru_oublock;
	long ru_msgsnd;
	long ru_msgrcv;
	long ru_nsignals;
	long ru_nvcsw;
	long ru_nivcsw;
};

struct itimerval {
	struct timeval it_interval;
	struct timeval it_value;
};

#endif /* SIM_SIGNAL_H */
