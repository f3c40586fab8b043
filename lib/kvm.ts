/**
 * The idiomatic API: `Kvm.open({ kernel, core })`, symbol lookup, and reads that either return
 * every byte asked for or throw a KvmError naming the first unreadable address.
 * Addresses are bigint everywhere; a number address is a TypeError.
 */
import { addon } from './binding';
import { KvmError, hex } from './errors';
import type { NativeKvm, NativeSymbol } from './native';
import { TypeContext } from './types/context';
import type { CType } from './types/model';
import type { KObject } from './types/object';

export interface OpenOptions {
  /** The kernel ELF file (its symbol table and, when present, its debug info). */
  kernel: string;
  /** The memory image: a crash dump, a simulated image or an ELF core. */
  core: string;
  /** A separate debug file (kernel.debug). */
  debug?: string;
}

export type ByteOrder = 'little' | 'big';

export interface KvmInfo {
  /** Core format name, e.g. 'minidump-amd64', 'elf-vcore'. */
  format: string;
  formatDescription: string;
  /** Kernel architecture: 'amd64', 'arm64', 'i386', ... */
  arch: string;
  pointerSize: 4 | 8;
  byteOrder: ByteOrder;
  /** The kernel's `version` string, when it has one and the image holds it. */
  version: string | null;
  /** Symbols loaded from the kernel file and where from ('.symtab' or '.dynsym'). */
  symbolCount: number;
  symbolSource: string;
  /** Bytes skipped at the start of the core (a kerneldumpheader), usually 0. */
  payloadOffset: number;
  coreSize: bigint;
  /** Format-specific header facts (version, kernbase, ...). */
  fields: Record<string, bigint | string>;
}

/** How a name resolved: as a plain symbol, or translated into a vnet's or a CPU's copy. */
export type SymbolKind = 'plain' | 'vnet' | 'pcpu';

export interface SymbolInfo {
  /** The name asked for. */
  name: string;
  /** The ELF symbol that matched (may differ by a leading '_' or a vnet_entry_/pcpu_entry_ prefix). */
  symbol: string;
  /** The address: the symbol's value, translated for 'vnet' and 'pcpu' kinds. */
  value: bigint;
  size: bigint;
  /** a.out type code as libkvm reports it (N_TEXT, N_DATA, N_BSS, N_ABS, | N_EXT). */
  type: number;
  kind: SymbolKind;
}

export interface NlistEntry {
  name: string;
  found: boolean;
  value: bigint;
  size: bigint;
  type: number;
  kind: SymbolKind | null;
  symbol: string | null;
}

export interface SymbolizeResult {
  name: string;
  offset: bigint;
  value: bigint;
  size: bigint;
}

export class Kvm {
  readonly info: KvmInfo;
  readonly kernelPath: string;
  readonly corePath: string;
  readonly debugPath: string | undefined;
  /** @internal */
  readonly native: NativeKvm;
  #closed = false;
  #types: TypeContext | null = null;

  static open(options: OpenOptions): Kvm {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('Kvm.open expects { kernel, core }');
    }
    if (typeof options.kernel !== 'string' || options.kernel === '') {
      throw new TypeError('Kvm.open: `kernel` must be a path');
    }
    if (typeof options.core !== 'string' || options.core === '') {
      throw new TypeError('Kvm.open: `core` must be a path');
    }
    if (options.debug !== undefined && typeof options.debug !== 'string') {
      throw new TypeError('Kvm.open: `debug` must be a path');
    }
    return new Kvm(options);
  }

  protected constructor(options: OpenOptions) {
    this.kernelPath = options.kernel;
    this.corePath = options.core;
    this.debugPath = options.debug;
    this.native = new addon.NativeKvm(options.kernel, options.core);
    const n = this.native.info();
    this.info = {
      format: n.format,
      formatDescription: n.formatDescription,
      arch: n.machine,
      pointerSize: n.wordSize,
      byteOrder: n.bigEndian ? 'big' : 'little',
      version: this.#readVersion(),
      symbolCount: n.symbolCount,
      symbolSource: n.symbolSource,
      payloadOffset: n.payloadOffset,
      coreSize: n.coreSize,
      fields: n.fields,
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Releases the files. Idempotent; every later call throws KvmError('CLOSED'). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#types?.close();
    this.native.close();
  }

  // ---- types (DWARF, loaded on first use; see lib/types/) ------------------------------------

  /** The typed layer: type lookups, objects, the DWARF file in use. Loads nothing until used. */
  get types(): TypeContext {
    if (this.#closed) throw new KvmError('CLOSED', 'the kvm handle is closed');
    return (this.#types ??= new TypeContext(this));
  }

  /** A type by C name: 'struct ifnet', 'union u', 'enum e', typedef/base names, 'char *', 'int[4]'. */
  type(name: string): CType {
    return this.types.type(name);
  }

  /** The object of `type` at `addr`; its bytes are read once, on first use. */
  object(type: CType | string, addr: bigint): KObject {
    return this.types.object(type, addr);
  }

  /** The global variable `name` as a typed object. */
  variable(name: string): KObject {
    return this.types.variable(name);
  }

  /** The `type` object whose member `member` is at `addr` (or where the pointer `addr` points). */
  containerOf(addr: bigint | KObject, type: CType | string, member: string): KObject {
    return this.types.containerOf(addr, type, member);
  }

  sizeof(type: CType | string): number {
    return this.types.sizeof(type);
  }

  /** Byte offset of a member path ('a.b.c', 'arr[2].x') in `type`. */
  offsetof(type: CType | string, member: string): number {
    return this.types.offsetof(type, member);
  }

  // ---- symbols -------------------------------------------------------------------------------

  /** Looks up each name (libkvm's leading-underscore rule); missing names have found: false. */
  nlist(names: readonly string[]): NlistEntry[] {
    if (!Array.isArray(names)) throw new TypeError('nlist expects an array of names');
    return names.map((name) => {
      if (typeof name !== 'string') throw new TypeError('nlist: every name must be a string');
      const s = this.lookupPlain(name);
      if (!s) {
        return { name, found: false, value: 0n, size: 0n, type: 0, kind: null, symbol: null };
      }
      return { name, found: true, value: s.value, size: s.size, type: s.type, kind: s.kind, symbol: s.symbol };
    });
  }

  /** The symbol `name`; throws KvmError('NO_SYMBOL') when the kernel has none. */
  symbol(name: string): SymbolInfo {
    if (typeof name !== 'string') throw new TypeError('symbol expects a name');
    const s = this.lookupPlain(name);
    if (!s) throw new KvmError('NO_SYMBOL', `no symbol ${name} in ${this.kernelPath}`, { name });
    return s;
  }

  /** The plain ELF symbol `name` (no vnet/pcpu translation), or null. */
  lookupPlain(name: string): SymbolInfo | null {
    const r: NativeSymbol | undefined = this.native.lookup(name);
    if (!r) return null;
    return { name, symbol: r[5], value: r[0], size: r[1], type: r[2], kind: 'plain' };
  }

  /** The symbol at or below `addr`, with the offset into it; null below the first symbol. */
  symbolize(addr: bigint): SymbolizeResult | null {
    const r = this.native.symbolize(addr);
    if (!r) return null;
    return { name: r[0], offset: r[1], value: r[2], size: r[3] };
  }

  /** "name+0x10" for an address, or its hex form when no symbol is at or below it. */
  formatAddress(addr: bigint): string {
    const s = this.symbolize(addr);
    if (!s) return hex(addr);
    return s.offset === 0n ? s.name : `${s.name}+${hex(s.offset)}`;
  }

  // ---- reads ---------------------------------------------------------------------------------

  /** Reads `len` bytes at `addr`; throws FAULT (or TRUNCATED) naming the first unreadable byte. */
  read(addr: bigint, len: number): Buffer {
    return this.native.read(addr, len);
  }

  /** Reads into `target` (its whole length, or `len` bytes); returns the count. */
  readInto(addr: bigint, target: Uint8Array, len: number = target.byteLength): number {
    return this.native.readInto(addr, target, len);
  }

  readU8(addr: bigint): number {
    return this.native.readU8(addr);
  }
  readU16(addr: bigint): number {
    return this.native.readU16(addr);
  }
  readU32(addr: bigint): number {
    return this.native.readU32(addr);
  }
  readU64(addr: bigint): bigint {
    return this.native.readU64(addr);
  }
  readS8(addr: bigint): number {
    return this.native.readS8(addr);
  }
  readS16(addr: bigint): number {
    return this.native.readS16(addr);
  }
  readS32(addr: bigint): number {
    return this.native.readS32(addr);
  }
  readS64(addr: bigint): bigint {
    return this.native.readS64(addr);
  }
  /** A pointer of the kernel's size (4 or 8 bytes), as bigint. */
  readPointer(addr: bigint): bigint {
    return this.native.readWord(addr);
  }

  /** The bytes at `addr` up to the first NUL, at most `max` bytes, as a latin1-safe UTF-8 string. */
  readCString(addr: bigint, max = 4096): string {
    return this.native.readCString(addr, max);
  }

  /**
   * Batch read for hot loops: element i is `size` bytes at addrs[i], stored at i*size in the
   * result (or in `target`). Throws FAULT for the first unreadable element.
   */
  readMany(addrs: BigUint64Array, size: number, target?: Uint8Array): Buffer {
    if (!(addrs instanceof BigUint64Array)) throw new TypeError('readMany expects a BigUint64Array');
    const out = target ?? Buffer.allocUnsafe(addrs.length * size);
    this.native.readMany(addrs, size, out);
    return Buffer.isBuffer(out) ? out : Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  }

  /**
   * libkvm-style partial read: copies what it can and reports where it stopped.
   * Never throws for unreadable memory.
   */
  readPartial(addr: bigint, target: Uint8Array, len: number = target.byteLength): PartialRead {
    const r = this.native.readPartial(addr, target, len);
    if (r[0] === len) return { bytes: len, fault: null };
    return { bytes: r[0], fault: { code: r[1] as 'FAULT' | 'TRUNCATED', address: r[2] as bigint, reason: r[3] ?? '' } };
  }

  #readVersion(): string | null {
    const s = this.native.lookup('version');
    if (!s || s[0] === 0n) return null;
    const max = s[1] > 0n && s[1] < 4096n ? Number(s[1]) : 1024;
    try {
      return this.native.readCString(s[0], max);
    } catch {
      return null;
    }
  }
}

export interface PartialRead {
  bytes: number;
  fault: { code: 'FAULT' | 'TRUNCATED'; address: bigint; reason: string } | null;
}

/** The core formats this build reads, in probe order. */
export function listFormats(): { name: string; description: string }[] {
  return addon.formats();
}
