/*
 * struct prison (sys/sys/jail.h). pr_vnet is the jail's network stack:
 * its own vnet for a VNET jail (PR_VNET set), otherwise the parent's.
 * prison0 is the host; other jails are on the allprison tail queue.
 */
#ifndef SIM_JAIL_H
#define SIM_JAIL_H

#include "param.h"
#include "queue.h"
#include "lock.h"

#define PR_PERSIST 0x00000001
#define PR_HOST 0x00000002
#define PR_IP4_USER 0x00000004
#define PR_IP6_USER 0x00000008
#define PR_VNET 0x00000010
#define PR_IP4_SADDRSEL 0x00000080
#define PR_IP6_SADDRSEL 0x00000100
#define PR_REMOVE 0x01000000

struct cpuset;
struct vnet;
struct vnode;
struct prison_racct;
struct proc;
struct in_addr;
struct in6_addr;

#if SIM_OSVER >= 14

struct prison_ip;
typedef enum {
	PR_INET = 0,
	PR_INET6 = 1,
	PR_FAMILY_MAX = 2,
} pr_family_t;

enum prison_state {
	PRISON_STATE_INVALID = 0,
	PRISON_STATE_ALIVE,
	PRISON_STATE_DYING,
};

/* 2176 bytes on LP64: pr_vnet at 176, pr_name at 288, pr_path at 544. */
struct prison {
	TAILQ_ENTRY(prison) pr_list;
	int pr_id;
	volatile u_int pr_ref;
	volatile u_int pr_uref;
	unsigned pr_flags;
	LIST_HEAD(, prison) pr_children;
	LIST_HEAD(, proc) pr_proclist;
	LIST_ENTRY(prison) pr_sibling;
	struct prison *pr_parent;
	struct mtx pr_mtx;
	struct task pr_task;
	struct osd pr_osd;
	struct cpuset *pr_cpuset;
	struct vnet *pr_vnet;
	struct vnode *pr_root;
	struct prison_ip *pr_addrs[PR_FAMILY_MAX];
	struct prison_racct *pr_prison_racct;
	void *pr_sparep[3];
	int pr_childcount;
	int pr_childmax;
	unsigned pr_allow;
	int pr_securelevel;
	int pr_enforce_statfs;
	int pr_devfs_rsnum;
	enum prison_state pr_state;
	volatile int pr_exportcnt;
	int pr_spare;
	int pr_osreldate;
	unsigned long pr_hostid;
	char pr_name[MAXHOSTNAMELEN];
	char pr_path[MAXPATHLEN];
	char pr_hostname[MAXHOSTNAMELEN];
	char pr_domainname[MAXHOSTNAMELEN];
	char pr_hostuuid[HOSTUUIDLEN];
	char pr_osrelease[OSRELEASELEN];
};

#else /* 12.x */

/* pr_vnet at 168; addresses kept as counted arrays. */
struct prison {
	TAILQ_ENTRY(prison) pr_list;
	int pr_id;
	int pr_ref;
	int pr_uref;
	unsigned pr_flags;
	LIST_HEAD(, prison) pr_children;
	LIST_ENTRY(prison) pr_sibling;
	struct prison *pr_parent;
	struct mtx pr_mtx;
	struct task pr_task;
	struct osd pr_osd;
	struct cpuset *pr_cpuset;
	struct vnet *pr_vnet;
	struct vnode *pr_root;
	int pr_ip4s;
	int pr_ip6s;
	struct in_addr *pr_ip4;
	struct in6_addr *pr_ip6;
	struct prison_racct *pr_prison_racct;
	void *pr_sparep[3];
	int pr_childcount;
	int pr_childmax;
	unsigned pr_allow;
	int pr_securelevel;
	int pr_enforce_statfs;
	int pr_devfs_rsnum;
	int pr_spare[3];
	int pr_osreldate;
	unsigned long pr_hostid;
	char pr_name[MAXHOSTNAMELEN];
	char pr_path[MAXPATHLEN];
	char pr_hostname[MAXHOSTNAMELEN];
	char pr_domainname[MAXHOSTNAMELEN];
	char pr_hostuuid[HOSTUUIDLEN];
	char pr_osrelease[OSRELEASELEN];
};

#endif

TAILQ_HEAD(prisonlist, prison);

extern struct prison prison0;
extern struct prisonlist allprison;

#endif /* SIM_JAIL_H */
