/**
 * Network interfaces as if_attach() and in_control()/in6_control() leave them: a struct ifnet on
 * its vnet's CK_STAILQ `ifnet` list, the link-level ifaddr (with its sockaddr_dl address and
 * mask in the same allocation) first on if_addrhead, then one in_ifaddr / in6_ifaddr per address.
 * Interface indexes are global (14.x). Counters are counter(9) handles with seeded values.
 * Sockaddr bytes are the fixed ABI (sys/socket.h, netinet/in.h, net/if_dl.h).
 */
import type { Random } from '../random';
import { IF_COUNTER_NAMES, type AddressSpec, type IfCounterName, type InterfaceSpec } from '../scenario';
import { BootContext, sym, writePtr } from './context';
import type { CounterAllocator } from './counters';
import { vnetAddr, type SimVnet } from './vnets';

const AF_INET = 2;
const AF_INET6 = 28;
const AF_LINK = 18;
const IFF_UP = 0x1, IFF_BROADCAST = 0x2, IFF_LOOPBACK = 0x8, IFF_SIMPLEX = 0x800, IFF_MULTICAST = 0x8000;
const IFF_DRV_RUNNING = 0x40;
const IFT: Record<string, number> = { ether: 0x06, loop: 0x18, bridge: 0xd1, vlan: 0x87 };

export interface ExpectedAddress {
  family: 'inet' | 'inet6';
  address: string;
  prefixlen: number;
  counters: { ipackets: bigint; opackets: bigint; ibytes: bigint; obytes: bigint };
}

export interface ExpectedInterface {
  name: string;
  index: number;
  address: bigint;
  flags: number;
  mtu: number;
  type: number;
  mac: string | null;
  up: boolean;
  counters: Record<IfCounterName, bigint>;
  addresses: ExpectedAddress[];
}

/** Per-vnet list tails and the global index. */
export class IfnetState {
  nextIndex = 1;
}

function parseIpv4(s: string): number[] {
  const p = s.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) throw new Error(`bad IPv4 address ${s}`);
  return p;
}

function parseIpv6(s: string): number[] {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, null];
  const parse = (x: string): number[] => (x === '' ? [] : x.split(':').map((h) => parseInt(h, 16)));
  const a = parse(head!);
  const b = tail === null ? [] : parse(tail);
  const words = tail === null ? a : [...a, ...new Array(8 - a.length - b.length).fill(0), ...b];
  if (words.length !== 8 || words.some((w) => !(w >= 0 && w <= 0xffff))) throw new Error(`bad IPv6 address ${s}`);
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

function maskBytes(prefix: number, len: number): number[] {
  return Array.from({ length: len }, (_, i) => {
    const bits = Math.max(0, Math.min(8, prefix - 8 * i));
    return (0xff00 >> bits) & 0xff;
  });
}

function drawCounters<K extends string>(rng: Random, names: readonly K[], spec: unknown, scale: number): Record<K, bigint> {
  const out = {} as Record<K, bigint>;
  for (const n of names) {
    if (spec === 'zero') out[n] = 0n;
    else if (spec && typeof spec === 'object' && (spec as Record<string, unknown>)[n] !== undefined) {
      out[n] = BigInt.asUintN(64, BigInt((spec as Record<string, number | string>)[n]!));
    } else {
      const big = n.endsWith('bytes');
      const errorish = /errors|drops|collisions|noproto/.test(n);
      out[n] = errorish ? (rng.chance(0.6) ? 0n : BigInt(rng.int(50))) : BigInt(Math.floor(rng.int(scale) * (big ? 700 : 1)));
    }
  }
  return out;
}

/** Creates an interface on vnet `v` (null without VIMAGE) and links it last on its ifnet list. */
export function attachInterface(
  ctx: BootContext,
  st: IfnetState,
  v: SimVnet | null,
  homeVnet: SimVnet | null,
  spec: InterfaceSpec,
  counters: CounterAllocator,
  label: string,
): ExpectedInterface {
  const { w, m } = ctx;
  const rng = ctx.rng.fork(`if:${label}:${spec.name}`);
  const cpus = counters.cpuSubset(rng);
  const type = spec.type ?? 'ether';
  const up = spec.up ?? true;
  const index = st.nextIndex++;
  let mac: number[] | null = null;
  if (type !== 'loop') {
    mac = spec.mac ? spec.mac.split(':').map((h) => parseInt(h, 16)) : [0x02, ...Array.from({ length: 5 }, () => rng.int(256))];
    if (mac.length !== 6 || mac.some((x) => !(x >= 0 && x <= 255))) throw new Error(`bad MAC address ${spec.mac} of ${spec.name}`);
  }
  const flags = (up ? IFF_UP : 0) | (type === 'loop' ? IFF_LOOPBACK : IFF_BROADCAST | IFF_SIMPLEX) | IFF_MULTICAST;
  const drvFlags = up ? IFF_DRV_RUNNING : 0;
  const mtu = spec.mtu ?? (type === 'loop' ? 16384 : 1500);
  const m0 = /^([a-z]+)(\d+)([a-z]?)$/.exec(spec.name);
  const ifp = m.dmapAlloc(w.sizeof('struct ifnet'), 16);
  const ifcounters = drawCounters(rng, IF_COUNTER_NAMES, spec.counters, up ? 5_000_000 : 1000);
  w.set(ifp, 'struct ifnet', {
    if_xname: spec.name,
    if_dunit: m0 ? Number(m0[2]) : 0,
    if_index: index,
    if_flags: flags,
    if_drv_flags: drvFlags,
    if_type: IFT[type]!,
    if_addrlen: mac ? 6 : 0,
    if_hdrlen: type === 'loop' ? 0 : 14,
    if_link_state: up ? 2 : 1, // LINK_STATE_UP / DOWN
    if_mtu: mtu,
    if_baudrate: type === 'loop' ? 0 : 1_000_000_000,
    if_get_counter: sym(ctx, 'if_get_counter_default'),
    if_vnet: v ? v.address : null,
    if_home_vnet: w.has('struct ifnet', 'if_home_vnet') && homeVnet ? homeVnet.address : null,
  });
  const ctrOff = BigInt(w.offsetof('struct ifnet', 'if_counters'));
  IF_COUNTER_NAMES.forEach((n, i) => {
    const c = counters.alloc();
    writePtr(ctx, ifp + ctrOff + BigInt(8 * i), c.handle);
    counters.setValue(c.itemPa, ifcounters[n], rng, cpus);
  });

  // Link-level address: ifaddr + sockaddr_dl address + sockaddr_dl mask in one allocation.
  const name = Buffer.from(spec.name, 'latin1');
  const alen = mac ? 6 : 0;
  const masklen = 8 + name.length;
  let socksize = Math.max(masklen + alen, 54);
  socksize = (socksize + 7) & ~7;
  const ifaSize = w.sizeof('struct ifaddr');
  const linkIfa = m.dmapAlloc(ifaSize + 2 * socksize, 16);
  const sdl = linkIfa + BigInt(ifaSize);
  const sdlMask = sdl + BigInt(socksize);
  const sdlBytes = Buffer.alloc(socksize);
  sdlBytes[0] = socksize;
  sdlBytes[1] = AF_LINK;
  sdlBytes.writeUInt16LE(index, 2); // sdl_index is host order; little-endian hosts here
  if (!m.littleEndian) sdlBytes.writeUInt16BE(index, 2);
  sdlBytes[4] = IFT[type]!;
  sdlBytes[5] = name.length;
  sdlBytes[6] = alen;
  name.copy(sdlBytes, 8);
  if (mac) Buffer.from(mac).copy(sdlBytes, 8 + name.length);
  m.write(sdl, sdlBytes);
  const maskBytesDl = Buffer.alloc(masklen);
  maskBytesDl[0] = masklen;
  maskBytesDl[1] = AF_LINK;
  maskBytesDl.fill(0xff, 8, 8 + name.length);
  m.write(sdlMask, maskBytesDl);
  const ifaEntries: bigint[] = [linkIfa];
  setIfaddr(ctx, linkIfa, ifp, sdl, sdlMask, 0n, counters, rng, cpus, 'zero');
  w.set(ifp, 'struct ifnet', { if_addr: linkIfa });

  const addresses: ExpectedAddress[] = [];
  for (const a of spec.addresses ?? []) {
    const { ifa, expected } = attachAddress(ctx, ifp, index, a, counters, rng, cpus, up);
    ifaEntries.push(ifa);
    addresses.push(expected);
  }
  // if_addrhead: CK_STAILQ of ifaddr through ifa_link, link address first.
  const headOff = BigInt(w.offsetof('struct ifnet', 'if_addrhead'));
  const linkOff = BigInt(w.offsetof('struct ifaddr', 'ifa_link'));
  for (let i = 0; i < ifaEntries.length; i++) {
    writePtr(ctx, ifaEntries[i]! + linkOff, i + 1 < ifaEntries.length ? ifaEntries[i + 1]! : 0n);
  }
  writePtr(ctx, ifp + headOff, ifaEntries[0]!);
  writePtr(ctx, ifp + headOff + BigInt(ctx.ptrSize), ifaEntries[ifaEntries.length - 1]! + linkOff);

  // Link last on the vnet's ifnet list (CK_STAILQ through if_link).
  const head = vnetAddr(ctx, v, 'ifnet');
  const nextOff = BigInt(w.offsetof('struct ifnet', 'if_link'));
  const last = m.readInt(head + BigInt(ctx.ptrSize), ctx.ptrSize); // &last element's next, or &head.first
  writePtr(ctx, last === 0n ? head : last, ifp);
  writePtr(ctx, head + BigInt(ctx.ptrSize), ifp + nextOff);
  if (v) v.ifcnt++;
  return {
    name: spec.name,
    index,
    address: ifp,
    flags: flags | drvFlags,
    mtu,
    type: IFT[type]!,
    mac: mac ? mac.map((b) => b.toString(16).padStart(2, '0')).join(':') : null,
    up,
    counters: ifcounters,
    addresses,
  };
}

function setIfaddr(
  ctx: BootContext, ifa: bigint, ifp: bigint, addr: bigint, mask: bigint, dst: bigint,
  counters: CounterAllocator, rng: Random, cpus: number[], values: 'zero' | Record<string, bigint>,
): void {
  ctx.w.set(ifa, 'struct ifaddr', {
    ifa_addr: addr,
    ifa_netmask: mask,
    ifa_dstaddr: dst || null,
    ifa_ifp: ifp,
    ifa_refcnt: 1,
  });
  for (const n of ['ifa_ipackets', 'ifa_opackets', 'ifa_ibytes', 'ifa_obytes']) {
    const c = counters.alloc();
    writePtr(ctx, ifa + BigInt(ctx.w.offsetof('struct ifaddr', n)), c.handle);
    if (values !== 'zero') counters.setValue(c.itemPa, values[n.slice(4)]!, rng, cpus);
  }
}

function attachAddress(
  ctx: BootContext, ifp: bigint, index: number, a: AddressSpec, counters: CounterAllocator,
  rng: Random, cpus: number[], up: boolean,
): { ifa: bigint; expected: ExpectedAddress } {
  const { w, m } = ctx;
  const [addrText, prefixText] = a.address.split('/');
  const inet6 = addrText!.includes(':');
  const prefix = Number(prefixText ?? (inet6 ? 128 : 32));
  const vals = drawCounters(rng, ['ipackets', 'opackets', 'ibytes', 'obytes'] as const, a.counters, up ? 2_000_000 : 100);
  if (!inet6) {
    const ia = m.dmapAlloc(w.sizeof('struct in_ifaddr'), 16);
    const ip = parseIpv4(addrText!);
    const mask = maskBytes(prefix, 4);
    const sin = (bytes: number[], len = 16): Buffer => {
      const b = Buffer.alloc(16);
      b[0] = len;
      b[1] = AF_INET;
      Buffer.from(bytes).copy(b, 4);
      return b;
    };
    const addrAt = ia + BigInt(w.offsetof('struct in_ifaddr', 'ia_addr'));
    const maskAt = ia + BigInt(w.offsetof('struct in_ifaddr', 'ia_sockmask'));
    const dstAt = ia + BigInt(w.offsetof('struct in_ifaddr', 'ia_dstaddr'));
    m.write(addrAt, sin(ip));
    m.write(maskAt, sin(mask, 8)); // in_control() sets sin_len 8 on the mask
    m.write(dstAt, sin(ip.map((b, i) => b | (~mask[i]! & 0xff)))); // the broadcast address
    const be = (x: number[]): bigint => BigInt(((x[0]! << 24) | (x[1]! << 16) | (x[2]! << 8) | x[3]!) >>> 0);
    w.set(ia, 'struct in_ifaddr', { ia_subnet: be(ip) & be(mask), ia_subnetmask: be(mask) });
    setIfaddr(ctx, ia, ifp, addrAt, maskAt, dstAt, counters, rng, cpus, vals);
    return { ifa: ia, expected: { family: 'inet', address: addrText!, prefixlen: prefix, counters: vals } };
  }
  const ia = m.dmapAlloc(w.sizeof('struct in6_ifaddr'), 16);
  const ip = parseIpv6(addrText!);
  // KAME: link-local (and interface-local) scopes carry the zone in bytes 2-3 in the kernel.
  const linkLocal = ip[0] === 0xfe && (ip[1]! & 0xc0) === 0x80;
  const stored = ip.slice();
  if (linkLocal) {
    stored[2] = (index >> 8) & 0xff;
    stored[3] = index & 0xff;
  }
  const sin6 = (bytes: number[]): Buffer => {
    const b = Buffer.alloc(28);
    b[0] = 28;
    b[1] = AF_INET6;
    Buffer.from(bytes).copy(b, 8);
    return b;
  };
  const addrAt = ia + BigInt(w.offsetof('struct in6_ifaddr', 'ia_addr'));
  const maskAt = ia + BigInt(w.offsetof('struct in6_ifaddr', 'ia_prefixmask'));
  m.write(addrAt, sin6(stored));
  m.write(maskAt, sin6(maskBytes(prefix, 16)));
  w.set(ia, 'struct in6_ifaddr', { ia_plen: prefix });
  setIfaddr(ctx, ia, ifp, addrAt, maskAt, 0n, counters, rng, cpus, vals);
  return { ifa: ia, expected: { family: 'inet6', address: addrText!, prefixlen: prefix, counters: vals } };
}
