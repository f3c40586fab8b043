/*
 * The host jail and the list of all other jails (sys/kern/kern_jail.c).
 * prison0 carries FreeBSD's static initial values; pr_vnet (vnet0) and the
 * release strings are filled in at boot, so by the builder.
 */
#include "jail.h"

#ifdef VIMAGE
#define SIM_PRISON0_FLAGS (PR_HOST | PR_VNET | PR_IP4_SADDRSEL | PR_IP6_SADDRSEL)
#else
#define SIM_PRISON0_FLAGS (PR_HOST | PR_IP4_SADDRSEL | PR_IP6_SADDRSEL)
#endif

struct prison prison0 = {
	.pr_id = 0,
	.pr_name = "0",
	.pr_ref = 1,
	.pr_uref = 1,
	.pr_path = "/",
	.pr_securelevel = -1,
	.pr_childmax = JAIL_MAX,
	.pr_hostuuid = "00000000-0000-0000-0000-000000000000",
	.pr_flags = SIM_PRISON0_FLAGS,
#if SIM_OSVER >= 14
	.pr_state = PRISON_STATE_ALIVE,
#endif
};

struct prisonlist allprison = TAILQ_HEAD_INITIALIZER(allprison);
