/**
 * Decoding of the sockaddr bytes found in kernel memory. These are fixed ABI layouts
 * (sys/netinet/in.h, sys/netinet6/in6.h), the one place kvm-netstat reads bytes in TypeScript:
 *   sockaddr_in:  0 len, 1 family (2),  2 port, 4 addr[4], 8 zero[8]
 *   sockaddr_in6: 0 len, 1 family (28), 2 port, 4 flowinfo, 8 addr[16], 24 scope_id (host order)
 * Buffers shorter than the layout read as zero-filled, the way the kernel's rtsock_fix_netmask()
 * widens a mask whose sa_len is short; nothing here throws on short or odd input.
 */

/** An IPv6 address with its zone, after KAME scope recovery. */
export interface Sin6 {
  addr: Uint8Array; // 16 bytes
  scopeId: number;
}

function slice(bytes: Uint8Array | null, start: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  if (bytes) {
    for (let i = 0; i < len && start + i < bytes.length; i++) out[i] = bytes[start + i]!;
  }
  return out;
}

/** sin_addr of a sockaddr_in (4 bytes, network order). */
export function inetAddrBytes(sa: Uint8Array | null): Uint8Array {
  return slice(sa, 4, 4);
}

/** sin6_addr of a sockaddr_in6 (16 bytes), as stored (no scope recovery). */
export function inet6AddrBytes(sa: Uint8Array | null): Uint8Array {
  return slice(sa, 8, 16);
}

/** True for fe80::/10. */
export function isLinkLocal6(a: Uint8Array): boolean {
  return a[0] === 0xfe && (a[1]! & 0xc0) === 0x80;
}

/** True for multicast with link-local scope (ffX2::). */
export function isMcLinkLocal6(a: Uint8Array): boolean {
  return a[0] === 0xff && (a[1]! & 0x0f) === 0x02;
}

/** True for multicast with interface-local (node-local) scope (ffX1::). */
export function isMcNodeLocal6(a: Uint8Array): boolean {
  return a[0] === 0xff && (a[1]! & 0x0f) === 0x01;
}

/** True if the address kind carries a KAME embedded zone in kernel memory. */
export function hasEmbeddedScope(a: Uint8Array): boolean {
  return isLinkLocal6(a) || isMcLinkLocal6(a) || isMcNodeLocal6(a);
}

/**
 * Decode a sockaddr_in6 from kernel memory and undo the KAME embedded scope: for link-local
 * and interface/link-local multicast addresses the zone (interface index) sits big-endian in
 * bytes 2-3 of sin6_addr while sin6_scope_id is 0. Like the kernel's sa6_recoverscope() and
 * netstat's in6_fillscopeid(), the zone moves to scopeId and bytes 2-3 become zero.
 */
export function decodeSin6(sa: Uint8Array | null, byteOrder: 'little' | 'big' = 'little'): Sin6 {
  const addr = inet6AddrBytes(sa);
  const sid = slice(sa, 24, 4);
  let scopeId =
    byteOrder === 'big'
      ? ((sid[0]! << 24) | (sid[1]! << 16) | (sid[2]! << 8) | sid[3]!) >>> 0
      : ((sid[3]! << 24) | (sid[2]! << 16) | (sid[1]! << 8) | sid[0]!) >>> 0;
  if (hasEmbeddedScope(addr)) {
    if (scopeId === 0) scopeId = (addr[2]! << 8) | addr[3]!;
    addr[2] = 0;
    addr[3] = 0;
  }
  return { addr, scopeId };
}

/** The 16 mask bytes of an IPv6 netmask sockaddr, zero-filled when short. */
export function inet6MaskBytes(sa: Uint8Array): Uint8Array {
  return inet6AddrBytes(sa);
}
