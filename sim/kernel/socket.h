/*
 * Socket addresses (sys/sys/socket.h, netinet/in.h, netinet6/in6.h,
 * net/if_dl.h). Byte layouts are a stable ABI.
 */
#ifndef SIM_SOCKET_H
#define SIM_SOCKET_H

#include "param.h"

struct sockaddr {
	unsigned char sa_len;
	sa_family_t sa_family;
	char sa_data[14];
};

struct in_addr {
	in_addr_t s_addr;
};

/* 16 bytes; sin_port and sin_addr in network byte order. */
struct sockaddr_in {
	uint8_t sin_len;
	sa_family_t sin_family;
	in_port_t sin_port;
	struct in_addr sin_addr;
	char sin_zero[8];
};

struct in6_addr {
	union {
		uint8_t __u6_addr8[16];
		uint16_t __u6_addr16[8];
		uint32_t __u6_addr32[4];
	} __u6_addr;
};

/* 28 bytes. In kernel memory link-local addresses carry their zone in
 * bytes 2-3 of sin6_addr and sin6_scope_id is 0 (KAME embedded scope). */
struct sockaddr_in6 {
	uint8_t sin6_len;
	sa_family_t sin6_family;
	in_port_t sin6_port;
	uint32_t sin6_flowinfo;
	struct in6_addr sin6_addr;
	uint32_t sin6_scope_id;
};

/* Link-level address: the interface name, then the hardware address. */
struct sockaddr_dl {
	u_char sdl_len;
	u_char sdl_family;
	u_short sdl_index;
	u_char sdl_type;
	u_char sdl_nlen;
	u_char sdl_alen;
	u_char sdl_slen;
	char sdl_data[46];
};

#endif /* SIM_SOCKET_H */
