/**
 * The addon's private, positional API, typed once. Only lib/ uses it; the public contract is the
 * Kvm class and the libkvm functions.
 */

export interface NativeInfo {
  format: string;
  formatDescription: string;
  machine: string;
  machineCode: number;
  elfClass: 32 | 64;
  bigEndian: boolean;
  wordSize: 4 | 8;
  kernelType: number;
  symbolCount: number;
  symbolSource: string;
  payloadOffset: number;
  coreSize: bigint;
  kerndisp: bigint;
  fields: Record<string, bigint | string>;
}

/** [value, size, n_type, STT_*, STB_*, name of the matched ELF symbol] */
export type NativeSymbol = [bigint, bigint, number, number, number, string];

/** [copied, code, first unreadable address, reason]; the last three only when copied < length */
export type NativePartial = [number, string?, bigint?, string?];

export interface NativeKvm {
  close(): void;
  info(): NativeInfo;
  lookup(name: string): NativeSymbol | undefined;
  /** [name, offset from the symbol, symbol value, symbol size] */
  symbolize(addr: bigint): [string, bigint, bigint, bigint] | undefined;
  read(addr: bigint, len: number): Buffer;
  readInto(addr: bigint, target: Uint8Array, len: number): number;
  readPartial(addr: bigint, target: Uint8Array, len: number): NativePartial;
  readMany(addrs: BigUint64Array, size: number, target: Uint8Array): void;
  readU8(addr: bigint): number;
  readU16(addr: bigint): number;
  readU32(addr: bigint): number;
  readS8(addr: bigint): number;
  readS16(addr: bigint): number;
  readS32(addr: bigint): number;
  readU64(addr: bigint): bigint;
  readS64(addr: bigint): bigint;
  readWord(addr: bigint): bigint;
  readCString(addr: bigint, max: number): string;
  /** count values of width 4 or 8 bytes, decoded in the kernel's byte order */
  readArray(addr: bigint, count: number, width: 4 | 8): BigUint64Array;
  /** out[i] = sum_j u64(bases[i] + offsets[j]) mod 2^64; returns unreadable slots (per i in faults) */
  sumGather(bases: BigUint64Array, offsets: BigUint64Array, out: BigUint64Array, faults?: Uint32Array): number;
  /** order 0 libkvm (plain, vnet, pcpu), 1 ddb (plain, pcpu, vnet); kind 0 plain, 1 vnet, 2 pcpu */
  resolve(name: string, order: 0 | 1, vnetBase?: bigint | null, cpuOffset?: bigint | null, useSelection?: boolean): NativeResolved | undefined;
  /** the handle's selected vnet_data_base and dpcpu_off (null = none) */
  select(vnetBase: bigint | null, cpuOffset: bigint | null): void;
  /** [vnet set start, stop, pcpu set start, stop, selected vnet base, selected cpu offset] */
  translation(): [bigint | null, bigint | null, bigint | null, bigint | null, bigint | null, bigint | null];
  /** Physical memory; throws FAULT/TRUNCATED, or UNSUPPORTED for cores without physical memory. */
  readPhys(pa: bigint, len: number): Buffer;
  /** One batch of the page walk, or undefined when the format has no walker. */
  walkPages(cursor: bigint, max: number): NativeWalkBatch | undefined;
  /** The kernel message buffer saved in the image (minidumps), or undefined. */
  msgbuf(): Buffer | undefined;
  /** The kernel ELF's PT_LOADs: [vaddr, memsz, file bytes] */
  kernelSegments(): [bigint, bigint, Buffer][];
}

/**
 * [next cursor, walk finished, words, prot]: record i is words[5i..5i+4] = paddr, kernel-map va,
 * direct-map va, payload offset (2^64-1 when none), length; prot[i] = VM_PROT_* bits.
 */
export type NativeWalkBatch = [bigint, boolean, BigUint64Array, Uint8Array];

/** [value, size, n_type, STT_*, STB_*, matched ELF symbol, kind 0 plain | 1 vnet | 2 pcpu] */
export type NativeResolved = [bigint, bigint, number, number, number, string, 0 | 1 | 2];

export interface NativeFormat {
  name: string;
  description: string;
}

/** A struct/union member; bitOffset counts from the start of the enclosing type. */
export interface NativeMember {
  name: string;
  typeId?: number;
  offset: number;
  bitOffset: number;
  /** 0 unless a bitfield */
  bitSize: number;
}

export type NativeTypeKind =
  | 'base' | 'struct' | 'union' | 'class' | 'enum' | 'typedef' | 'pointer' | 'array' | 'const'
  | 'volatile' | 'restrict' | 'atomic' | 'function' | 'unspecified' | 'reference'
  | 'rvalue_reference' | 'ptr_to_member';

export interface NativeTypeInfo {
  /** The DIE decoded; a declaration's info carries its definition's id. */
  id: number;
  kind: NativeTypeKind;
  name?: string;
  size?: number;
  /** Pointee, typedef target, array element, qualified type, return type or enum base type. */
  target?: number;
  /** A declaration with no definition anywhere. */
  incomplete?: boolean;
  /** DW_ATE_* of a base type. */
  encoding?: number;
  members?: NativeMember[];
  /** Array dimensions, outermost first; null = unknown (flexible array). */
  dims?: (number | null)[];
  signed?: boolean;
  enumerators?: { name: string; value: bigint }[];
  params?: (number | null)[];
  variadic?: boolean;
  prototyped?: boolean;
}

export interface NativeVariable {
  id: number;
  typeId?: number;
  address?: bigint;
  declaration: boolean;
  external: boolean;
}

export interface NativeDwarfStats {
  path: string;
  addressSize: number;
  bigEndian: boolean;
  units: number;
  typeUnits: number;
  dies: number;
  maxVersion: number;
  names: Record<'struct' | 'union' | 'enum' | 'typedef' | 'base' | 'variable', number>;
  indexMs: number;
  compressedSections: number;
  inflatedBytes: number;
  infoBytes: number;
  cachedTypes: number;
}

export type NativeNameKind = 'struct' | 'union' | 'enum' | 'typedef' | 'base';

export interface NativeDwarf {
  close(): void;
  findType(kind: NativeNameKind, name: string): number | undefined;
  typeInfo(id: number): NativeTypeInfo;
  findVariable(name: string): NativeVariable | undefined;
  stats(): NativeDwarfStats;
}

export interface NativeDebugProbe {
  isElf: boolean;
  hasDwarf: boolean;
  debuglink?: string;
  debuglinkCrc?: number;
}

export interface NativeDwarfClass {
  new (path: string): NativeDwarf;
  probe(path: string): NativeDebugProbe;
  crc32(path: string): number;
  /** The section decoder: inflates a zlib stream to exactly `size` bytes. */
  inflate(data: Uint8Array, size: number): Buffer;
}

export interface NativeAddon {
  /** core null: the kernel alone (symbols and types; reads fault) */
  open(kernel: string, core: string | null): NativeKvm;
  NativeDwarf: NativeDwarfClass;
  setErrorClass(cls: Function): void;
  formats(): NativeFormat[];
}
