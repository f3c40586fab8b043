/**
 * FreeBSD/amd64 minidump writer, versions 1-3, following what the kernel's minidumpsys writes:
 * v2/v3 walk the real page tables (one page-directory page per 1 GiB of kernel VA, a synthetic
 * PD for 1 GiB pages, bits for every page of large pages and for page-table pages); v1 writes an
 * array of 4 KiB PTEs with synthetic PTEs for 2 MiB pages. v3 adds the dump_avail page and
 * indexes the bitmap through it.
 */
import { AMD64_KERNBASE, GiB1, KernelSpace, MiB2 } from '../kspace';
import { Amd64PageTables, PG_1GB_FRAME, PG_A, PG_FRAME, PG_M, PG_PS, PG_PS_FRAME, PG_RW, PG_V, buildAmd64PageTables } from '../amd64-pagetables';
import { PhysMem } from '../physmem';
import { DumpOutputOptions, DumpWriteResult, withDump, finishDump } from './output';
import { DumpBitmap, writeMinidumpSections } from './minidump-common';

export const MINIDUMP_AMD64_MAGIC = 'minidump FreeBSD/amd64';

export interface MinidumpAmd64Options extends DumpOutputOptions {
  /** 1, 2 or 3 (default 3, what current kernels write). */
  version?: 1 | 2 | 3;
  mem: PhysMem;
  space: KernelSpace;
  /** Page tables to walk (v2/v3 read their PD and PT pages); built in `mem` when absent. */
  tables?: Amd64PageTables;
  /** The kernel message buffer; absent = msgbufsize 0. */
  msgbuf?: Uint8Array;
  /** First kernel VA of the page-table area (the header's kernbase). Default: the layout's
   *  kernelMapStart for v2/v3; for v1 KERNBASE when every mapping is above it. */
  pmapStart?: bigint;
  /** End of the page-table area (kernel_vm_end); default the end of the highest mapping. */
  kvaEnd?: bigint;
  /** Pages dumped besides those of the kernel map (UMA pages reached through the direct map);
   *  default: every page written in `mem`. */
  extraPages?: Iterable<bigint>;
  /** Pages to leave out although the kernel would dump them. */
  exclude?: (pa: bigint) => boolean;
}

export interface MinidumpWriteResult extends DumpWriteResult {
  version: number;
  dumpedPages: number;
  bitmapSize: number;
  pmapSize: number;
  /** Payload offset of the first dumped page. */
  dataOffset: number;
}

const PAGE = 4096;

export function writeMinidumpAmd64(path: string, opts: MinidumpAmd64Options): MinidumpWriteResult {
  const version = opts.version ?? 3;
  const { mem, space } = opts;
  if (space.layout.arch !== 'amd64') throw new RangeError('writeMinidumpAmd64 needs an amd64 KernelSpace');
  if (![1, 2, 3].includes(version)) throw new RangeError(`amd64 minidump version ${version} is not 1, 2 or 3`);
  const tables = opts.tables ?? buildAmd64PageTables(mem, space);
  const exclude = opts.exclude ?? (() => false);
  const dumpable = (pa: bigint): boolean => mem.isRam(pa) && !exclude(pa);
  const bitmap = new DumpBitmap(4096n, version === 3 ? mem.ranges : null, mem.end);
  const setIfDumpable = (pa: bigint): void => {
    if (dumpable(pa)) bitmap.set(pa);
  };

  const step = version === 1 ? MiB2 : GiB1;
  const mappings = space.mappings();
  let start = opts.pmapStart;
  if (start === undefined) {
    start = space.layout.kernelMapStart;
    if (version === 1 && mappings.every((m) => m.va >= AMD64_KERNBASE)) start = AMD64_KERNBASE;
  }
  if (start % step !== 0n) throw new RangeError(`page-table area start 0x${start.toString(16)} is not aligned to 0x${step.toString(16)}`);
  const end = opts.kvaEnd ?? space.kvaEnd;
  const count = end > start ? Number((end - start + step - 1n) / step) : 0;
  if (count * PAGE >= 2 ** 32) throw new RangeError(`the page-table area (${count} pages) does not fit minidump's 32-bit pmapsize`);

  // Reads a page-table entry; a missing table reads as zero.
  const entry = (table: bigint, idx: bigint): bigint => mem.readU64(table + idx * 8n);
  const pdpeOf = (va: bigint): bigint => {
    const pml4e = entry(tables.pml4, (va >> 39n) & 511n);
    return pml4e & PG_V ? entry(pml4e & PG_FRAME, (va >> 30n) & 511n) : 0n;
  };

  // The page-table area, one page per step of VA, built lazily so big areas are never held.
  const pmapPage: (i: number) => Uint8Array | undefined =
    version === 1 ? (i) => v1PtePage(start! + BigInt(i) * step) : (i) => v2PdPage(start! + BigInt(i) * step);

  function v2PdPage(va: bigint): Uint8Array | undefined {
    const pdpe = pdpeOf(va);
    if (!(pdpe & PG_V)) return undefined;
    if (pdpe & PG_PS) {
      const fake = Buffer.alloc(PAGE);
      for (let j = 0n; j < 512n; j++) fake.writeBigUInt64LE(BigInt.asUintN(64, pdpe + j * MiB2), Number(j) * 8);
      return fake;
    }
    const pd = pdpe & PG_FRAME;
    return space.inDmap(pd) && dumpable(pd) ? mem.page(pd) : undefined;
  }

  function v1PtePage(va: bigint): Uint8Array | undefined {
    const pdpe = pdpeOf(va);
    if (!(pdpe & PG_V)) return undefined;
    let pde: bigint;
    if (pdpe & PG_PS) pde = (pdpe & PG_1GB_FRAME) + (va & (GiB1 - 1n)) + PG_PS + PG_V;
    else pde = entry(pdpe & PG_FRAME, (va >> 21n) & 511n);
    if (!(pde & PG_V)) return undefined;
    if (pde & PG_PS) {
      const pa = pde & PG_PS_FRAME;
      const fake = Buffer.alloc(PAGE);
      for (let k = 0n; k < 512n; k++) fake.writeBigUInt64LE((pa + k * 4096n) | PG_V | PG_RW | PG_A | PG_M, Number(k) * 8);
      return fake;
    }
    return mem.page(pde & PG_FRAME);
  }

  // Bits, as the kernel sets them while walking the same tables.
  for (let i = 0; i < count; i++) {
    const va = start + BigInt(i) * step;
    const pdpe = pdpeOf(va);
    if (!(pdpe & PG_V)) continue;
    if (pdpe & PG_PS) {
      const base = (pdpe & PG_1GB_FRAME) + (version === 1 ? va & (GiB1 - 1n) : 0n);
      const n = version === 1 ? 512n : 512n * 512n;
      for (let k = 0n; k < n; k++) setIfDumpable(base + k * 4096n);
      continue;
    }
    const pd = pdpe & PG_FRAME;
    const first = version === 1 ? (va >> 21n) & 511n : 0n;
    const last = version === 1 ? first + 1n : 512n;
    for (let j = first; j < last; j++) {
      const pde = entry(pd, j);
      if (!(pde & PG_V)) continue;
      if (pde & PG_PS) {
        for (let k = 0n; k < 512n; k++) setIfDumpable((pde & PG_PS_FRAME) + k * 4096n);
        continue;
      }
      const pt = pde & PG_FRAME;
      if (version !== 1) setIfDumpable(pt);
      for (let k = 0n; k < 512n; k++) {
        const pte = entry(pt, k);
        if (!(pte & PG_V)) continue;
        const pa = pte & PG_FRAME;
        if (space.inDmap(pa)) setIfDumpable(pa);
      }
    }
  }
  for (const pa of opts.extraPages ?? mem.presentPages()) {
    if (space.inDmap(pa)) setIfDumpable(pa);
  }
  if (bitmap.count === 0) throw new RangeError('writeMinidumpAmd64: no page to dump');

  const bitmapSize = Math.ceil(bitmap.byteSize / PAGE) * PAGE;
  const hdr = Buffer.alloc(72);
  hdr.write(MINIDUMP_AMD64_MAGIC, 0, 'latin1');
  hdr.writeUInt32LE(version, 24);
  hdr.writeUInt32LE(opts.msgbuf?.length ?? 0, 28);
  hdr.writeUInt32LE(bitmapSize, 32);
  hdr.writeUInt32LE(count * PAGE, 36);
  hdr.writeBigUInt64LE(start, 40);
  hdr.writeBigUInt64LE(space.layout.dmapBase, 48);
  hdr.writeBigUInt64LE(space.layout.dmapEnd, 56);
  if (version === 3) hdr.writeUInt32LE(PAGE, 64); // round_page(sizeof(dump_avail))

  return withDump(path, opts, (f) => {
    const { payloadSize, dataOffset } = writeMinidumpSections(f, {
      pageSize: PAGE,
      header: hdr,
      msgbuf: opts.msgbuf,
      dumpAvail: version === 3 ? mem.ranges : null,
      bitmap,
      pmapPages: count,
      pmapPage,
      mem,
    });
    const r = finishDump(f, payloadSize, opts);
    return { ...r, version, dumpedPages: bitmap.count, bitmapSize, pmapSize: count * PAGE, dataOffset };
  });
}
