/**
 * FreeBSD libkvm's C API, adapted to JavaScript: same names, same arguments, same return
 * conventions (a handle or null, counts or -1, messages through kvm_geterr). Addresses are
 * bigint (kvaddr_t); buffers are Uint8Arrays. Thin wrappers over the Kvm class.
 */
import { KvmError } from './errors';
import { Kvm } from './kvm';
import { checkedVnet, vnet0Address } from './helpers/vnet';
import { MAX_CPU_SLOTS } from './helpers/pcpu';
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

/** libkvm's DPCPU state of a handle (_kvm_dpcpu_init). */
interface DpcpuState {
  start: bigint;
  stop: bigint;
  maxcpus: number;
  off: BigUint64Array;
  curcpu: number;
  curoff: bigint;
}

/** libkvm's pcpu cache (kvm_getpcpu & co.; per handle here, process-wide in libkvm). */
interface PcpuCache {
  maxcpu: number;
  pcpu: BigUint64Array;
}

/** kvm_t: an opaque handle. */
export class KvmHandle {
  /** @internal */ errbuf = '';
  /** @internal vnet_data_base once the vnet pass has been set up; null when it cannot be. */
  vnetBase: bigint | null | undefined = undefined;
  /** @internal */ dpcpu: DpcpuState | null = null;
  /** @internal */ pcpuCache: PcpuCache | null = null;
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

/**
 * libkvm's vnet set-up on a dump: the vnet of proc0, i.e. vnet0. (libkvm walks proc0's
 * ucred -> prison -> vnet; prison0.pr_vnet is vnet0.) Only on native cores, as libkvm.
 */
function vnetInit(kd: KvmHandle): bigint | null {
  if (kd.vnetBase !== undefined) return kd.vnetBase;
  kd.vnetBase = null;
  if (!kvm_native(kd)) return null;
  const k = kd.kd;
  const t = k.native.translation();
  if (t[0] === null || !k.lookupPlain('vnet_head') || !k.lookupPlain('vnet0')) return null;
  try {
    const v = checkedVnet(k, vnet0Address(k));
    kd.vnetBase = v.dataBase;
  } catch (e) {
    if (!(e instanceof KvmError)) throw e;
  }
  return kd.vnetBase;
}

/** _kvm_dpcpu_init: set ranges, mp_maxcpus, dpcpu_off[]; selects CPU 0 quietly. */
function dpcpuInit(kd: KvmHandle): DpcpuState | null {
  if (kd.dpcpu) return kd.dpcpu;
  if (!kvm_native(kd)) return null;
  const k = kd.kd;
  const t = k.native.translation();
  const off = k.lookupPlain('dpcpu_off');
  const max = k.lookupPlain('mp_maxcpus');
  if (t[2] === null || t[3] === null || !off || !max) return null;
  try {
    const maxcpus = k.readU32(max.value);
    if (maxcpus > MAX_CPU_SLOTS) return null;
    const offs = k.readArray(off.value, maxcpus, k.info.pointerSize);
    kd.dpcpu = { start: t[2], stop: t[3], maxcpus, off: offs, curcpu: 0, curoff: 0n };
  } catch (e) {
    if (e instanceof KvmError) return null;
    throw e;
  }
  setcpu(kd, kd.dpcpu, 0, false);
  return kd.dpcpu;
}

function setcpu(kd: KvmHandle, st: DpcpuState, cpu: number, report: boolean): number {
  if (cpu >= st.maxcpus) {
    if (report) kvmErr(kd, kd.program, `_kvm_dpcpu_setcpu: CPU ${cpu} too big`);
    return -1;
  }
  if (st.off[cpu] === 0n) {
    if (report) kvmErr(kd, kd.program, `_kvm_dpcpu_setcpu: CPU ${cpu} not found`);
    return -1;
  }
  st.curcpu = cpu;
  st.curoff = st.off[cpu]!;
  return 0;
}

/**
 * The prefixed passes for names the plain pass missed: vnet_entry_<name> translated by the
 * handle's vnet, then pcpu_entry_<name> by its CPU. A prefixed symbol outside its set is returned
 * untranslated, as libkvm does.
 */
function translatedPasses(kd: KvmHandle, list: KvmNlist[]): void {
  const vnetBase = vnetInit(kd);
  const dpcpu = dpcpuInit(kd);
  if (vnetBase === null && dpcpu === null) return;
  const t = kd.kd.native.translation();
  const passes: [string, bigint | null, bigint | null, bigint | null][] = [
    ['vnet_entry_', vnetBase, t[0], t[1]],
    ['pcpu_entry_', dpcpu ? dpcpu.curoff : null, t[2], t[3]],
  ];
  for (const p of list) {
    if (p.n_type !== N_UNDF) continue;
    if (!kd.resolver) {
      const r = kd.kd.native.resolve(p.n_name, 0, vnetBase, dpcpu ? dpcpu.curoff : null, false);
      if (!r) continue;
      p.n_value = r[0];
      p.n_type = r[2];
      continue;
    }
    // With a resolver, the prefixed names go to it too, then the range check applies.
    const bare = p.n_name.length > 1 && p.n_name.startsWith('_') ? p.n_name.slice(1) : p.n_name;
    for (const [prefix, off, start, stop] of passes) {
      if (off === null || start === null || stop === null) continue;
      const v = kd.resolver(prefix + bare);
      if (typeof v !== 'bigint') continue;
      p.n_value = v >= start && v < stop ? (v + off) & ((1n << 64n) - 1n) : v;
      p.n_type = N_DATA | N_EXT;
      break;
    }
  }
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
  const missing = plainPass(kd, list);
  if (missing <= 0) return missing;
  translatedPasses(kd, list);
  return list.filter((p) => p.n_type === N_UNDF).length;
}

/**
 * kvm_dpcpu_setcpu(kd, cpu): 0, or -1 ("kvm_dpcpu_setcpu: init failed", "_kvm_dpcpu_setcpu:
 * CPU N too big", "... CPU N not found"). Affects only later kvm_nlist calls.
 */
export function kvm_dpcpu_setcpu(kd: KvmHandle, cpu: number): number {
  if (!Number.isInteger(cpu) || cpu < 0) throw new RangeError('cpu must be a non-negative integer');
  const st = dpcpuInit(kd);
  if (!st) {
    kvmErr(kd, kd.program, 'kvm_dpcpu_setcpu: init failed');
    return -1;
  }
  return setcpu(kd, st, cpu, true);
}

/** libkvm's pcpu cache: cpuid_to_pcpu[] and mp_maxcpus (per handle here). */
function pcpuInit(kd: KvmHandle): PcpuCache | null {
  if (kd.pcpuCache) return kd.pcpuCache;
  const k = kd.kd;
  const map = k.lookupPlain('cpuid_to_pcpu');
  const max = k.lookupPlain('mp_maxcpus');
  if (!map) {
    kvmErr(kd, kd.program, 'unable to find cpuid_to_pcpu');
    return null;
  }
  if (!max) {
    kvmErr(kd, kd.program, 'unable to find mp_maxcpus');
    return null;
  }
  let maxcpu: number;
  try {
    maxcpu = k.readS32(max.value);
  } catch {
    kvmErr(kd, kd.program, 'cannot read mp_maxcpus');
    return null;
  }
  if (maxcpu <= 0 || maxcpu > MAX_CPU_SLOTS) {
    kvmErr(kd, kd.program, 'cannot read mp_maxcpus');
    return null;
  }
  try {
    kd.pcpuCache = { maxcpu, pcpu: k.readArray(map.value, maxcpu, k.info.pointerSize) };
  } catch {
    kvmErr(kd, kd.program, 'cannot read cpuid_to_pcpu array');
    return null;
  }
  return kd.pcpuCache;
}

/** kvm_getmaxcpu(kd): mp_maxcpus, or -1. With a null handle it clears the cache and returns 0. */
export function kvm_getmaxcpu(kd: KvmHandle | null): number {
  if (!kd) return 0;
  const c = pcpuInit(kd);
  return c ? c.maxcpu : -1;
}

/** kvm_getncpus(kd): mp_ncpus, or -1. */
export function kvm_getncpus(kd: KvmHandle): number {
  const s = kd.kd.lookupPlain('mp_ncpus');
  if (!s) {
    kvmErr(kd, kd.program, 'unable to find mp_ncpus');
    return -1;
  }
  try {
    return kd.kd.readS32(s.value);
  } catch {
    kvmErr(kd, kd.program, 'cannot read mp_ncpus');
    return -1;
  }
}

/** sizeof(struct pcpu): from the debug info when loaded, else one page (amd64's static size). */
function pcpuSize(kd: KvmHandle): number {
  return kd.kd.sizeofOrNull("struct pcpu") ?? 4096;
}

/**
 * kvm_getpcpu(kd, cpu): a copy of that CPU's struct pcpu (a Buffer), null when cpu is out of
 * range or absent, or -1 on error. A null handle clears the cache and returns null.
 */
export function kvm_getpcpu(kd: KvmHandle | null, cpu: number): Buffer | null | -1 {
  if (!kd) return null;
  const c = pcpuInit(kd);
  if (!c) return -1;
  if (cpu < 0 || cpu >= c.maxcpu || c.pcpu[cpu] === 0n) return null;
  try {
    return kd.kd.read(c.pcpu[cpu]!, pcpuSize(kd));
  } catch (e) {
    if (!(e instanceof KvmError)) throw e;
    kvmErr(kd, kd.program, 'unable to read per-CPU data');
    return -1;
  }
}

/** The per-CPU slot of a UMA per-CPU allocation, as libkvm computes it. */
function zpcpuAddress(kd: KvmHandle, base: bigint, cpu: number): bigint | null {
  const k = kd.kd;
  const stride = BigInt(pcpuSize(kd));
  let addr = base + stride * BigInt(cpu);
  if (k.info.arch === 'amd64') {
    const p = k.lookupPlain('__pcpu');
    if (!p) return null;
    addr += k.readPointer(p.value);
  }
  return addr & ((1n << 64n) - 1n);
}

/**
 * kvm_read_zpcpu(kd, base, buf, size, cpu): bytes read, -1 on a non-native core, 0 when the
 * pcpu cache cannot be set up (libkvm's convention).
 */
export function kvm_read_zpcpu(kd: KvmHandle, base: bigint, buf: Uint8Array, size: number, cpu: number): number {
  checkReadArgs(base, buf, size);
  if (!kvm_native(kd)) return -1;
  if (!pcpuInit(kd)) return 0;
  const addr = zpcpuAddress(kd, base, cpu);
  if (addr === null) return 0;
  return kvm_read(kd, addr, buf, size);
}

/**
 * kvm_counter_u64_fetch(kd, base): the sum of CPUs 0..mp_ncpus-1 (libkvm's rule, which misses
 * CPUs with sparse ids; Kvm.counter sums the present CPUs instead); 0n on any error.
 */
export function kvm_counter_u64_fetch(kd: KvmHandle, base: bigint): bigint {
  if (typeof base !== 'bigint') throw new TypeError('Expected a counter handle (bigint)');
  const n = kvm_getncpus(kd);
  if (n < 0) return 0n;
  const buf = Buffer.alloc(8);
  let sum = 0n;
  for (let cpu = 0; cpu < n; cpu++) {
    if (kvm_read_zpcpu(kd, base, buf, 8, cpu) !== 8) return 0n;
    sum += kd.kd.info.byteOrder === 'big' ? buf.readBigUInt64BE() : buf.readBigUInt64LE();
  }
  return sum & ((1n << 64n) - 1n);
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
