/**
 * Typed values in kernel memory, drgn-style. An object is a type plus an address (or plain bytes
 * for computed values such as a pointer's `addressOf()`). Its bytes are read once, as one read of
 * sizeof(type); members and array elements slice that buffer instead of reading again.
 */
import { KvmError, hex } from '../errors';
import { formatObject } from './format';
import type { FormatOptions } from './format';
import type { CType } from './model';
import { parseMemberPath } from './model';
import type { TypeRegistry } from './registry';

/** What objects need from the open image. */
export interface ObjectHost {
  readonly registry: TypeRegistry;
  readonly littleEndian: boolean;
  readonly pointerSize: number;
  read(addr: bigint, len: number): Buffer;
  readCString(addr: bigint, max: number): string;
  symbolize(addr: bigint): { name: string; offset: bigint; value: bigint; size: bigint } | null;
}

/** Objects larger than this read their members on demand instead of all at once. */
const WHOLE_READ_LIMIT = 1 << 20;
const MASK64 = (1n << 64n) - 1n;

export type ScalarValue = number | bigint | boolean | string;
export type Value = ScalarValue | Value[] | { [member: string]: Value };

export class KObject {
  readonly type: CType;
  /** Where the object lives; null for a computed value. */
  readonly address: bigint | null;
  /** Bitfields: the field's first bit inside the first byte (target bit numbering) and width. */
  readonly bitOffset: number;
  readonly bitSize: number | null;
  readonly #host: ObjectHost;
  #bytes: Buffer | null;
  readonly #parent: KObject | null;
  readonly #parentOffset: number;

  /** @internal Use Kvm.object / Kvm.variable. */
  constructor(
    host: ObjectHost,
    type: CType,
    address: bigint | null,
    bytes: Buffer | null,
    parent: KObject | null = null,
    parentOffset = 0,
    bitOffset = 0,
    bitSize: number | null = null,
  ) {
    this.#host = host;
    this.type = type;
    this.address = address;
    this.#bytes = bytes;
    this.#parent = parent;
    this.#parentOffset = parentOffset;
    this.bitOffset = bitOffset;
    this.bitSize = bitSize;
  }

  /** Bytes this object occupies (a bitfield: the bytes its bits touch). */
  get byteLength(): number {
    if (this.bitSize !== null) return Math.ceil((this.bitOffset + this.bitSize) / 8);
    const size = this.type.size;
    if (size === null) throw new TypeError(`cannot read a value of type ${this.type} (no size)`);
    return size;
  }

  /** The object's bytes: read once (as part of the enclosing object when there is one). */
  bytes(): Buffer {
    if (this.#bytes) return this.#bytes;
    const len = this.byteLength;
    const p = this.#parent;
    if (p && p.#wholeReadable() && this.#parentOffset + len <= p.byteLength) {
      this.#bytes = p.bytes().subarray(this.#parentOffset, this.#parentOffset + len);
    } else {
      if (this.address === null) throw new TypeError('value has no address to read from');
      this.#bytes = this.#host.read(this.address, len);
    }
    return this.#bytes;
  }

  #wholeReadable(): boolean {
    if (this.#bytes) return true;
    const size = this.type.size;
    return size !== null && size > 0 && size <= WHOLE_READ_LIMIT && (this.address !== null || this.#parent !== null);
  }

  // ---- navigation ------------------------------------------------------------------------------

  /** A member by name or path ('if_addrhead.tqh_first', 'a[2].b', 'p->x'); pointers to structs are followed. */
  member(path: string): KObject {
    let obj: KObject = this;
    for (const step of parseMemberPath(path)) {
      if (step.kind === 'deref') obj = obj.deref();
      else if (step.kind === 'index') obj = obj.index(step.index);
      else obj = obj.#memberStep(step.name);
    }
    return obj;
  }

  #memberStep(name: string): KObject {
    let obj: KObject = this;
    if (obj.type.strip().kind === 'pointer') obj = obj.deref();
    const loc = obj.type.findMember(name);
    if (!loc) {
      throw new KvmError('NO_TYPE', `${obj.type} has no member '${name}'`, { name });
    }
    const addr = obj.address === null ? null : (obj.address + BigInt(loc.offset)) & MASK64;
    if (loc.bitSize !== null) {
      const inByte = loc.bitOffset - loc.offset * 8;
      return new KObject(obj.#host, loc.type, addr, null, obj, loc.offset, inByte, loc.bitSize);
    }
    return new KObject(obj.#host, loc.type, addr, null, obj, loc.offset);
  }

  /** Element `i` of an array, or of the memory a pointer points to. */
  index(i: number): KObject {
    if (!Number.isSafeInteger(i)) throw new TypeError('index must be an integer');
    const t = this.type.strip();
    if (t.kind === 'array') {
      const elem = t.target;
      const size = elem.size ?? 0;
      const off = i * size;
      const addr = this.address === null ? null : (this.address + BigInt(off)) & MASK64;
      return new KObject(this.#host, elem, addr, null, this, off);
    }
    if (t.kind === 'pointer') {
      const elem = t.target;
      if (elem.size === null) throw new TypeError(`cannot index a pointer to ${elem} (no size)`);
      const base = this.value() as bigint;
      return new KObject(this.#host, elem, (base + BigInt(i) * BigInt(elem.size)) & MASK64, null);
    }
    throw new TypeError(`cannot index a value of type ${this.type}`);
  }

  /** The object a pointer points to. */
  deref(): KObject {
    const t = this.type.strip();
    if (t.kind !== 'pointer') throw new TypeError(`cannot dereference a value of type ${this.type}`);
    const target = t.target;
    return new KObject(this.#host, target, this.value() as bigint, null);
  }

  /** A pointer value to this object. */
  addressOf(): KObject {
    if (this.address === null) throw new TypeError('value has no address');
    if (this.bitSize !== null) throw new TypeError('cannot take the address of a bitfield');
    const ptr = this.#host.registry.pointerTo(this.type);
    return new KObject(this.#host, ptr, null, encodeInt(this.address, ptr.size ?? this.#host.pointerSize, this.#host.littleEndian));
  }

  /** The same memory seen as another type. */
  cast(type: CType): KObject {
    if (this.address !== null) return new KObject(this.#host, type, this.address, null);
    const size = type.size ?? 0;
    const src = this.bytes();
    const buf = Buffer.alloc(size);
    src.copy(buf, 0, 0, Math.min(size, src.length));
    return new KObject(this.#host, type, null, buf);
  }

  /** Struct/union members (anonymous ones as unnamed entries), in order. */
  members(): { name: string | null; object: KObject }[] {
    const t = this.type.strip();
    if (!t.isAggregate()) throw new TypeError(`${this.type} is not a struct or union`);
    return t.members.map((m) => {
      const addr = this.address === null ? null : (this.address + BigInt(m.offset)) & MASK64;
      const obj =
        m.bitSize !== null
          ? new KObject(this.#host, m.type, addr, null, this, m.offset, m.bitOffset - m.offset * 8, m.bitSize)
          : new KObject(this.#host, m.type, addr, null, this, m.offset);
      return { name: m.name, object: obj };
    });
  }

  /** Array elements (all of them; a flexible array has none). */
  elements(): KObject[] {
    const t = this.type.strip();
    if (t.kind !== 'array') throw new TypeError(`${this.type} is not an array`);
    const n = t.length ?? 0;
    const out: KObject[] = [];
    for (let i = 0; i < n; i++) out.push(this.index(i));
    return out;
  }

  // ---- values ------------------------------------------------------------------------------------

  /**
   * The value as JavaScript: integers as number (bigint when wider than 32 bits), bool as boolean,
   * enums as the enumerator's name (the integer when none matches), pointers as bigint, floats as
   * number, arrays as arrays and structs as plain objects (anonymous members merged in).
   */
  value(): Value {
    return this.#valueAt(0);
  }

  #valueAt(depth: number): Value {
    // C types cannot contain themselves; a deeper nest means a cycle in corrupt DWARF.
    if (depth > 256) throw new KvmError('BAD_FORMAT', `${this.type} nests more than 256 levels deep`);
    const t = this.type.strip();
    switch (t.kind) {
      case 'int':
        return this.integer();
      case 'bool':
        return this.#rawInteger(false) !== 0n;
      case 'enum': {
        const v = this.#rawInteger(t.signed);
        const e = t.enumerators.find((x) => x.value === v);
        return e ? e.name : this.integer();
      }
      case 'pointer':
        return this.#rawInteger(false);
      case 'float':
        return this.#float();
      case 'array':
        return this.elements().map((e) => e.#valueAt(depth + 1));
      case 'struct':
      case 'union':
      case 'class': {
        const out: { [member: string]: Value } = {};
        for (const { name, object } of this.members()) {
          const v = object.#valueAt(depth + 1);
          if (name !== null) out[name] = v;
          else if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, v);
        }
        return out;
      }
      case 'function':
        if (this.address === null) throw new TypeError('function value has no address');
        return this.address;
      default:
        throw new TypeError(`a value of type ${this.type} has no value`);
    }
  }

  /** Integers, enums, bools and pointers as a number (bigint when wider than 32 bits). */
  integer(): number | bigint {
    const t = this.type.strip();
    if (t.kind !== 'int' && t.kind !== 'enum' && t.kind !== 'bool' && t.kind !== 'pointer') {
      throw new TypeError(`${this.type} is not an integer type`);
    }
    const signed = (t.kind === 'int' || t.kind === 'enum') && t.signed;
    const v = this.#rawInteger(signed);
    const width = this.bitSize ?? (t.size ?? 0) * 8;
    return width > 32 || t.kind === 'pointer' ? v : Number(v);
  }

  /** True for a pointer whose value is 0. */
  isNull(): boolean {
    return this.#rawInteger(false) === 0n;
  }

  /** A C string: the bytes of a char array up to its first NUL, or those a char pointer points to. */
  string(max = 4096): string {
    const t = this.type.strip();
    if (t.kind === 'array') {
      const b = this.bytes();
      const nul = b.indexOf(0);
      return b.subarray(0, nul < 0 ? Math.min(b.length, max) : Math.min(nul, max)).toString('utf8');
    }
    if (t.kind === 'pointer') {
      const p = this.#rawInteger(false);
      if (p === 0n) throw new KvmError('FAULT', `NULL ${this.type} has no string`, { address: 0n });
      return this.#host.readCString(p, max);
    }
    throw new TypeError(`${this.type} is not a char array or pointer`);
  }

  #rawInteger(signed: boolean): bigint {
    const b = this.bytes();
    const little = this.#host.littleEndian;
    if (this.bitSize !== null) {
      let v = 0n;
      for (let i = 0; i < b.length; i++) {
        const byte = BigInt(little ? b[b.length - 1 - i] : b[i]);
        v = (v << 8n) | byte;
      }
      const shift = little ? this.bitOffset : b.length * 8 - this.bitOffset - this.bitSize;
      v = (v >> BigInt(shift)) & ((1n << BigInt(this.bitSize)) - 1n);
      if (signed && this.bitSize > 0 && (v >> BigInt(this.bitSize - 1)) & 1n) v -= 1n << BigInt(this.bitSize);
      return v;
    }
    return decodeInt(b, signed, little);
  }

  #float(): number {
    const b = this.bytes();
    const little = this.#host.littleEndian;
    if (b.length === 4) return little ? b.readFloatLE(0) : b.readFloatBE(0);
    if (b.length === 8) return little ? b.readDoubleLE(0) : b.readDoubleBE(0);
    if (b.length >= 10 && little) return x87ToNumber(b);
    throw new TypeError(`cannot convert a ${b.length}-byte float (${this.type})`);
  }

  /** gdb-style rendering; see format.ts. */
  format(options?: FormatOptions): string {
    return formatObject(this, options);
  }

  toString(): string {
    return this.format();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const where = this.address === null ? 'value' : hex(this.address);
    let body: string;
    try {
      body = this.format();
    } catch (e) {
      body = `<${(e as Error).message}>`;
    }
    return `KObject(${this.type} @ ${where}) ${body}`;
  }

  /** @internal */
  get host(): ObjectHost {
    return this.#host;
  }
}

/** Two's-complement integer of any byte length. */
export function decodeInt(b: Uint8Array, signed: boolean, little: boolean): bigint {
  const n = b.length;
  if (n === 1) return BigInt(signed ? (b[0] << 24) >> 24 : b[0]);
  const buf = Buffer.from(b.buffer, b.byteOffset, n);
  if (n === 2) return BigInt(signed ? (little ? buf.readInt16LE(0) : buf.readInt16BE(0)) : little ? buf.readUInt16LE(0) : buf.readUInt16BE(0));
  if (n === 4) return BigInt(signed ? (little ? buf.readInt32LE(0) : buf.readInt32BE(0)) : little ? buf.readUInt32LE(0) : buf.readUInt32BE(0));
  if (n === 8) return signed ? (little ? buf.readBigInt64LE(0) : buf.readBigInt64BE(0)) : little ? buf.readBigUInt64LE(0) : buf.readBigUInt64BE(0);
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(little ? b[n - 1 - i] : b[i]);
  if (signed && n > 0 && (v >> BigInt(n * 8 - 1)) & 1n) v -= 1n << BigInt(n * 8);
  return v;
}

export function encodeInt(v: bigint, size: number, little: boolean): Buffer {
  const buf = Buffer.alloc(size);
  let x = BigInt.asUintN(size * 8, v);
  for (let i = 0; i < size; i++) {
    buf[little ? i : size - 1 - i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return buf;
}

// x87 80-bit extended precision (the first 10 bytes of a 16-byte long double), little-endian.
function x87ToNumber(b: Buffer): number {
  const mant = b.readBigUInt64LE(0);
  const se = b.readUInt16LE(8);
  const sign = se & 0x8000 ? -1 : 1;
  const exp = se & 0x7fff;
  if (exp === 0 && mant === 0n) return sign * 0;
  if (exp === 0x7fff) return (mant & ((1n << 63n) - 1n)) === 0n ? sign * Infinity : NaN;
  // value = mant / 2^63 * 2^(exp - 16383); scale in two steps to stay in double range.
  const m = Number(mant) / 2 ** 63;
  const e = (exp === 0 ? 1 : exp) - 16383;
  return sign * m * 2 ** Math.max(e, -1000) * 2 ** (e - Math.max(e, -1000));
}
