/*
 * Compile-time checks of the offsets this model promises (FreeBSD/amd64
 * values; see the report in the commit history for where each was taken
 * from). A wrong edit to a structure fails the build, not a test run later.
 */
#include "all_types.h"

#define CHECK_OFF(s, m, off) _Static_assert(offsetof(struct s, m) == (off), #s "." #m)
#define CHECK_SIZE(s, size) _Static_assert(sizeof(struct s) == (size), "sizeof " #s)

/* Layouts shared by every flavour and architecture (LP64). */
CHECK_SIZE(mtx, 32);
CHECK_SIZE(task, 32);
CHECK_SIZE(osd, 32);
CHECK_SIZE(callout, 64);
CHECK_SIZE(auditinfo_addr, 64);
CHECK_SIZE(ifaltq, 160);
CHECK_SIZE(sockaddr, 16);
CHECK_SIZE(sockaddr_in, 16);
CHECK_SIZE(sockaddr_in6, 28);
CHECK_SIZE(sockaddr_dl, 54);
CHECK_SIZE(if_data, 152);
CHECK_SIZE(udpstat, 14 * 8);
CHECK_SIZE(ipstat, 29 * 8);
CHECK_SIZE(icmpstat, 94 * 8);
CHECK_SIZE(icmp6stat, 579 * 8);
CHECK_OFF(vnet, vnet_magic_n, 16);
CHECK_OFF(vnet, vnet_data_mem, 32);
CHECK_OFF(vnet, vnet_data_base, 40);
CHECK_OFF(proc, p_list, 0);
CHECK_OFF(proc, p_threads, 16);
CHECK_OFF(proc, p_slock, 32);
CHECK_OFF(proc, p_ucred, 64);
CHECK_OFF(pcpu, pc_curthread, 0);

#if SIM_OSVER >= 14
CHECK_SIZE(tcpstat, 123 * 8);
CHECK_SIZE(ip6stat, 415 * 8);
CHECK_SIZE(prison, 2176);
CHECK_OFF(prison, pr_id, 16);
CHECK_OFF(prison, pr_flags, 28);
CHECK_OFF(prison, pr_mtx, 72);
CHECK_OFF(prison, pr_vnet, 176);
CHECK_OFF(prison, pr_state, 264);
CHECK_OFF(prison, pr_name, 288);
CHECK_OFF(prison, pr_path, 544);
CHECK_OFF(prison, pr_hostname, 1568);
CHECK_OFF(prison, pr_osrelease, 2144);
CHECK_OFF(ucred, cr_ref, 32);
CHECK_OFF(ucred, cr_audit, 48);
CHECK_OFF(ucred, cr_uid, 112);
CHECK_OFF(ucred, cr_prison, 152);
CHECK_OFF(pcpu, pc_cpuid, 60);
CHECK_OFF(pcpu, pc_allcpu, 64);
CHECK_OFF(pcpu, pc_cp_time, 80);
CHECK_OFF(pcpu, pc_domain, 140);
CHECK_OFF(pcpu, pc_dynamic, 160);
CHECK_OFF(pcpu, pc_early_dummy_counter, 168);
CHECK_OFF(pcpu, pc_zpcpu_offset, 176);
CHECK_OFF(ifaddr, ifa_link, 40);
CHECK_OFF(ifaddr, ifa_flags, 48);
CHECK_OFF(ifaddr, ifa_ipackets, 56);
CHECK_OFF(ifaddr, ifa_obytes, 80);
CHECK_SIZE(ifaddr, 104);
#else
CHECK_SIZE(tcpstat, 113 * 8);
CHECK_SIZE(ip6stat, 414 * 8);
CHECK_OFF(prison, pr_id, 16);
CHECK_OFF(prison, pr_flags, 28);
CHECK_OFF(prison, pr_vnet, 168);
CHECK_OFF(prison, pr_name, 288);
CHECK_OFF(prison, pr_path, 544);
CHECK_SIZE(prison, 2176);
CHECK_OFF(ucred, cr_prison, 48);
CHECK_OFF(pcpu, pc_cpuid, 52);
CHECK_OFF(pcpu, pc_dynamic, 152);
CHECK_OFF(pcpu, pc_early_dummy_counter, 160);
CHECK_OFF(ifaddr, ifa_rtrequest, 48);
CHECK_OFF(ifaddr, ifa_ipackets, 64);
CHECK_SIZE(ifaddr, 112);
#endif

#if defined(SIM_AMD64)
CHECK_SIZE(pcpu, 4096);
CHECK_OFF(pcpu, pc_monitorbuf, 256);
CHECK_OFF(pcpu, pc_prvspace, 0x180);
CHECK_SIZE(pcb, 320);
#if SIM_OSVER >= 13
CHECK_SIZE(vnet, 64);
#else
CHECK_SIZE(vnet, 48);
#endif
#else /* arm64 */
CHECK_SIZE(pcpu, 512);
#if SIM_OSVER >= 13
CHECK_SIZE(vnet, 128);
#else
CHECK_SIZE(vnet, 48);
#endif
#endif

#if SIM_OSVER >= 14
CHECK_OFF(ifnet, if_index, 84);
CHECK_OFF(ifnet, if_xname, 88);
CHECK_OFF(ifnet, if_flags, 112);
CHECK_OFF(ifnet, if_drv_flags, 116);
CHECK_OFF(ifnet, if_type, 156);
CHECK_OFF(ifnet, if_mtu, 160);
CHECK_OFF(ifnet, if_snd, 208);
CHECK_OFF(ifnet, if_addrhead, 464);
CHECK_OFF(ifnet, if_addr, 504);
CHECK_OFF(ifnet, if_afdata, 560);
CHECK_OFF(ifnet, if_vnet, 920);
CHECK_OFF(ifnet, if_get_counter, 1104);
CHECK_OFF(ifnet, if_counters, 1120);
CHECK_SIZE(ifnet, 1304);
#else
CHECK_OFF(ifnet, if_index, 84);
CHECK_OFF(ifnet, if_xname, 88);
CHECK_OFF(ifnet, if_flags, 112);
CHECK_OFF(ifnet, if_type, 148);
CHECK_OFF(ifnet, if_mtu, 152);
CHECK_OFF(ifnet, if_snd, 200);
CHECK_OFF(ifnet, if_addrhead, 424);
CHECK_OFF(ifnet, if_addr, 464);
#endif
