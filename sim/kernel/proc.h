/*
 * struct thread and struct proc (sys/sys/proc.h). Member names, order and
 * types follow FreeBSD 14; the members a reader needs (td_tid, td_proc,
 * td_plist, td_ucred, td_name, td_vnet; p_list, p_threads, p_ucred, p_pid,
 * p_comm) are real, the rest keep their name, place and size.
 */
#ifndef SIM_PROC_H
#define SIM_PROC_H

#include "param.h"
#include "queue.h"
#include "lock.h"
#include "signal.h"
#include "pcb.h"
#if defined(SIM_AMD64)
#include "segments_amd64.h"
#endif

struct cpuset;
struct domainset;
struct seltd;
struct sleepqueue;
struct turnstile;
struct rl_q_entry;
struct umtx_q;
struct lock_list_entry;
struct ucred;
struct plimit;
struct file;
struct vm_map_entry;
struct vnode;
struct kcov_info;
struct sysent;
struct trapframe;
struct kaudit_record;
struct lock_profile_object;
struct kdtrace_thread;
struct kdtrace_proc;
struct vnet;
struct vm_page;
struct filedesc;
struct filedesc_to_leader;
struct pwddesc;
struct pstats;
struct sigacts;
struct vmspace;
struct kaioinfo;
struct itimers;
struct procdesc;
struct filemon;
struct sysentvec;
struct pargs;
struct pgrp;
struct knlist;
struct label;
struct ktr_request;
struct mqueue_notifier;
struct racct;
struct sigio;

struct domainset_ref {
	struct domainset *volatile dr_policy;
	unsigned int dr_iter;
};

struct rusage_ext {
	uint64_t rux_runtime;
	uint64_t rux_uticks;
	uint64_t rux_sticks;
	uint64_t rux_iticks;
	uint64_t rux_uu;
	uint64_t rux_su;
	uint64_t rux_tu;
};

#if defined(SIM_AMD64)
struct syscall_args {
	u_int code;
	struct sysent *callp;
	register_t args[8];
};

struct pmap_invl_gen {
	u_long gen;
	union {
		LIST_ENTRY(pmap_invl_gen) link;
		struct {
			struct pmap_invl_gen *next;
			u_char saved_pri;
		};
	};
} __aligned(16);

struct mdthread {
	int md_spinlock_count;
	register_t md_saved_flags;
	register_t md_spurflt_addr;
	struct pmap_invl_gen md_invl_gen;
	register_t md_efirt_tmp;
	int md_efirt_dis_pf;
	struct pcb md_pcb;
	vm_offset_t md_stack_base;
};

struct proc_ldt;
struct mdproc {
	struct proc_ldt *md_ldt;
	struct system_segment_descriptor md_ldt_sd;
	u_int md_flags;
};
#else /* arm64 */
struct syscall_args {
	u_int code;
	struct sysent *callp;
	register_t args[8];
};

struct mdthread {
	int md_spinlock_count;
	register_t md_saved_daif;
	uintptr_t md_canary;
};

struct mdproc {
	long md_dummy;
};
#endif

LIST_HEAD(lpohead, lock_profile_object);
SLIST_HEAD(sigiolst, sigio);

struct thread {
	struct mtx *volatile td_lock;
	struct proc *td_proc;
	TAILQ_ENTRY(thread) td_plist;
	TAILQ_ENTRY(thread) td_runq;
	union {
		TAILQ_ENTRY(thread) td_slpq;
		struct thread *td_zombie;
	};
	TAILQ_ENTRY(thread) td_lockq;
	LIST_ENTRY(thread) td_hash;
	struct cpuset *td_cpuset;
	struct domainset_ref td_domain;
	struct seltd *td_sel;
	struct sleepqueue *td_sleepqueue;
	struct turnstile *td_turnstile;
	struct rl_q_entry *td_rlqe;
	struct umtx_q *td_umtxq;
	lwpid_t td_tid;
	sigqueue_t td_sigqueue;
	u_char td_lend_user_pri;
	u_char td_allocdomain;
	int td_flags;
	int td_inhibitors;
	int td_pflags;
	int td_pflags2;
	int td_dupfd;
	int td_sqqueue;
	const void *td_wchan;
	const char *td_wmesg;
	volatile u_char td_owepreempt;
	u_char td_tsqueue;
	short td_locks;
	short td_rw_rlocks;
	short td_sx_slocks;
	short td_lk_slocks;
	short td_stopsched;
	struct turnstile *td_blocked;
	const char *td_lockname;
	LIST_HEAD(, turnstile) td_contested;
	struct lock_list_entry *td_sleeplocks;
	int td_intr_nesting_level;
	int td_pinned;
	struct ucred *td_realucred;
	struct ucred *td_ucred;
	struct plimit *td_limit;
	int td_slptick;
	int td_blktick;
	int td_swvoltick;
	int td_swinvoltick;
	u_int td_cow;
	struct rusage td_ru;
	struct rusage_ext td_rux;
	uint64_t td_incruntime;
	uint64_t td_runtime;
	u_int td_pticks;
	u_int td_sticks;
	u_int td_iticks;
	u_int td_uticks;
	int td_intrval;
	sigset_t td_oldsigmask;
	volatile u_int td_generation;
	stack_t td_sigstk;
	int td_xsig;
	u_long td_profil_addr;
	u_int td_profil_ticks;
	char td_name[MAXCOMLEN + 1];
	struct file *td_fpop;
	int td_dbgflags;
	siginfo_t td_si;
	int td_ng_outbound;
	struct osd td_osd;
	struct vm_map_entry *td_map_def_user;
	pid_t td_dbg_forked;
	struct vnode *td_vp_reserved;
	u_int td_no_sleeping;
	void *td_su;
	sbintime_t td_sleeptimo;
	int td_rtcgen;
	int td_errno;
	size_t td_vslock_sz;
	struct kcov_info *td_kcov_info;
	u_int td_ucredref;
	sigset_t td_sigmask;
	u_char td_rqindex;
	u_char td_base_pri;
	u_char td_priority;
	u_char td_pri_class;
	u_char td_user_pri;
	u_char td_base_user_pri;
	u_char td_pre_epoch_prio;
	uintptr_t td_rb_list;
	uintptr_t td_rbp_list;
	uintptr_t td_rb_inact;
	struct syscall_args td_sa;
	void *td_sigblock_ptr;
	uint32_t td_sigblock_val;
	struct pcb *td_pcb;
	enum td_states {
		TDS_INACTIVE = 0x0,
		TDS_INHIBITED,
		TDS_CAN_RUN,
		TDS_RUNQ,
		TDS_RUNNING
	} td_state;
	union {
		register_t tdu_retval[2];
		off_t tdu_off;
	} td_uretoff;
	u_int td_cowgen;
	struct callout td_slpcallout;
	struct trapframe *td_frame;
	vm_offset_t td_kstack;
	int td_kstack_pages;
	volatile u_int td_critnest;
	struct mdthread td_md;
	struct kaudit_record *td_ar;
	struct lpohead td_lprof[2];
	struct kdtrace_thread *td_dtrace;
	struct vnet *td_vnet;
	const char *td_vnet_lpush;
	struct trapframe *td_intr_frame;
	struct proc *td_rfppwait_p;
	struct vm_page **td_ma;
	int td_ma_cnt;
	void *td_emuldata;
	int td_lastcpu;
	int td_oncpu;
	void *td_lkpi_task;
	int td_pmcpend;
};

/* thread0 is not a symbol: it is the first member of thread0_st. */
struct thread0_storage {
	struct thread t0st_thread;
	uint64_t t0st_sched[10];
};

struct proc {
	LIST_ENTRY(proc) p_list;
	TAILQ_HEAD(, thread) p_threads;
	struct mtx p_slock;
	struct ucred *p_ucred;
	struct filedesc *p_fd;
	struct filedesc_to_leader *p_fdtol;
	struct pwddesc *p_pd;
	struct pstats *p_stats;
	struct plimit *p_limit;
	struct callout p_limco;
	struct sigacts *p_sigacts;
	int p_flag;
	int p_flag2;
	enum p_states {
		PRS_NEW = 0,
		PRS_NORMAL,
		PRS_ZOMBIE
	} p_state;
	pid_t p_pid;
	LIST_ENTRY(proc) p_hash;
	LIST_ENTRY(proc) p_pglist;
	struct proc *p_pptr;
	LIST_ENTRY(proc) p_sibling;
	LIST_HEAD(, proc) p_children;
	struct proc *p_reaper;
	LIST_HEAD(, proc) p_reaplist;
	LIST_ENTRY(proc) p_reapsibling;
	struct mtx p_mtx;
	struct mtx p_statmtx;
	struct mtx p_itimmtx;
	struct mtx p_profmtx;
	struct ksiginfo *p_ksi;
	sigqueue_t p_sigqueue;
	pid_t p_oppid;
	struct vmspace *p_vmspace;
	u_int p_swtick;
	u_int p_cowgen;
	struct itimerval p_realtimer;
	struct rusage p_ru;
	struct rusage_ext p_rux;
	struct rusage_ext p_crux;
	int p_profthreads;
	volatile int p_exitthreads;
	int p_traceflag;
	struct vnode *p_tracevp;
	struct ucred *p_tracecred;
	struct vnode *p_textvp;
	u_int p_lock;
	struct sigiolst p_sigiolst;
	int p_sigparent;
	int p_sig;
	u_int p_ptevents;
	struct kaioinfo *p_aioinfo;
	struct thread *p_singlethread;
	int p_suspcount;
	struct thread *p_xthread;
	int p_boundary_count;
	int p_pendingcnt;
	struct itimers *p_itimers;
	struct procdesc *p_procdesc;
	u_int p_treeflag;
	int p_pendingexits;
	struct filemon *p_filemon;
	int p_pdeathsig;
	u_int p_magic;
	int p_osrel;
	uint32_t p_fctl0;
	char p_comm[MAXCOMLEN + 1];
	struct sysentvec *p_sysent;
	struct pargs *p_args;
	rlim_t p_cpulimit;
	signed char p_nice;
	int p_fibnum;
	pid_t p_reapsubtree;
	uint16_t p_elf_machine;
	uint64_t p_elf_flags;
	u_int p_xexit;
	u_int p_xsig;
	struct pgrp *p_pgrp;
	struct knlist *p_klist;
	int p_numthreads;
	struct mdproc p_md;
	struct callout p_itcallout;
	u_short p_acflag;
	struct proc *p_peers;
	struct proc *p_leader;
	void *p_emuldata;
	struct label *p_label;
	STAILQ_HEAD(, ktr_request) p_ktr;
	LIST_HEAD(, mqueue_notifier) p_mqnotifier;
	struct kdtrace_proc *p_dtrace;
	struct cv p_pwait;
	uint64_t p_prev_runtime;
	struct racct *p_racct;
	int p_throttled;
	LIST_ENTRY(proc) p_orphan;
	LIST_HEAD(, proc) p_orphans;
};

#define P_MAGIC 0xbeefface
#define THREAD0_TID 100000

LIST_HEAD(proclist, proc);

extern struct proclist allproc;
extern struct proc proc0;
extern struct thread0_storage thread0_st;

#endif /* SIM_PROC_H */
