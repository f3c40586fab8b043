/**
 * Address strings as FreeBSD netstat prints them with -n: libc's inet_ntop() and
 * getnameinfo(NI_NUMERICHOST), and netstat's netname()/routename() (usr.bin/netstat/route.c).
 * kvm-netstat is always numeric: a crash dump carries no resolver of its host, so the names a
 * live netstat would show without -n (`localhost`, `your-net`) never appear.
 */

import type { LinkAddress } from './model';
import type { Sin6 } from './sockaddr';
import { isLinkLocal6, isMcLinkLocal6, isMcNodeLocal6 } from './sockaddr';

/** IFT_IEEE1394: getnameinfo shows only the 8-byte EUI-64 of a FireWire address. */
const IFT_IEEE1394 = 0x90;

/** Dotted quad of 4 network-order bytes. */
export function inetNtop4(b: Uint8Array): string {
  return `${b[0] ?? 0}.${b[1] ?? 0}.${b[2] ?? 0}.${b[3] ?? 0}`;
}

/**
 * libc inet_ntop(AF_INET6): lowercase hex words, the first longest run of two or more zero words
 * written as `::`, and the trailing IPv4 forms `::a.b.c.d` (exactly six leading zero words) and
 * `::ffff:a.b.c.d`. (libc also tests for seven zero words, but then word 6 lies inside the `::`
 * run and the test is never reached, so `::2` prints as `::2`; the loop below keeps that order.)
 */
export function inetNtop6(b: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(((b[2 * i] ?? 0) << 8) | (b[2 * i + 1] ?? 0));
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else curLen++;
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;

  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    const v4tail =
      i === 6 &&
      bestBase === 0 &&
      (bestLen === 6 || (bestLen === 7 && words[7] !== 0x0001) || (bestLen === 5 && words[5] === 0xffff));
    if (v4tail) {
      out += inetNtop4(b.subarray(12, 16));
      return out;
    }
    out += words[i]!.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
  return out;
}

/** Resolves an interface index to its name within the vnet being shown. */
export type IfIndexToName = (index: number) => string | null;

/**
 * getnameinfo(NI_NUMERICHOST) of an IPv6 sockaddr: the address, then `%zone` when the scope id is
 * non-zero. Link-local unicast and link-/interface-local multicast zones are interface names when
 * the index resolves, any other zone is the decimal scope id.
 */
export function inet6HostName(sin6: Sin6, ifname: IfIndexToName): string {
  const text = inetNtop6(sin6.addr);
  if (sin6.scopeId === 0) return text;
  const a = sin6.addr;
  if (isLinkLocal6(a) || isMcLinkLocal6(a) || isMcNodeLocal6(a)) {
    const name = ifname(sin6.scopeId);
    if (name !== null) return `${text}%${name}`;
  }
  return `${text}%${sin6.scopeId}`;
}

/** Length of a contiguous IPv4 mask, or -1 when its one bits are not contiguous from the top. */
function ipv4PrefixLength(mask: number): number {
  for (let b = 0; b < 32; b++) {
    if ((mask >>> b) & 1) {
      for (let bb = b + 1; bb < 32; bb++) if (!((mask >>> bb) & 1)) return -1;
      return 32 - b;
    }
  }
  return 0;
}

/**
 * netname() for AF_INET: `default` for 0.0.0.0 with mask 0, else the masked network followed by
 * `/len` (contiguous mask), `&0x...` (non-contiguous mask) or nothing (mask 0). A missing mask
 * counts as 0.
 */
export function inetNetName(addr: Uint8Array, mask: Uint8Array | null): string {
  const a = ((addr[0]! << 24) | (addr[1]! << 16) | (addr[2]! << 8) | addr[3]!) >>> 0;
  const m = mask ? ((mask[0]! << 24) | (mask[1]! << 16) | (mask[2]! << 8) | mask[3]!) >>> 0 : 0;
  if (a === 0 && m === 0) return 'default';
  const net = (a & m) >>> 0;
  const text = `${net >>> 24}.${(net >>> 16) & 0xff}.${(net >>> 8) & 0xff}.${net & 0xff}`;
  if (m === 0) return text;
  const len = ipv4PrefixLength(m);
  return len < 0 ? `${text}&0x${m.toString(16)}` : `${text}/${len}`;
}

/** Prefix length netstat counts for one IPv6 mask byte, or -1 for a byte it calls illegal. */
function maskByteLength(v: number): number {
  for (let n = 0; n <= 8; n++) if (v === ((0xff00 >> n) & 0xff)) return n;
  return -1;
}

/**
 * netname() for AF_INET6 with -n: the address masked by the netmask (the zone is kept), then
 * `/len`; `default` for :: with a zero-length mask. Like netstat, the length is the sum over the
 * 16 mask bytes; a byte that is not a left-contiguous run counts 0 (netstat also prints
 * "illegal prefixlen" on stderr; we do not). A null mask means /128 and no masking.
 */
export function inet6NetName(sin6: Sin6, mask: Uint8Array | null, ifname: IfIndexToName): string {
  let len = 128;
  let addr = sin6.addr;
  if (mask) {
    len = 0;
    addr = new Uint8Array(16);
    for (let i = 0; i < 16; i++) {
      const m = mask[i] ?? 0;
      const n = maskByteLength(m);
      if (n > 0) len += n;
      addr[i] = sin6.addr[i]! & m;
    }
    len &= 0xff; // u_char in netstat
  }
  if (len === 0 && addr.every((x) => x === 0)) return 'default';
  return `${inet6HostName({ addr, scopeId: sin6.scopeId }, ifname)}/${len}`;
}

/**
 * getnameinfo() of an AF_LINK sockaddr (libc getnameinfo_link): the interface name when there is a
 * name but no address, else the address bytes as colon-separated lowercase hex (FireWire shows its
 * 8-byte EUI-64 only). The all-empty case prints nothing in `netstat -i`, so callers test
 * isEmptyLink() first.
 */
export function linkAddressName(dl: LinkAddress): string {
  const data = dl.data;
  if (dl.nlen > 0 && dl.alen === 0) {
    return String.fromCharCode(...data.subarray(0, dl.nlen));
  }
  const start = dl.nlen;
  let len = dl.alen;
  if (dl.type === IFT_IEEE1394) {
    if (dl.alen < 8) return ''; // getnameinfo fails; netstat prints its (empty) buffer
    len = 8;
  }
  const parts: string[] = [];
  for (let i = 0; i < len; i++) parts.push((data[start + i] ?? 0).toString(16).padStart(2, '0'));
  return parts.join(':');
}

/** True for a sockaddr_dl with no name, address or selector: netstat leaves the column blank. */
export function isEmptyLink(dl: LinkAddress | null): boolean {
  return dl === null || (dl.nlen === 0 && dl.alen === 0 && dl.slen === 0);
}
