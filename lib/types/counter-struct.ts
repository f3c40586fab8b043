/**
 * Counter structs (struct tcpstat and friends): every 64-bit field of the struct is one slot of a
 * VNET_PCPUSTAT counter array. Flattening the struct's DWARF type gives each slot's member path;
 * records are keyed by those member names, arrays as arrays and nested structs as records.
 */
import type { CType } from './model';

export type StatValue = bigint | StatValue[] | { [member: string]: StatValue };
export type StatRecord = { [member: string]: StatValue };

export interface CounterSlot {
  /** member names and array indexes from the struct's top */
  path: (string | number)[];
  /** slot index (byte offset / 8) */
  index: number;
}

/** The 8-byte integer fields of `type`, in offset order. */
export function counterSlots(type: CType): CounterSlot[] {
  const out: CounterSlot[] = [];
  const walk = (t: CType, base: number, path: (string | number)[], depth: number): void => {
    if (depth > 16) return;
    const s = t.strip();
    if (s.kind === 'struct' || s.kind === 'union') {
      for (const m of s.members) walk(m.type, base + m.offset, m.name === null ? path : [...path, m.name], depth + 1);
    } else if (s.kind === 'array') {
      const size = s.target.strip().size ?? 0;
      for (let i = 0; i < (s.length ?? 0) && size > 0; i++) walk(s.target, base + i * size, [...path, i], depth + 1);
    } else if (s.size === 8 && base % 8 === 0) {
      out.push({ path, index: base / 8 });
    }
  };
  walk(type, 0, [], 0);
  return out;
}

/** Sets the value at `path` in a record, creating arrays and records on the way. */
export function setStatPath(rec: StatRecord, path: (string | number)[], v: bigint): void {
  let cur: Record<string | number, StatValue> = rec;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    if (cur[key] === undefined) cur[key] = typeof path[i + 1] === 'number' ? [] : {};
    cur = cur[key] as Record<string | number, StatValue>;
  }
  cur[path[path.length - 1]!] = v;
}

/** The record of a counter struct from its slot values (values[i] = slot i). */
export function statRecord(slots: readonly CounterSlot[], values: ArrayLike<bigint>): StatRecord {
  const rec: StatRecord = {};
  for (const s of slots) if (s.index < values.length) setStatPath(rec, s.path, values[s.index]!);
  return rec;
}
