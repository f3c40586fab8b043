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
  /** Physical memory; throws FAULT/TRUNCATED, or UNSUPPORTED for cores without physical memory. */
  readPhys(pa: bigint, len: number): Buffer;
  /** One batch of the page walk, or undefined when the format has no walker. */
  walkPages(cursor: bigint, max: number): NativeWalkBatch | undefined;
  /** The kernel message buffer saved in the image (minidumps), or undefined. */
  msgbuf(): Buffer | undefined;
}

/**
 * [next cursor, walk finished, words, prot]: record i is words[5i..5i+4] = paddr, kernel-map va,
 * direct-map va, payload offset (2^64-1 when none), length; prot[i] = VM_PROT_* bits.
 */
export type NativeWalkBatch = [bigint, boolean, BigUint64Array, Uint8Array];

export interface NativeFormat {
  name: string;
  description: string;
}

export interface NativeAddon {
  NativeKvm: new (kernel: string, core: string) => NativeKvm;
  setErrorClass(cls: Function): void;
  formats(): NativeFormat[];
}
