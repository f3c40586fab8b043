/*
 * Lock, task, callout and OSD objects embedded in the structures a reader
 * walks. Sizes matter (they fix the offsets of everything after them); the
 * contents are never looked at by the simulator.
 */
#ifndef SIM_LOCK_H
#define SIM_LOCK_H

#include "sys_types.h"
#include "queue.h"

struct witness;

/* 24 bytes on LP64. */
struct lock_object {
	const char *lo_name;
	u_int lo_flags;
	u_int lo_data;
	struct witness *lo_witness;
};

/* 32 bytes on LP64. */
struct mtx {
	struct lock_object lock_object;
	volatile uintptr_t mtx_lock;
};

struct sx {
	struct lock_object lock_object;
	volatile uintptr_t sx_lock;
};

/* 32 bytes on LP64. */
typedef void task_fn_t(void *context, int pending);
struct task {
	STAILQ_ENTRY(task) ta_link;
	uint16_t ta_pending;
	uint8_t ta_priority;
	uint8_t ta_flags;
	task_fn_t *ta_func;
	void *ta_context;
};

/* Object specific data (sys/sys/osd.h), 32 bytes on LP64. */
struct osd {
	u_int osd_nslots;
	void **osd_slots;
	LIST_ENTRY(osd) osd_next;
};

/* sys/sys/_callout.h, 64 bytes on LP64. */
typedef void callout_func_t(void *);
struct callout {
	union {
		LIST_ENTRY(callout) le;
		SLIST_ENTRY(callout) sle;
		TAILQ_ENTRY(callout) tqe;
	} c_links;
	sbintime_t c_time;
	sbintime_t c_precision;
	void *c_arg;
	callout_func_t *c_func;
	struct lock_object *c_lock;
	short c_flags;
	short c_iflags;
	volatile int c_cpu;
};

/* sys/sys/epoch.h: deferred-free bookkeeping, two pointers. */
struct epoch_context {
	void *data[2];
} __aligned(sizeof(void *));

/* sys/sys/_rmlock.h */
struct rm_queue {
	struct rm_queue *volatile rmq_next;
	struct rm_queue *volatile rmq_prev;
};

/* sys/sys/condvar.h */
struct cv {
	const char *cv_description;
	int cv_waiters;
};

#endif /* SIM_LOCK_H */
