/**
 * The idiomatic API: `Kvm.open({ kernel, core })`, symbol lookup, and reads that either return
 * every byte asked for or throw a KvmError naming the first unreadable address.
 * Addresses are bigint everywhere; a number address is a TypeError.
 */
import { addon } from './binding';
import { KvmError, hex } from './errors';

import {
  Selection,
  perCpu,
  perVnet,
  resolveName,
  type ResolveOptions,
  type VnetChoice,
  type VnetSelector,
} from './translation';
import { presentCpus, cpuGlobals, type Cpu, type CpuGlobals } from './helpers/pcpu';
import { readVnet, vnetAddresses, type Vnet } from './helpers/vnet';
import { counterEncoding, counterPerCpu, sumCounters, type CounterEncoding } from './helpers/counter';
import { listJails, type Jail } from './helpers/jail';
import { dumpTid, findThread, listProcs, type Proc, type Thread } from './helpers/proc';
import { pcpuStat, type PcpuStat, type PcpuStatOptions } from './helpers/pcpustat';
import { listVnetsWithJails, type VnetEntry } from './helpers/vnet-jails';
import type { NativeKvm, NativeSymbol, NativeWalkBatch } from './native';
import { TypeContext } from './types/context';
import type { CType } from './types/model';
import type { KObject } from './types/object';

export interface OpenOptions {
  /** The kernel ELF file (its symbol table and, when present, its debug info). */
  kernel: string;
  /** The memory image: a crash dump, a simulated image or an ELF core. Omit it to open the
   *  kernel alone (symbols and types work; reads throw FAULT). */
  core?: string;
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
  readonly corePath: string | null;
  readonly debugPath: string | undefined;
  /** @internal */
  readonly native: NativeKvm;
  #closed = false;
  #selection: Selection;
  #counterEncoding: CounterEncoding | null = null;
  #types: TypeContext | null = null;

  static open(options: OpenOptions): Kvm {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('Kvm.open expects { kernel, core }');
    }
    if (typeof options.kernel !== 'string' || options.kernel === '') {
      throw new TypeError('Kvm.open: `kernel` must be a path');
    }
    if (options.core !== undefined && (typeof options.core !== 'string' || options.core === '')) {
      throw new TypeError('Kvm.open: `core` must be a path');
    }
    if (options.debug !== undefined && typeof options.debug !== 'string') {
      throw new TypeError('Kvm.open: `debug` must be a path');
    }
    return new Kvm(options);
  }

  protected constructor(options: OpenOptions) {
    this.kernelPath = options.kernel;
    this.corePath = options.core ?? null;
    this.debugPath = options.debug;
    this.native = addon.open(options.kernel, options.core ?? null);
    this.#selection = new Selection(this);
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

  /**
   * Looks up each name as libkvm does: plain, then `vnet_entry_<name>` translated into the selected
   * (or given) vnet, then `pcpu_entry_<name>` for the selected (or given) CPU. Missing names have
   * found: false.
   */
  nlist(names: readonly string[], options: ResolveOptions = {}): NlistEntry[] {
    if (!Array.isArray(names)) throw new TypeError('nlist expects an array of names');
    return names.map((name) => {
      if (typeof name !== 'string') throw new TypeError('nlist: every name must be a string');
      const s = this.resolve(name, options);
      if (!s) {
        return { name, found: false, value: 0n, size: 0n, type: 0, kind: null, symbol: null };
      }
      return { name, found: true, value: s.value, size: s.size, type: s.type, kind: s.kind, symbol: s.symbol };
    });
  }

  /** The symbol `name`, translated as nlist does; throws KvmError('NO_SYMBOL') when none matches. */
  symbol(name: string, options: ResolveOptions = {}): SymbolInfo {
    const s = this.resolve(name, options);
    if (!s) throw new KvmError('NO_SYMBOL', `no symbol ${name} in ${this.kernelPath}`, { name });
    return s;
  }

  /**
   * Resolves `name` with vnet and per-CPU translation (kind says which matched); null when absent.
   * `vnet` and `cpu` override the handle's selection for this call only.
   */
  resolve(name: string, options: ResolveOptions = {}): SymbolInfo | null {
    return resolveName(this, this.#selection, name, options);
  }

  // ---- vnets and CPUs ------------------------------------------------------------------------

  /** Selects the vnet later lookups translate into (by address, 'vnet0', 'current', jail or pid). */
  setVnet(selector: VnetSelector): VnetChoice {
    return this.#selection.setVnet(selector);
  }

  /** Selects the CPU whose copy pcpu_entry_ lookups translate into. */
  setCpu(cpu: number): Cpu {
    return this.#selection.setCpu(cpu);
  }

  /** The current selection (libkvm's defaults, vnet0 and CPU 0, until changed). */
  get selection(): { vnet: VnetChoice | null; cpu: Cpu | null } {
    this.#selection.ensure();
    return { vnet: this.#selection.vnet, cpu: this.#selection.cpu };
  }

  /** The address of a virtualized variable in every vnet. */
  perVnet(name: string): { vnet: bigint; address: bigint }[] {
    return perVnet(this, name);
  }

  /** The address of a per-CPU variable on every present CPU. */
  perCpu(name: string): { cpu: number; address: bigint }[] {
    return perCpu(this, name);
  }

  /** Every vnet on vnet_head, newest first, with its header fields (magic not judged). */
  vnetList(): Vnet[] {
    return vnetAddresses(this).map((a) => readVnet(this, a));
  }

  /** Present CPUs (sparse ids kept) and the CPU globals. */
  cpuList(): Cpu[] {
    return presentCpus(this);
  }
  /** Present CPUs (the same as cpuList()). */
  cpus(): Cpu[] {
    return presentCpus(this);
  }
  cpuGlobals(): CpuGlobals {
    return cpuGlobals(this);
  }

  /** Every vnet with the jails using it; a vnet with a bad header is listed with its problem. */
  vnets(): VnetEntry[] {
    return listVnetsWithJails(this);
  }

  /** prison0 and every jail on allprison. */
  jails(): Jail[] {
    return listJails(this);
  }

  /** Every process on allproc with its threads. */
  procs(): Proc[] {
    return listProcs(this);
  }

  /** The thread that wrote the dump (dumptid) and its process, or null on a live-style image. */
  dumpThread(): { proc: Proc; thread: Thread } | null {
    const tid = dumpTid(this);
    return tid === null ? null : findThread(listProcs(this), tid);
  }

  // ---- counter(9) ----------------------------------------------------------------------------

  /** How this kernel's counter_u64_t handles map to per-CPU slots. */
  counterEncoding(): CounterEncoding {
    this.#counterEncoding ??= counterEncoding(this);
    return this.#counterEncoding;
  }

  /** The value of a counter_u64_t: the sum of its present CPUs' copies. */
  counter(handle: bigint): bigint {
    if (typeof handle !== 'bigint') throw new TypeError('Expected a counter handle (bigint)');
    return sumCounters(this, BigUint64Array.of(handle), this.counterEncoding())[0]!;
  }

  /** Sums of many counter_u64_t handles in one pass. */
  counters(handles: BigUint64Array): BigUint64Array {
    return sumCounters(this, handles, this.counterEncoding());
  }

  /** A counter's copy on each present CPU. */
  counterPerCpu(handle: bigint): { cpu: number; value: bigint }[] {
    return counterPerCpu(this, handle, this.counterEncoding());
  }

  /** A VNET_PCPUSTAT array (tcpstat, ipstat, ...) of one vnet, summed over CPUs and keyed by member. */
  pcpuStat(name: string, options: PcpuStatOptions = {}): PcpuStat {
    return pcpuStat(this, name, options);
  }

  /** sizeof a type from the kernel's debug info; null when there is none or no such type. */
  sizeofOrNull(typeName: string): number | null {
    return this.types.sizeofOrNull(typeName);
  }

  /** `count` values of 4 or 8 bytes at addr in the kernel's byte order. */
  readArray(addr: bigint, count: number, width: 4 | 8 = 8): BigUint64Array {
    return this.native.readArray(addr, count, width);
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

  /**
   * Reads `len` bytes of physical memory at `pa` (minidumps and full dumps). Throws FAULT naming
   * the first physical address not in the dump, TRUNCATED when the file ends early, and
   * UNSUPPORTED for cores that hold no physical memory (ELF cores of virtual memory).
   */
  readPhys(pa: bigint, len: number): Buffer {
    if (typeof pa !== 'bigint') throw new TypeError('Expected physical address to be a bigint');
    return this.native.readPhys(pa, len);
  }

  /**
   * Every page the image holds, once, in the dump's order (for minidumps: bitmap order, which is
   * ascending physical address). Throws UNSUPPORTED (when called) for formats without a page
   * walker. See docs/formats.md for what each field means per format.
   */
  walkPages(options: { batch?: number } = {}): Generator<PageRecord> {
    const batch = options.batch ?? 4096;
    if (!Number.isInteger(batch) || batch < 1 || batch > 1 << 20) {
      throw new RangeError('walkPages: batch must be an integer in [1, 2^20]');
    }
    const first = this.native.walkPages(0n, batch);
    if (first === undefined) {
      throw new KvmError('UNSUPPORTED', `the ${this.info.format} format has no page walker`);
    }
    return walkBatches(this.native, first, batch);
  }

  /** The kernel message buffer saved in the dump (minidumps), or null when the format has none. */
  msgbuf(): Buffer | null {
    return this.native.msgbuf() ?? null;
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

/** One page of the image, as kd.walkPages() and kvm_walk_pages report it. */
export interface PageRecord {
  /** Physical address of the page (0 for images without physical addresses). */
  paddr: bigint;
  /** Lowest kernel-map address mapping it, or 0n when it is not in the kernel map. */
  kmapVaddr: bigint;
  /** Its direct-map address, or 0n when the direct map does not cover it. */
  dmapVaddr: bigint;
  /** VM_PROT_READ 1 | VM_PROT_WRITE 2 | VM_PROT_EXECUTE 4. */
  prot: number;
  /** Offset of the page's bytes in the core payload, or -1n when the image has none. */
  offset: bigint;
  len: bigint;
}

const NO_OFFSET = (1n << 64n) - 1n;

function* walkBatches(native: NativeKvm, first: NativeWalkBatch, batch: number): Generator<PageRecord> {
  let cur: NativeWalkBatch | undefined = first;
  while (cur) {
    const [next, done, words, prot] = cur;
    for (let i = 0; i < prot.length; i++) {
      const w = i * 5;
      const off = words[w + 3] as bigint;
      yield {
        paddr: words[w] as bigint,
        kmapVaddr: words[w + 1] as bigint,
        dmapVaddr: words[w + 2] as bigint,
        prot: prot[i] as number,
        offset: off === NO_OFFSET ? -1n : off,
        len: words[w + 4] as bigint,
      };
    }
    if (done) return;
    cur = native.walkPages(next, batch);
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
