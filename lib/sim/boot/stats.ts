/**
 * Protocol statistics: the VNET_PCPUSTAT counter arrays (tcpstat, udpstat, ipstat, icmpstat,
 * ip6stat, icmp6stat; and tcps_states) of one stack, each element a counter(9) handle whose
 * per-CPU slots sum to a value drawn from the seed. Member names come from the kernel's DWARF,
 * so the record the builder promises is keyed exactly as a reader will key it.
 */
import { counterSlots, setStatPath, type StatValue } from '../../types/counter-struct';
import type { Random } from '../random';
import type { StatsSpec } from '../scenario';
import { BootContext, hasSym, symSize } from './context';
import type { CounterAllocator } from './counters';
import { vnetAddr, type SimVnet } from './vnets';

/** Symbol -> struct of each VNET_PCPUSTAT array. */
export const STAT_ARRAYS: readonly [string, string][] = [
  ['tcpstat', 'struct tcpstat'],
  ['udpstat', 'struct udpstat'],
  ['ipstat', 'struct ipstat'],
  ['icmpstat', 'struct icmpstat'],
  ['ip6stat', 'struct ip6stat'],
  ['icmp6stat', 'struct icmp6stat'],
];

function draw(rng: Random, histogram: boolean): bigint {
  if (rng.chance(histogram ? 0.85 : 0.3)) return 0n;
  const r = rng.int(100);
  if (r < 8) return 1n;
  if (r < 40) return BigInt(2 + rng.int(98));
  if (r < 80) return BigInt(100 + rng.int(99_900));
  return BigInt(100_000 + rng.int(2_000_000_000));
}

export type { StatValue };

export interface StackStats {
  /** by array symbol: the record keyed by member names */
  records: Record<string, { [member: string]: StatValue }>;
  tcpStates: bigint[] | null;
}

function explicitValue(spec: StatsSpec, array: string, path: (string | number)[]): bigint | undefined {
  if (typeof spec !== 'object') return undefined;
  const rec = spec[array];
  if (!rec) return undefined;
  let v: unknown = rec[String(path[0])];
  for (let i = 1; i < path.length && v !== undefined; i++) v = (v as Record<string, unknown>)[String(path[i])];
  if (v === undefined) return undefined;
  return BigInt.asUintN(64, BigInt(v as string | number));
}

export function setupStats(ctx: BootContext, vnet: SimVnet | null, counters: CounterAllocator, spec: StatsSpec, label: string): StackStats {
  const rng = ctx.rng.fork(`stats:${label}`);
  const cpus = counters.cpuSubset(rng);
  const records: StackStats['records'] = {};
  for (const [array, type] of STAT_ARRAYS) {
    const symName = ctx.vimage ? `vnet_entry_${array}` : array;
    if (!hasSym(ctx, symName)) continue;
    const n = Number(symSize(ctx, symName) / 8n);
    const slots = counterSlots(ctx.w.type(type));
    const byIndex = new Map(slots.map((s) => [s.index, s]));
    const base = vnetAddr(ctx, vnet, array);
    const rec: { [member: string]: StatValue } = {};
    for (let i = 0; i < n; i++) {
      const { handle, itemPa } = counters.alloc();
      ctx.m.writeInt(base + BigInt(8 * i), 8, handle);
      const slot = byIndex.get(i);
      if (!slot) continue; // padding past the struct (the symbol's size is what the kernel has)
      const isPad = slot.path.some((p) => typeof p === 'string' && p.startsWith('_pad'));
      const histogram = slot.path.some((p) => typeof p === 'number');
      let v = explicitValue(spec, array, slot.path);
      if (v === undefined) v = spec === 'zero' || isPad ? 0n : draw(rng, histogram);
      counters.setValue(itemPa, v, rng, cpus);
      setStatPath(rec, slot.path, v);
    }
    records[array] = rec;
  }
  let tcpStates: bigint[] | null = null;
  const statesSym = ctx.vimage ? 'vnet_entry_tcps_states' : 'tcps_states';
  if (hasSym(ctx, statesSym)) {
    const n = Number(symSize(ctx, statesSym) / 8n);
    const base = vnetAddr(ctx, vnet, 'tcps_states');
    tcpStates = [];
    for (let i = 0; i < n; i++) {
      const { handle, itemPa } = counters.alloc();
      ctx.m.writeInt(base + BigInt(8 * i), 8, handle);
      const v = spec === 'zero' ? 0n : rng.chance(0.4) ? 0n : BigInt(1 + rng.int(i === 4 ? 500 : 20));
      counters.setValue(itemPa, v, rng, cpus);
      tcpStates.push(v);
    }
  }
  return { records, tcpStates };
}
