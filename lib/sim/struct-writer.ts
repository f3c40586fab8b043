/**
 * Writes kernel structures into simulated memory by member name, with offsets and sizes from the
 * simulated kernel's own DWARF (never typed in here): the builder says
 * `w.set(addr, 'struct prison', { pr_id: 3, pr_name: 'web', 'pr_list.tqe_next': next })`.
 */
import type { TypeContext } from '../types/context';
import type { CType, MemberLocation } from '../types/model';
import type { SimMemory } from './memory';

export type FieldValue = number | bigint | string | boolean | Uint8Array;

export class StructWriter {
  readonly #types: TypeContext;
  readonly #m: SimMemory;
  readonly #paths = new Map<string, MemberLocation>();
  readonly #sizes = new Map<string, number>();

  constructor(types: TypeContext, m: SimMemory) {
    this.#types = types;
    this.#m = m;
  }

  sizeof(type: string): number {
    let s = this.#sizes.get(type);
    if (s === undefined) {
      s = this.#types.sizeof(type);
      this.#sizes.set(type, s);
    }
    return s;
  }

  type(type: string): CType {
    return this.#types.type(type);
  }

  /** Offset, type and bit position of a member path of `type`. */
  member(type: string, path: string): MemberLocation {
    const key = `${type}\0${path}`;
    let loc = this.#paths.get(key);
    if (!loc) {
      loc = this.#types.type(type).memberPath(path);
      this.#paths.set(key, loc);
    }
    return loc;
  }

  offsetof(type: string, path: string): number {
    return this.member(type, path).offset;
  }

  has(type: string, path: string): boolean {
    try {
      this.member(type, path);
      return true;
    } catch {
      return false;
    }
  }

  /** Writes each member path of `values` into the `type` object at `addr`. */
  set(addr: bigint, type: string, values: Record<string, FieldValue | null | undefined>): void {
    for (const [path, value] of Object.entries(values)) {
      if (value === undefined || value === null) continue;
      this.#write(addr, type, path, value);
    }
  }

  #write(addr: bigint, type: string, path: string, value: FieldValue): void {
    const loc = this.member(type, path);
    if (loc.bitSize !== null) throw new RangeError(`${type}.${path} is a bitfield; the simulator does not write bitfields`);
    const va = addr + BigInt(loc.offset);
    const t = loc.type.strip();
    if (typeof value === 'string') {
      if (t.kind !== 'array') throw new TypeError(`${type}.${path} is not a char array`);
      const size = t.size ?? 0;
      const bytes = Buffer.from(value, 'latin1');
      if (bytes.length >= size) throw new RangeError(`${type}.${path}: "${value}" does not fit in char[${size}]`);
      this.#m.write(va, Buffer.concat([bytes, Buffer.alloc(1)]));
      return;
    }
    if (value instanceof Uint8Array) {
      if (t.size !== null && value.length > t.size) throw new RangeError(`${type}.${path}: ${value.length} bytes do not fit in ${t.size}`);
      this.#m.write(va, value);
      return;
    }
    const size = t.size;
    if (size === null || ![1, 2, 4, 8].includes(size) || (!t.isInteger() && t.kind !== 'pointer')) {
      throw new TypeError(`${type}.${path} (${t.toString()}) is not an integer or pointer`);
    }
    this.#m.writeInt(va, size, typeof value === 'boolean' ? (value ? 1 : 0) : value);
  }
}
