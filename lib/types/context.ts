/**
 * The typed view of one open image: finds the DWARF on first use (debug-file.ts), then answers
 * type lookups, sizeof/offsetof, and builds objects for addresses and global variables.
 * The Kvm class holds one of these and forwards its typed methods here.
 */
import { addon } from '../binding';
import { KvmError } from '../errors';
import type { NativeDwarf } from '../native';
import { findDebugFile } from './debug-file';
import type { CType } from './model';
import { KObject, ObjectHost } from './object';
import { TypeRegistry } from './registry';

/** What the typed layer needs from an open image (the Kvm class provides it). */
export interface TypeHostImage {
  readonly kernelPath: string;
  readonly debugPath: string | undefined;
  readonly info: { byteOrder: 'little' | 'big'; pointerSize: 4 | 8 };
  read(addr: bigint, len: number): Buffer;
  readCString(addr: bigint, max?: number): string;
  symbolize(addr: bigint): { name: string; offset: bigint; value: bigint; size: bigint } | null;
  lookupPlain(name: string): { value: bigint } | null;
}

export class TypeContext implements ObjectHost {
  readonly #image: TypeHostImage;
  #dwarf: NativeDwarf | null = null;
  #registry: TypeRegistry | null = null;
  #debugFile: string | null = null;
  #closed = false;

  constructor(image: TypeHostImage) {
    this.#image = image;
  }

  get littleEndian(): boolean {
    return this.#image.info.byteOrder === 'little';
  }

  get pointerSize(): number {
    return this.#image.info.pointerSize;
  }

  /** The file the DWARF was read from (loads it on first use). */
  get debugFile(): string {
    this.registry;
    return this.#debugFile as string;
  }

  /** The registry, created on the first typed call: finds and indexes the DWARF. */
  get registry(): TypeRegistry {
    if (this.#registry) return this.#registry;
    if (this.#closed) throw new KvmError('CLOSED', 'the kvm handle is closed');
    const found = findDebugFile(this.#image.kernelPath, this.#image.debugPath);
    this.#dwarf = new addon.NativeDwarf(found.path);
    this.#debugFile = found.path;
    this.#registry = new TypeRegistry(this.#dwarf, this.pointerSize);
    return this.#registry;
  }

  /** @internal The addon's reader (loads the DWARF). */
  get dwarf(): NativeDwarf {
    this.registry;
    return this.#dwarf as NativeDwarf;
  }

  close(): void {
    this.#closed = true;
    this.#dwarf?.close();
    this.#dwarf = null;
    this.#registry = null;
  }

  read(addr: bigint, len: number): Buffer {
    return this.#image.read(addr, len);
  }

  readCString(addr: bigint, max: number): string {
    return this.#image.readCString(addr, max);
  }

  symbolize(addr: bigint): { name: string; offset: bigint; value: bigint; size: bigint } | null {
    return this.#image.symbolize(addr);
  }

  type(t: CType | string): CType {
    if (typeof t === 'string') return this.registry.parse(t);
    if (t && typeof t === 'object' && 'kind' in t) return t;
    throw new TypeError('expected a type or a type name');
  }

  sizeof(t: CType | string): number {
    const type = this.type(t);
    if (type.size === null) throw new KvmError('NO_TYPE', `${type} has no size (void, a function, or incomplete)`);
    return type.size;
  }

  /**
   * sizeof, or null when there is no DWARF at all (NO_TYPES), no such type (NO_TYPE) or the type
   * has no size. For callers with a fallback, such as libkvm's pcpu stride.
   */
  sizeofOrNull(t: CType | string): number | null {
    try {
      return this.type(t).size;
    } catch (e) {
      if (e instanceof KvmError && (e.code === 'NO_TYPES' || e.code === 'NO_TYPE')) return null;
      throw e;
    }
  }

  offsetof(t: CType | string, path: string): number {
    const loc = this.type(t).memberPath(path);
    return loc.offset;
  }

  object(t: CType | string, addr: bigint): KObject {
    if (typeof addr !== 'bigint') throw new TypeError('address must be a bigint');
    return new KObject(this, this.type(t), addr, null);
  }

  /**
   * The global variable `name` as a typed object. Its type comes from DWARF; its address from the
   * DWARF location, else from the symbol table.
   */
  variable(name: string): KObject {
    if (typeof name !== 'string') throw new TypeError('variable expects a name');
    const v = this.dwarf.findVariable(name);
    if (!v) throw new KvmError('NO_SYMBOL', `no variable ${name} in the debug information of ${this.debugFile}`, { name });
    if (v.typeId === undefined) throw new KvmError('NO_TYPE', `variable ${name} has no type in the debug information`, { name });
    let addr = v.address;
    if (addr === undefined) {
      const sym = this.#image.lookupPlain(name);
      if (!sym) throw new KvmError('NO_SYMBOL', `variable ${name} has no address (no DWARF location, no symbol)`, { name });
      addr = sym.value;
    }
    return new KObject(this, this.registry.fromId(v.typeId), addr, null);
  }

  /** The type of the global variable `name`. */
  variableType(name: string): CType {
    const v = this.dwarf.findVariable(name);
    if (!v || v.typeId === undefined) throw new KvmError('NO_SYMBOL', `no typed variable ${name} in the debug information`, { name });
    return this.registry.fromId(v.typeId);
  }

  /** The enclosing object of type `t` whose member `path` is at `addr` (C's container_of). */
  containerOf(addr: bigint | KObject, t: CType | string, path: string): KObject {
    let a: bigint;
    if (typeof addr === 'bigint') a = addr;
    else if (addr instanceof KObject) {
      const s = addr.type.strip();
      a = s.kind === 'pointer' ? (addr.value() as bigint) : (addr.address ?? 0n);
    } else throw new TypeError('containerOf expects a bigint address or an object');
    const type = this.type(t);
    const off = BigInt(this.offsetof(type, path));
    const base = (a - off) & ((1n << 64n) - 1n);
    return new KObject(this, type, base, null);
  }
}
