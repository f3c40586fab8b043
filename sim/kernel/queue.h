/*
 * List heads and links with the member names of FreeBSD's sys/queue.h and
 * ConcurrencyKit's CK_ lists. Only the shapes: the simulator never runs, so
 * there are no manipulation macros. A reader walks these with the member
 * names below (lh_first/le_next, tqh_first/tqe_next, stqh_first/stqe_next).
 */
#ifndef SIM_QUEUE_H
#define SIM_QUEUE_H

/* Singly linked list. */
#define SLIST_HEAD(name, type) \
	struct name { struct type *slh_first; }
#define SLIST_ENTRY(type) \
	struct { struct type *sle_next; }

/* Singly linked tail queue: a head with a pointer to the last link. */
#define STAILQ_HEAD(name, type) \
	struct name { struct type *stqh_first; struct type **stqh_last; }
#define STAILQ_ENTRY(type) \
	struct { struct type *stqe_next; }
#define STAILQ_HEAD_INITIALIZER(head) { NULL, &(head).stqh_first }

/* Doubly linked list; le_prev points at the previous element's le_next. */
#define LIST_HEAD(name, type) \
	struct name { struct type *lh_first; }
#define LIST_ENTRY(type) \
	struct { struct type *le_next; struct type **le_prev; }
#define LIST_HEAD_INITIALIZER(head) { NULL }

/* Tail queue; tqh_last points at the last element's tqe_next. */
#define TAILQ_HEAD(name, type) \
	struct name { struct type *tqh_first; struct type **tqh_last; }
#define TAILQ_ENTRY(type) \
	struct { struct type *tqe_next; struct type **tqe_prev; }
#define TAILQ_HEAD_INITIALIZER(head) { NULL, &(head).tqh_first }

/*
 * ConcurrencyKit lists (sys/contrib/ck/include/ck_queue.h), used by the
 * network stack. Same shapes as above, but CK prefixes its member names:
 * a reader of an ifnet list follows cstqe_next, not stqe_next.
 */
#define CK_SLIST_HEAD(name, type) \
	struct name { struct type *cslh_first; }
#define CK_SLIST_ENTRY(type) \
	struct { struct type *csle_next; }
#define CK_STAILQ_HEAD(name, type) \
	struct name { struct type *cstqh_first; struct type **cstqh_last; }
#define CK_STAILQ_ENTRY(type) \
	struct { struct type *cstqe_next; }
#define CK_STAILQ_HEAD_INITIALIZER(head) { NULL, &(head).cstqh_first }
#define CK_LIST_HEAD(name, type) \
	struct name { struct type *clh_first; }
#define CK_LIST_ENTRY(type) \
	struct { struct type *cle_next; struct type **cle_prev; }

#endif /* SIM_QUEUE_H */
