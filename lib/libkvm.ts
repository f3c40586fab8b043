/**
 * FreeBSD libkvm's C API, adapted to JavaScript: same names, same arguments, same return
 * conventions (a handle or null, counts or -1, messages through kvm_geterr). Addresses are
 * bigint (kvaddr_t); buffers are Uint8Arrays. Thin wrappers over the Kvm class.
 */
import { KvmError } from './errors';
import { Kvm } from './kvm';
import type { PageRecord } from './kvm';

// open(2) access modes accepted by kvm_open (FreeBSD values).
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;

// a.out symbol types reported in n_type.
export const N_UNDF = 0x0;
export const N_EXT = 0x1;
export const N_ABS = 0x2;
export const N_TEXT = 0x4;
export const N_DATA = 0x6;
export const N_BSS = 0x8;
export const N_FN = 0x1f;

/** _POSIX2_LINE_MAX: libkvm's error buffer size; messages are cut to fit as libkvm's are. */
export const KVM_ERRBUF_SIZE = 2048;

/** The error buffer of kvm_openfiles/kvm_open2: `message` is set when the open fails. */
export interface KvmErrbuf {
  message: string;
}

/** struct nlist / struct kvm_nlist: n_name in, n_type and n_value out. */
export interface KvmNlist {
  n_name: string;
  n_type?: number;
  n_value?: bigint;
  n_other?: number;
  n_desc?: number;
}

/**
 * kvm_open2's symbol resolver, adapted: return the address of `name`, or null/undefined when it
 * has none (the C resolver returns 0 and fills *addr, or non-zero).
 */
export type KvmResolver = (name: string) => bigint | null | undefined;

/** kvm_t: an opaque handle. */
export class KvmHandle {
  /** @internal */ errbuf = '';
  /** @internal */ constructor(
    readonly kd: Kvm,
    /** @internal */ readonly program: string | null,
    /** @internal */ readonly resolver: KvmResolver | null,
  ) {}
}

/** The boot kernel FreeBSD's getbootfile(3) reports by default. */
const BOOT_FILE = '/boot/kernel/kernel';

function truncate(msg: string): string {
  return msg.length >= KVM_ERRBUF_SIZE ? msg.slice(0, KVM_ERRBUF_SIZE - 1) : msg;
}

/** _kvm_err: record the message, or print it to stderr with the program prefix (kvm_open). */
function kvmErr(h: KvmHandle, program: string | null, msg: string): void {
  h.errbuf = truncate(msg);
  if (program !== null) process.stderr.write(`${program}: ${msg}\n`);
}

function openCommon(
  uf: string | null,
  mf: string | null,
  flag: number,
  fail: (msg: string) => void,
  program: string | null,
  resolver: KvmResolver | null,
): KvmHandle | null {
  if (typeof flag !== 'number' || (flag & ~O_RDWR) !== 0) {
    fail('bad flags arg');
    return null;
  }
  const kernel = uf ?? BOOT_FILE;
  if (mf === null || mf === '/dev/mem') {
    fail('live kernels are not supported: give a crash dump or memory image as the core');
    return null;
  }
  try {
    return new KvmHandle(Kvm.open({ kernel, core: mf }), program, resolver);
  } catch (e) {
    if (e instanceof KvmError) {
      fail(e.message);
      return null;
    }
    throw e;
  }
}

function checkNullable(v: unknown, what: string): void {
  if (v !== null && v !== undefined && typeof v !== 'string') {
    throw new TypeError(`${what} must be a path string or null`);
  }
}

/**
 * kvm_open(execfile, corefile, swapfile, flags, errstr): on failure prints "errstr: message" to
 * stderr (when errstr is not null) and returns null. Later errors of the handle are printed the
 * same way.
 */
export function kvm_open(
  uf: string | null,
  mf: string | null,
  sf: string | null,
  flag: number,
  errstr: string | null,
): KvmHandle | null {
  checkNullable(uf, 'execfile');
  checkNullable(mf, 'corefile');
  void sf; // the swap file is ignored, as in libkvm
  const program = errstr ?? null;
  return openCommon(
    uf ?? null,
    mf ?? null,
    flag,
    (msg) => {
      if (program !== null) process.stderr.write(`${program}: ${msg}\n`);
    },
    program,
    null,
  );
}

/** kvm_openfiles(execfile, corefile, swapfile, flags, errbuf): null on failure, message in errbuf. */
export function kvm_openfiles(
  uf: string | null,
  mf: string | null,
  sf: string | null,
  flag: number,
  errbuf: KvmErrbuf | null,
): KvmHandle | null {
  checkNullable(uf, 'execfile');
  checkNullable(mf, 'corefile');
  void sf;
  return openCommon(uf ?? null, mf ?? null, flag, (msg) => {
    if (errbuf) errbuf.message = truncate(msg);
  }, null, null);
}

/**
 * kvm_open2(execfile, corefile, flags, errbuf, resolver): like kvm_openfiles; the resolver, when
 * given, replaces the ELF symbol table for plain lookups.
 */
export function kvm_open2(
  uf: string | null,
  mf: string | null,
  flag: number,
  errbuf: KvmErrbuf | null,
  resolver?: KvmResolver | null,
): KvmHandle | null {
  checkNullable(uf, 'execfile');
  checkNullable(mf, 'corefile');
  if (resolver !== undefined && resolver !== null && typeof resolver !== 'function') {
    throw new TypeError('resolver must be a function or null');
  }
  return openCommon(uf ?? null, mf ?? null, flag, (msg) => {
    if (errbuf) errbuf.message = truncate(msg);
  }, null, resolver ?? null);
}

/** kvm_close(kd): 0, or -1 for a null handle. */
export function kvm_close(kd: KvmHandle | null): number {
  if (!kd) return -1;
  kd.kd.close();
  return 0;
}

/** kvm_geterr(kd): the last error message; '' for a null handle. */
export function kvm_geterr(kd: KvmHandle | null): string {
  return kd ? kd.errbuf : '';
}

const HOST_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: 'i386', arm: 'arm' };

/** kvm_native(kd): 1 if the image is of the host's architecture and word size, else 0. */
export function kvm_native(kd: KvmHandle): number {
  const info = kd.kd.info;
  const host = HOST_ARCH[process.arch];
  const hostBig = require('os').endianness() === 'BE';
  return host === info.arch && (info.byteOrder === 'big') === hostBig ? 1 : 0;
}

/** kvm_kerndisp(kd): displacement of the running kernel from its link address (0 when none). */
export function kvm_kerndisp(kd: KvmHandle): bigint {
  return kd.kd.native.info().kerndisp;
}

/** The entries of an nlist array up to the end or the first empty name. */
function entries(nl: KvmNlist[]): KvmNlist[] {
  if (!Array.isArray(nl)) throw new TypeError('nlist must be an array of { n_name }');
  const out: KvmNlist[] = [];
  for (const e of nl) {
    if (!e || typeof e.n_name !== 'string' || e.n_name === '') break;
    out.push(e);
  }
  return out;
}

/** One lookup pass (plain names): the resolver when given, else the kernel's symbol table. */
function plainPass(kd: KvmHandle, list: KvmNlist[]): number {
  let missing = 0;
  for (const p of list) {
    if (kd.resolver) {
      const v = kd.resolver(p.n_name);
      if (typeof v === 'bigint') {
        p.n_value = v;
        p.n_type = N_DATA | N_EXT;
        continue;
      }
    } else {
      const s = kd.kd.lookupPlain(p.n_name);
      if (s) {
        p.n_value = s.value;
        p.n_type = s.type;
        continue;
      }
    }
    p.n_value = 0n;
    p.n_type = N_UNDF;
    missing++;
  }
  return missing;
}

/** Extra lookup passes for names the plain pass missed (vnet and per-CPU translation). */
export type NlistPass = (kd: KvmHandle, missing: KvmNlist[]) => void;
const extraPasses: NlistPass[] = [];

/** @internal Registers a pass that runs after the plain lookup, in registration order. */
export function registerNlistPass(pass: NlistPass): void {
  extraPasses.push(pass);
}

/** kvm_nlist2(kd, nl): fills n_type/n_value; returns the number of names not found. */
export function kvm_nlist2(kd: KvmHandle, nl: KvmNlist[]): number {
  const list = entries(nl);
  for (const p of list) {
    p.n_type = N_UNDF;
    p.n_value = 0n;
    p.n_other = 0;
    p.n_desc = 0;
  }
  let missing = plainPass(kd, list);
  for (const pass of extraPasses) {
    if (missing <= 0) break;
    pass(kd, list.filter((p) => p.n_type === N_UNDF));
    missing = list.filter((p) => p.n_type === N_UNDF).length;
  }
  return missing;
}

/**
 * kvm_nlist(kd, nl): as kvm_nlist2, but -1 on a core of another architecture
 * ("kvm_nlist of non-native vmcore"), since struct nlist's n_value is an unsigned long.
 */
export function kvm_nlist(kd: KvmHandle, nl: KvmNlist[]): number {
  if (!kvm_native(kd)) {
    kvmErr(kd, kd.program, 'kvm_nlist of non-native vmcore');
    return -1;
  }
  return kvm_nlist2(kd, nl);
}

function checkReadArgs(addr: unknown, buf: unknown, n: unknown): void {
  if (typeof addr !== 'bigint') throw new TypeError('Expected address to be a bigint');
  if (!(buf instanceof Uint8Array)) throw new TypeError('Expected buffer to be a Uint8Array');
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new RangeError('Expected length to be a non-negative integer');
  }
  if (n > buf.byteLength) throw new RangeError('Length exceeds the buffer');
}

/**
 * kvm_read2(kd, addr, buf, n): n, or -1 if any page of the range is not in the image (even when
 * earlier pages were copied), or a short count when the core file ends early.
 */
export function kvm_read2(kd: KvmHandle, addr: bigint, buf: Uint8Array, n: number): number {
  checkReadArgs(addr, buf, n);
  const r = kd.kd.readPartial(addr, buf, n);
  if (!r.fault) return n;
  if (r.fault.code === 'TRUNCATED') {
    kvmErr(kd, kd.program, 'short read');
    return r.bytes;
  }
  kvmErr(kd, kd.program, `invalid address (0x${r.fault.address.toString(16)})`);
  return -1;
}

/** kvm_read(kd, addr, buf, n): kvm_read2 with an unsigned long address. */
export function kvm_read(kd: KvmHandle, addr: bigint, buf: Uint8Array, n: number): number {
  return kvm_read2(kd, addr, buf, n);
}

/** kvm_write(kd, addr, buf, n): always -1 on dumps ("kvm_write not implemented for dead kernels"). */
export function kvm_write(kd: KvmHandle, addr: bigint, buf: Uint8Array, n: number): number {
  checkReadArgs(addr, buf, n);
  kvmErr(kd, kd.program, 'kvm_write not implemented for dead kernels');
  return -1;
}

/** VM_PROT_* bits of kp_prot. */
export const VM_PROT_READ = 1;
export const VM_PROT_WRITE = 2;
export const VM_PROT_EXECUTE = 4;

/** LIBKVM_WALK_PAGES_VERSION: the kp_version of the records this library hands out. */
export const LIBKVM_WALK_PAGES_VERSION = 2;

/** struct kvm_page. kp_offset is the page's offset in the core payload, or -1n. */
export interface KvmPage {
  kp_version: number;
  kp_paddr: bigint;
  kp_kmap_vaddr: bigint;
  kp_dmap_vaddr: bigint;
  kp_prot: number;
  kp_offset: bigint;
  kp_len: bigint;
}

/** kvm_walk_pages' callback: return a truthy value to continue, falsy to stop. */
export type KvmWalkPagesCb<T> = (page: KvmPage, closure: T) => unknown;

/**
 * kvm_walk_pages(kd, cb, closure): calls cb for every page of the image. Returns 1 after a full
 * walk, 0 when the callback stopped it or the format has no page walker (libkvm's convention).
 * Our records differ from libkvm's in places (one record per dumped page; see docs/formats.md).
 */
export function kvm_walk_pages<T>(kd: KvmHandle, cb: KvmWalkPagesCb<T>, closure: T): number {
  if (typeof cb !== 'function') throw new TypeError('kvm_walk_pages: cb must be a function');
  let pages: Iterable<PageRecord>;
  try {
    pages = kd.kd.walkPages();
  } catch (e) {
    if (e instanceof KvmError && e.code === 'UNSUPPORTED') {
      kvmErr(kd, null, e.message);
      return 0;
    }
    throw e;
  }
  for (const p of pages) {
    const page: KvmPage = {
      kp_version: LIBKVM_WALK_PAGES_VERSION,
      kp_paddr: p.paddr,
      kp_kmap_vaddr: p.kmapVaddr,
      kp_dmap_vaddr: p.dmapVaddr,
      kp_prot: p.prot,
      kp_offset: p.offset,
      kp_len: p.len,
    };
    if (!cb(page, closure)) return 0;
  }
  return 1;
}
