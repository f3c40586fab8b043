/**
 * From an open dump to the plain data kvm-netstat renders (VnetView): the interfaces of a stack
 * (lib/helpers/ifnet.ts) and its VNET_PCPUSTAT statistics arrays, with every counter(9) handle of
 * the stack summed in one native pass. Which stack: a vnet chosen by jail, address, 'vnet0' or
 * 'current', every vnet on vnet_head, or the single stack of a kernel without VIMAGE.
 */
import { KvmError, hex } from '../errors';
import type { Kvm } from '../kvm';
import { findJail, listJails, type Jail } from '../helpers/jail';
import { listInterfaces, type RawIfaddr, type RawIfnet } from '../helpers/ifnet';
import { hasVimage } from '../helpers/vnet';
import { counterSlots, statRecord, type CounterSlot } from '../types/counter-struct';
import type { VnetSelector } from '../translation';
import type {
  AddressCounters,
  InterfaceAddress,
  InterfaceCounters,
  JailRef,
  LinkAddress,
  NetInterface,
  ProtocolStats,
  StatRecord,
  VnetView,
} from './model';
import type { StatsProtocol } from './stats';

/** One network stack to read. */
export interface NetstatTarget {
  /** struct vnet * (0n on a kernel without VIMAGE) */
  address: bigint;
  /** vnet_data_base used to translate vnet_entry_ symbols; null without VIMAGE */
  dataBase: bigint | null;
  jails: JailRef[];
}

export interface CollectOptions {
  /** 'full': rows with addresses and counters (-i); 'names': names and indexes only (-s, for
   *  the ip6 per-interface lines); 'none'. */
  interfaces: 'full' | 'names' | 'none';
  /** protocols whose statistics to read (none: []) */
  protocols: readonly StatsProtocol[];
}

export interface Collected {
  view: VnetView;
  /** things worth a stderr line that do not stop the output */
  warnings: string[];
}

/** Protocol -> its VNET_PCPUSTAT array (also the name of the struct that names the slots). */
const STAT_ARRAY: Record<StatsProtocol, string> = {
  tcp: 'tcpstat',
  udp: 'udpstat',
  ip: 'ipstat',
  icmp: 'icmpstat',
  ip6: 'ip6stat',
  icmp6: 'icmp6stat',
  rip6: 'rip6stat',
};

/** No statistics array has more slots than this; a bigger symbol is not one. */
const MAX_STAT_SLOTS = 1 << 16;
const AF_LINK = 18;
const AF_INET = 2;
const AF_INET6 = 28;

const slotCache = new WeakMap<Kvm, Map<string, CounterSlot[] | null>>();

/** The slots of `struct <array>`, or null when the kernel's debug info has no such struct. */
function statSlots(kd: Kvm, array: string): CounterSlot[] | null {
  let m = slotCache.get(kd);
  if (!m) slotCache.set(kd, (m = new Map()));
  if (m.has(array)) return m.get(array)!;
  let slots: CounterSlot[] | null = null;
  try {
    slots = counterSlots(kd.type(`struct ${array}`));
  } catch (e) {
    if (!(e instanceof KvmError)) throw e;
  }
  m.set(array, slots);
  return slots;
}

/** The address and slot count of a per-stack counter array in `t`, or null when absent. */
function statArray(kd: Kvm, t: NetstatTarget, name: string): { address: bigint; count: number } | null {
  const r = kd.native.resolve(name, 0, t.dataBase, null, false);
  if (!r || r[6] === 2) return null; // absent, or a per-CPU variable
  if (t.dataBase !== null && r[6] !== 1) return null; // under VIMAGE only the vnet copy is per stack
  const size = r[1];
  const count = Number(size / 8n);
  if (size % 8n !== 0n || count <= 0 || count > MAX_STAT_SLOTS) {
    throw new KvmError('CORRUPT', `${name} is ${size} bytes; a counter array is a non-empty multiple of 8`, { name });
  }
  return { address: r[0], count };
}

const jailRef = (j: Jail): JailRef => ({ jid: j.jid, name: j.jid === 0 ? 'host' : j.name });

function jailsOr(kd: Kvm): Jail[] {
  try {
    return listJails(kd);
  } catch (e) {
    if (e instanceof KvmError && (e.code === 'NO_SYMBOL' || e.code === 'NO_TYPE')) return [];
    throw e;
  }
}

/**
 * The stack to show: by jail (name or jid), vnet selector, or the default (vnet0, as libkvm uses
 * on a dump). Without VIMAGE there is one stack; a jail is still checked to exist.
 */
export function selectTarget(kd: Kvm, sel: { jail?: string | number; vnet?: VnetSelector } = {}): NetstatTarget {
  if (!hasVimage(kd)) {
    if (sel.vnet !== undefined) {
      throw new KvmError('NO_VNET', `${kd.kernelPath} is not a VIMAGE kernel: it has one network stack and no vnets to choose`);
    }
    const jails = jailsOr(kd);
    if (sel.jail !== undefined) findJail(kd, sel.jail, jails);
    return { address: 0n, dataBase: null, jails: jails.map(jailRef) };
  }
  if (typeof sel.vnet === 'bigint') {
    const known = kd.vnets();
    if (!known.some((e) => e.address === sel.vnet)) {
      const list = known
        .map((e) => `${hex(e.address)} (${e.jails.length ? e.jails.map((j) => (j.jid === 0 ? 'host' : j.name)).join(', ') : 'no jail'})`)
        .join(', ');
      throw new KvmError('NO_VNET', `no vnet at ${hex(sel.vnet)} on vnet_head; vnets: ${list}`, { address: sel.vnet });
    }
  }
  const choice = sel.jail !== undefined ? kd.setVnet({ jail: sel.jail }) : kd.setVnet(sel.vnet ?? 'vnet0');
  const v = choice.vnet;
  const jails = jailsOr(kd).filter((j) => j.vnet === v.address);
  return { address: v.address, dataBase: v.dataBase, jails: jails.map(jailRef) };
}

/** Every vnet (vnet0 first, then in creation order); vnets that cannot be read are listed apart. */
export function allTargets(kd: Kvm): { targets: NetstatTarget[]; problems: string[] } {
  if (!hasVimage(kd)) {
    throw new KvmError('NO_VNET', `${kd.kernelPath} is not a VIMAGE kernel: it has a single network stack (drop --all-vnets)`);
  }
  const targets: NetstatTarget[] = [];
  const problems: string[] = [];
  const entries = kd.vnets().reverse();
  entries.sort((a, b) => Number(b.isVnet0) - Number(a.isVnet0));
  for (const e of entries) {
    const jails = e.jails.map((j) => ({ jid: j.jid, name: j.jid === 0 ? 'host' : j.name }));
    if (e.problem !== null) {
      const who = jails.length ? ` (jails: ${jails.map((j) => `${j.jid} ${j.name}`).join(', ')})` : '';
      problems.push(`vnet ${hex(e.address)}${who} skipped: ${e.problem}`);
      continue;
    }
    targets.push({ address: e.address, dataBase: e.dataBase, jails });
  }
  return { targets, problems };
}

/** Collects handles to sum in one pass and hands back their sums by index. */
class HandleBatch {
  #buf = new BigUint64Array(1024);
  #n = 0;
  #reserve(k: number): void {
    if (this.#n + k <= this.#buf.length) return;
    const next = new BigUint64Array(Math.max(this.#buf.length * 2, this.#n + k));
    next.set(this.#buf.subarray(0, this.#n));
    this.#buf = next;
  }
  add(h: bigint | undefined): number {
    if (h === undefined) return -1;
    this.#reserve(1);
    this.#buf[this.#n] = h;
    return this.#n++;
  }
  addArray(a: BigUint64Array): number {
    this.#reserve(a.length);
    this.#buf.set(a, this.#n);
    const start = this.#n;
    this.#n += a.length;
    return start;
  }
  sum(kd: Kvm): BigUint64Array {
    return this.#n === 0 ? new BigUint64Array(0) : kd.counters(this.#buf.subarray(0, this.#n));
  }
}

function linkAddress(ifa: RawIfaddr | null): LinkAddress | null {
  if (!ifa || ifa.family !== AF_LINK || ifa.addr.length < 8) return null;
  const b = ifa.addr;
  const nlen = b[5]!, alen = b[6]!, slen = b[7]!;
  const end = Math.min(b.length, 8 + nlen + alen + slen);
  return { type: b[4]!, nlen, alen, slen, data: b.slice(8, end) };
}

function familyOf(f: number): InterfaceAddress['family'] {
  return f === AF_INET ? 'inet' : f === AF_INET6 ? 'inet6' : f;
}

/** Reads one stack. */
export function collectVnet(kd: Kvm, t: NetstatTarget, options: CollectOptions): Collected {
  const warnings: string[] = [];
  const batch = new HandleBatch();
  const where = t.dataBase === null ? '' : ` of vnet ${hex(t.address)}`;

  let raw: RawIfnet[] = [];
  if (options.interfaces !== 'none') {
    const head = kd.native.resolve('ifnet', 0, t.dataBase, null, false);
    if (!head) {
      warnings.push(`no ifnet list in this kernel${where}: no interfaces shown`);
    } else {
      raw = listInterfaces(kd, head[0], `ifnet${where}`, { addresses: options.interfaces === 'full' });
    }
  }

  // Statistics arrays: handles read now, summed with the interface counters below.
  const arrays: { p: StatsProtocol; start: number; count: number }[] = [];
  for (const p of options.protocols) {
    const a = statArray(kd, t, STAT_ARRAY[p]);
    if (!a) continue;
    arrays.push({ p, start: batch.addArray(kd.readArray(a.address, a.count, 8)), count: a.count });
  }
  let states: { start: number; count: number } | null = null;
  if (options.protocols.includes('tcp')) {
    const a = statArray(kd, t, 'tcps_states');
    if (a) states = { start: batch.addArray(kd.readArray(a.address, a.count, 8)), count: a.count };
  }

  const ifIdx = raw.map((r) => ({
    counters: Object.fromEntries(Object.entries(r.counters).map(([k, h]) => [k, batch.add(h)])) as Record<string, number>,
    addrs: r.addresses.map((a) => Object.fromEntries(Object.entries(a.counters).map(([k, h]) => [k, batch.add(h)])) as Record<string, number>),
  }));

  const sums = batch.sum(kd);
  const val = (i: number | undefined): bigint => (i === undefined || i < 0 ? 0n : sums[i]!);

  const defaultGetCounter = options.interfaces === 'full' ? kd.lookupPlain('if_get_counter_default')?.value ?? null : null;
  const interfaces: NetInterface[] = raw.map((r, k) => {
    const ci = ifIdx[k]!.counters;
    const counters = {} as InterfaceCounters;
    for (const n of ['ipackets', 'ierrors', 'opackets', 'oerrors', 'collisions', 'ibytes', 'obytes', 'imcasts', 'omcasts', 'iqdrops', 'oqdrops', 'noproto'] as const) {
      counters[n] = val(ci[n]);
    }
    if (defaultGetCounter !== null && r.getCounter !== null && r.getCounter !== 0n && r.getCounter !== defaultGetCounter) {
      warnings.push(
        `${r.name}${where}: counters come from its driver's ${kd.formatAddress(r.getCounter)}, not if_counters[]; the values shown are if_counters[]`,
      );
    }
    return {
      name: r.name,
      index: r.index,
      flags: r.flags,
      mtu: r.mtu,
      link: linkAddress(r.link),
      counters,
      addresses: r.addresses.map((a, j) => {
        const ai = ifIdx[k]!.addrs[j]!;
        const c: AddressCounters = { ipackets: val(ai.ipackets), opackets: val(ai.opackets), ibytes: val(ai.ibytes), obytes: val(ai.obytes) };
        return { family: familyOf(a.family), addr: a.addr, netmask: a.netmask, dstaddr: a.dstaddr, counters: c };
      }),
    };
  });

  const stats: ProtocolStats = {};
  for (const a of arrays) {
    const slots = statSlots(kd, STAT_ARRAY[a.p]);
    if (!slots) {
      warnings.push(`no debug info for struct ${STAT_ARRAY[a.p]}: ${a.p} statistics not shown`);
      continue;
    }
    const values = sums.subarray(a.start, a.start + a.count);
    stats[a.p] = statRecord(slots, values) as StatRecord;
  }
  if (stats.tcp) stats.tcpStates = states ? Array.from(sums.subarray(states.start, states.start + states.count)) : null;

  return {
    view: { address: t.address, jails: t.jails, interfaces, stats, byteOrder: kd.info.byteOrder },
    warnings,
  };
}
