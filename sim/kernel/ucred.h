/*
 * Credentials (sys/sys/ucred.h) and the audit record they embed
 * (bsm/audit.h). cr_prison links a process to its jail and so to a vnet.
 */
#ifndef SIM_UCRED_H
#define SIM_UCRED_H

#include "param.h"
#include "lock.h"

typedef __uint32_t au_id_t;
typedef __int32_t au_asid_t;
typedef __uint64_t au_asflgs_t;

struct au_mask {
	unsigned int am_success;
	unsigned int am_failure;
};
typedef struct au_mask au_mask_t;

struct au_tid_addr {
	dev_t at_port;
	u_int32_t at_type;
	u_int32_t at_addr[4];
};
typedef struct au_tid_addr au_tid_addr_t;

/* 64 bytes on LP64. */
struct auditinfo_addr {
	au_id_t ai_auid;
	au_mask_t ai_mask;
	au_tid_addr_t ai_termid;
	au_asid_t ai_asid;
	au_asflgs_t ai_flags;
};

struct uidinfo;
struct prison;
struct loginclass;
struct label;

#if SIM_OSVER >= 14
/* 14.x: the mutex first; cr_prison at 152 on LP64. */
struct ucred {
	struct mtx cr_mtx;
	long cr_ref;
	u_int cr_users;
	u_int cr_flags;
	struct auditinfo_addr cr_audit;
	uid_t cr_uid;
	uid_t cr_ruid;
	uid_t cr_svuid;
	int cr_ngroups;
	gid_t cr_rgid;
	gid_t cr_svgid;
	struct uidinfo *cr_uidinfo;
	struct uidinfo *cr_ruidinfo;
	struct prison *cr_prison;
	struct loginclass *cr_loginclass;
	void *cr_pspare2[2];
	struct label *cr_label;
	gid_t *cr_groups;
	int cr_agroups;
	gid_t cr_smallgroups[XU_NGROUPS];
};
#else
/* 12.x: reference count first; cr_prison at 48 on LP64. */
struct ucred {
	u_int cr_ref;
	uid_t cr_uid;
	uid_t cr_ruid;
	uid_t cr_svuid;
	int cr_ngroups;
	gid_t cr_rgid;
	gid_t cr_svgid;
	struct uidinfo *cr_uidinfo;
	struct uidinfo *cr_ruidinfo;
	struct prison *cr_prison;
	struct loginclass *cr_loginclass;
	u_int cr_flags;
	void *cr_pspare2[2];
	struct label *cr_label;
	struct auditinfo_addr cr_audit;
	gid_t *cr_groups;
	int cr_agroups;
	gid_t cr_smallgroups[XU_NGROUPS];
};
#endif

#endif /* SIM_UCRED_H */
