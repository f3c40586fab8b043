/**
 * VNET_PCPUSTAT statistics (sys/net/vnet.h): `struct tcpstat tcpstat` is kept as an array of
 * counter_u64_t, one per 64-bit field, named like the struct. Reading one is: resolve the array in
 * the chosen vnet, read its handles, sum each over the CPUs, and key the sums by the struct's
 * member names from DWARF.
 */
import { KvmError } from '../errors';
import type { Kvm } from '../kvm';
import type { ResolveOptions } from '../translation';
import { counterSlots, statRecord, type CounterSlot, type StatRecord } from '../types/counter-struct';

/** No stat struct has more fields than this; a larger symbol is not a stat array. */
const MAX_SLOTS = 1 << 16;

export interface PcpuStatOptions extends Pick<ResolveOptions, 'vnet'> {
  /** the struct naming the slots; default `struct <name>` */
  type?: string;
}

export interface PcpuStat {
  /** the array's address in the chosen vnet */
  address: bigint;
  /** slot sums, index = byte offset / 8 */
  values: BigUint64Array;
  /** sums keyed by member path */
  record: StatRecord;
}

const slotCache = new WeakMap<Kvm, Map<string, CounterSlot[]>>();

function slotsOf(kd: Kvm, type: string): CounterSlot[] {
  let m = slotCache.get(kd);
  if (!m) slotCache.set(kd, (m = new Map()));
  let s = m.get(type);
  if (!s) m.set(type, (s = counterSlots(kd.type(type))));
  return s;
}

/** The per-CPU statistics array `name` (e.g. 'tcpstat') of one vnet, summed over CPUs. */
export function pcpuStat(kd: Kvm, name: string, options: PcpuStatOptions = {}): PcpuStat {
  if (typeof name !== 'string' || name === '') throw new TypeError('pcpuStat expects a statistics array name');
  const sym = kd.symbol(name, options.vnet !== undefined ? { vnet: options.vnet } : {});
  if (sym.kind === 'pcpu') throw new KvmError('NO_VNET', `${name} is a per-CPU variable, not a VNET_PCPUSTAT array`, { name });
  const count = Number(sym.size / 8n);
  if (count <= 0 || count > MAX_SLOTS || sym.size % 8n !== 0n) {
    throw new KvmError('CORRUPT', `${name} is ${sym.size} bytes; a counter array is a non-empty multiple of 8`, { name });
  }
  const handles = kd.readArray(sym.value, count, 8);
  const values = kd.counters(handles);
  const record = statRecord(slotsOf(kd, options.type ?? `struct ${name}`), values);
  return { address: sym.value, values, record };
}
