/**
 * Network interfaces of one stack (sys/net/if_private.h, if_var.h): the `ifnet` list head (per vnet
 * under VIMAGE) links struct ifnet through if_link; each ifnet links its struct ifaddr entries
 * through if_addrhead / ifa_link, the link-level one (if_addr) first. Lists may be STAILQ, CK_STAILQ
 * or TAILQ depending on the release; the member names come from DWARF. Counters are returned as
 * counter(9) handles so a caller can sum everything of a vnet in one pass.
 */
import { KvmError, hex } from '../errors';
import type { Kvm } from '../kvm';
import { walkList } from './queue';
import { offsetOrNull } from './struct-fields';

/** Interfaces and addresses per list are far fewer than this; more means a corrupt list. */
const IF_LIMIT = 100_000;
const ADDR_LIMIT = 100_000;
/** sa_len is a u_char: no sockaddr is longer. */
const SA_MAX = 255;

/** Forward-pointer names of the queue(3) flavours, in the order they are tried. */
const HEAD_FIRST = ['cstqh_first', 'stqh_first', 'tqh_first', 'lh_first', 'slh_first'];
const ENTRY_NEXT = ['cstqe_next', 'stqe_next', 'tqe_next', 'le_next', 'sle_next'];

/** `enum ift_counter` order (sys/net/if.h); used when the kernel's DWARF lacks the enum. */
export const IFT_COUNTER_ORDER = [
  'ipackets', 'ierrors', 'opackets', 'oerrors', 'collisions', 'ibytes', 'obytes',
  'imcasts', 'omcasts', 'iqdrops', 'oqdrops', 'noproto',
] as const;
export type IftCounterName = (typeof IFT_COUNTER_ORDER)[number];

export const ADDR_COUNTERS = ['ipackets', 'opackets', 'ibytes', 'obytes'] as const;
export type AddrCounterName = (typeof ADDR_COUNTERS)[number];

/** Where the walker finds things, from DWARF; cached per handle. */
export interface IfnetLayout {
  headFirst: number;
  ifNext: number;
  ifAddrFirst: number;
  ifaNext: number;
  ifAddr: number | null;
  ifCounters: number | null;
  /** ift_counter name of each if_counters slot (null: a name we do not use) */
  counterNames: (IftCounterName | null)[];
  ifGetCounter: number | null;
  ifaAddr: number;
  ifaNetmask: number | null;
  ifaDstaddr: number | null;
  ifaCounters: Partial<Record<AddrCounterName, number>>;
  hasDrvFlags: boolean;
}

/** The offset of the first member of `type` among `names` inside `member` ('' = the type itself). */
function linkOffset(kd: Kvm, type: string, member: string, names: readonly string[]): number {
  for (const n of names) {
    const off = offsetOrNull(kd, type, member ? `${member}.${n}` : n);
    if (off !== null) return off;
  }
  throw new KvmError('NO_TYPE', `${type}${member ? `.${member}` : ''} has none of the list members ${names.join(', ')}`, {
    name: type,
  });
}

function ifCounterNames(kd: Kvm, slots: number): (IftCounterName | null)[] {
  const names: (IftCounterName | null)[] = new Array(slots).fill(null);
  let enumerators: readonly { name: string; value: number | bigint }[] | null = null;
  try {
    const t = kd.type('enum ift_counter').strip();
    if (t.kind === 'enum') enumerators = t.enumerators;
  } catch (e) {
    if (!(e instanceof KvmError)) throw e;
    try {
      const t = kd.type('ift_counter').strip();
      if (t.kind === 'enum') enumerators = t.enumerators;
    } catch (e2) {
      if (!(e2 instanceof KvmError)) throw e2;
    }
  }
  if (enumerators && enumerators.length > 0) {
    for (const en of enumerators) {
      const m = /^IFCOUNTER_([A-Z]+)$/.exec(en.name);
      const v = Number(en.value);
      const name = m ? m[1]!.toLowerCase() : '';
      if (v >= 0 && v < slots && (IFT_COUNTER_ORDER as readonly string[]).includes(name)) names[v] = name as IftCounterName;
    }
    return names;
  }
  IFT_COUNTER_ORDER.forEach((n, i) => {
    if (i < slots) names[i] = n;
  });
  return names;
}

const layoutCache = new WeakMap<Kvm, IfnetLayout>();

export function ifnetLayout(kd: Kvm): IfnetLayout {
  const cached = layoutCache.get(kd);
  if (cached) return cached;
  const ifCounters = offsetOrNull(kd, 'struct ifnet', 'if_counters');
  let slots = 0;
  if (ifCounters !== null) {
    const t = kd.type('struct ifnet').memberPath('if_counters').type.strip();
    slots = t.kind === 'array' ? Math.min(t.length ?? 0, 64) : 0;
  }
  const ifaCounters: Partial<Record<AddrCounterName, number>> = {};
  for (const n of ADDR_COUNTERS) {
    const off = offsetOrNull(kd, 'struct ifaddr', `ifa_${n}`);
    if (off !== null) ifaCounters[n] = off;
  }
  const layout: IfnetLayout = {
    headFirst: linkOffset(kd, 'struct ifnethead', '', HEAD_FIRST),
    ifNext: linkOffset(kd, 'struct ifnet', 'if_link', ENTRY_NEXT),
    ifAddrFirst: linkOffset(kd, 'struct ifnet', 'if_addrhead', HEAD_FIRST),
    ifaNext: linkOffset(kd, 'struct ifaddr', 'ifa_link', ENTRY_NEXT),
    ifAddr: offsetOrNull(kd, 'struct ifnet', 'if_addr'),
    ifCounters: slots > 0 ? ifCounters : null,
    counterNames: ifCounterNames(kd, slots),
    ifGetCounter: offsetOrNull(kd, 'struct ifnet', 'if_get_counter'),
    ifaAddr: kd.offsetof('struct ifaddr', 'ifa_addr'),
    ifaNetmask: offsetOrNull(kd, 'struct ifaddr', 'ifa_netmask'),
    ifaDstaddr: offsetOrNull(kd, 'struct ifaddr', 'ifa_dstaddr'),
    ifaCounters,
    hasDrvFlags: offsetOrNull(kd, 'struct ifnet', 'if_drv_flags') !== null,
  };
  layoutCache.set(kd, layout);
  return layout;
}

/** One struct ifaddr: raw sockaddr bytes and its counter handles. */
export interface RawIfaddr {
  address: bigint;
  family: number;
  addr: Uint8Array;
  netmask: Uint8Array | null;
  dstaddr: Uint8Array | null;
  /** counter handles by name; absent members are absent */
  counters: Partial<Record<AddrCounterName, bigint>>;
}

/** One struct ifnet as read from the dump; counters are handles, not values. */
export interface RawIfnet {
  address: bigint;
  name: string;
  index: number;
  /** if_flags | if_drv_flags */
  flags: number;
  mtu: number;
  /** the link-level address (if_addr), or null */
  link: RawIfaddr | null;
  /** the addresses after the link-level one, in list order */
  addresses: RawIfaddr[];
  /** if_counters[] handles by ift_counter name */
  counters: Partial<Record<IftCounterName, bigint>>;
  /** if_get_counter (a driver method other than if_get_counter_default computes its own counters) */
  getCounter: bigint | null;
}

/** Whether to read addresses and counters, or only names and indexes. */
export interface IfnetWalkOptions {
  addresses?: boolean;
}

/** Full length of the fixed-size sockaddrs the kernel widens masks to (sockaddr_in, _in6). */
function familyLength(family: number): number | null {
  if (family === 2) return 16;
  if (family === 28) return 28;
  return null;
}

/**
 * The sockaddr at `addr`: sa_len bytes (at least the family's full length when `widen` names one,
 * as rtsock_fix_netmask() does), bounded by SA_MAX. NULL gives null.
 */
function readSockaddr(kd: Kvm, addr: bigint, widenFamily: number | null): Uint8Array | null {
  if (addr === 0n) return null;
  const len = kd.readU8(addr);
  const full = widenFamily !== null ? familyLength(widenFamily) : null;
  const want = Math.min(SA_MAX, Math.max(len, 2, full ?? 0));
  const buf = new Uint8Array(want);
  const r = kd.readPartial(addr, buf, want);
  if (r.bytes < Math.max(len, 2)) {
    throw new KvmError('FAULT', `sockaddr at ${hex(addr)}: only ${r.bytes} of its ${len} bytes are in the image`, { address: addr });
  }
  return r.bytes === want ? buf : buf.subarray(0, r.bytes);
}

function readIfaddr(kd: Kvm, L: IfnetLayout, ifa: bigint, withCounters: boolean): RawIfaddr {
  const sa = kd.readPointer(ifa + BigInt(L.ifaAddr));
  const addr = readSockaddr(kd, sa, null) ?? new Uint8Array(2);
  const family = addr[1]!;
  const counters: Partial<Record<AddrCounterName, bigint>> = {};
  if (withCounters) {
    for (const n of ADDR_COUNTERS) {
      const off = L.ifaCounters[n];
      if (off !== undefined) counters[n] = kd.readPointer(ifa + BigInt(off));
    }
  }
  return {
    address: ifa,
    family,
    addr,
    netmask: L.ifaNetmask === null ? null : readSockaddr(kd, kd.readPointer(ifa + BigInt(L.ifaNetmask)), family),
    dstaddr: L.ifaDstaddr === null ? null : readSockaddr(kd, kd.readPointer(ifa + BigInt(L.ifaDstaddr)), null),
    counters,
  };
}

/**
 * Every interface on the list whose head (struct ifnethead) is at `head`, in list order.
 * `label` names the list in errors ("ifnet of vnet 0x...").
 */
export function listInterfaces(kd: Kvm, head: bigint, label: string, options: IfnetWalkOptions = {}): RawIfnet[] {
  const L = ifnetLayout(kd);
  const full = options.addresses !== false;
  const out: RawIfnet[] = [];
  const first = kd.readPointer(head + BigInt(L.headFirst));
  for (const ifp of walkList(kd, { name: label, first, nextOffset: L.ifNext, limit: IF_LIMIT })) {
    const o = kd.object('struct ifnet', ifp);
    const name = o.member('if_xname').string();
    const flags = Number(o.member('if_flags').integer()) | (L.hasDrvFlags ? Number(o.member('if_drv_flags').integer()) : 0);
    const rec: RawIfnet = {
      address: ifp,
      name,
      index: Number(o.member('if_index').integer()),
      flags: flags >>> 0,
      mtu: Number(o.member('if_mtu').integer()),
      link: null,
      addresses: [],
      counters: {},
      getCounter: L.ifGetCounter === null ? null : kd.readPointer(ifp + BigInt(L.ifGetCounter)),
    };
    if (full) {
      if (L.ifCounters !== null) {
        const handles = kd.readArray(ifp + BigInt(L.ifCounters), L.counterNames.length, kd.info.pointerSize);
        L.counterNames.forEach((n, i) => {
          if (n !== null) rec.counters[n] = handles[i]!;
        });
      }
      // As sysctl_iflist(): the link row from if_addr, then every ifaddr after it on the list.
      const linkIfa = L.ifAddr === null ? 0n : kd.readPointer(ifp + BigInt(L.ifAddr));
      let next: bigint;
      if (linkIfa !== 0n) {
        rec.link = readIfaddr(kd, L, linkIfa, false);
        next = kd.readPointer(linkIfa + BigInt(L.ifaNext));
      } else {
        next = kd.readPointer(ifp + BigInt(L.ifAddrFirst));
      }
      const addrLabel = `if_addrhead of ${name} (${hex(ifp)})`;
      for (const ifa of walkList(kd, { name: addrLabel, first: next, nextOffset: L.ifaNext, limit: ADDR_LIMIT })) {
        if (ifa === linkIfa) {
          throw new KvmError('CORRUPT', `list ${addrLabel} loops back to its link address ${hex(ifa)}`, { address: ifa });
        }
        rec.addresses.push(readIfaddr(kd, L, ifa, true));
      }
    }
    out.push(rec);
  }
  return out;
}
