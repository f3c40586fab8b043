/**
 * FreeBSD/arm64 minidump writer, versions 1-3, 4 KiB or 16 KiB pages, following the kernel's
 * minidumpsys: the page-table area is one page of L3 descriptors per L2 region of kernel VA (2 MiB
 * with 4K pages, 32 MiB with 16K); L2 and L1 blocks become synthetic L3 pages carrying only
 * ATTR_DEFAULT | L3_PAGE (so their protection reads as read/write/execute). v2 adds the
 * dump_avail page, v3 the page-size flags.
 */
import { GiB1, KernelSpace, KiB16, PROT_EXEC, PROT_WRITE } from '../kspace';
import { PhysMem } from '../physmem';
import { DumpOutputOptions, withDump, finishDump } from './output';
import { DumpBitmap, writeMinidumpSections } from './minidump-common';
import type { MinidumpWriteResult } from './minidump-amd64';

export const MINIDUMP_ARM64_MAGIC = 'minidump FreeBSD/arm64';

// arm64 descriptor bits (fixed ABI).
export const ARM64_L3_PAGE = 3n;
export const ARM64_ATTR_AF = 1n << 10n;
export const ARM64_ATTR_SH_IS = 3n << 8n;
export const ARM64_ATTR_DEFAULT = ARM64_ATTR_AF | ARM64_ATTR_SH_IS;
export const ARM64_ATTR_AP_RO = 1n << 7n;
export const ARM64_ATTR_XN = (1n << 53n) | (1n << 54n);

export interface MinidumpArm64Options extends DumpOutputOptions {
  /** 1, 2 or 3 (default 3). 16 KiB pages need version 3. */
  version?: 1 | 2 | 3;
  mem: PhysMem;
  /** An arm64 KernelSpace; its layout's pageSize (4K/16K) is the dump's page size. */
  space: KernelSpace;
  msgbuf?: Uint8Array;
  /** End of the page-table area (kernel_vm_end); default the end of the highest mapping. */
  kvaEnd?: bigint;
  /** Pages dumped besides those of the kernel map; default every page written in `mem`. */
  extraPages?: Iterable<bigint>;
  exclude?: (pa: bigint) => boolean;
}

function l3Attrs(prot: number): bigint {
  let e = ARM64_ATTR_DEFAULT | ARM64_L3_PAGE;
  if (!(prot & PROT_WRITE)) e |= ARM64_ATTR_AP_RO;
  if (!(prot & PROT_EXEC)) e |= ARM64_ATTR_XN;
  return e;
}

export function writeMinidumpArm64(path: string, opts: MinidumpArm64Options): MinidumpWriteResult {
  const version = opts.version ?? 3;
  const { mem, space } = opts;
  const L = space.layout;
  if (L.arch !== 'arm64') throw new RangeError('writeMinidumpArm64 needs an arm64 KernelSpace');
  if (![1, 2, 3].includes(version)) throw new RangeError(`arm64 minidump version ${version} is not 1, 2 or 3`);
  const P = L.pageSize;
  if (P === KiB16 && version < 3) throw new RangeError('16 KiB pages need arm64 minidump version 3');
  const page = Number(P);
  const entries = P / 8n; // Ln_ENTRIES
  const l2Size = entries * P; // 2 MiB or 32 MiB
  const exclude = opts.exclude ?? (() => false);
  const dumpable = (pa: bigint): boolean => mem.isRam(pa) && !exclude(pa);
  const bitmap = new DumpBitmap(P, version >= 2 ? mem.ranges : null, mem.end);
  const setIfDumpable = (pa: bigint): void => {
    if (dumpable(pa)) bitmap.set(pa);
  };

  const start = L.kernelMapStart;
  if (start % l2Size !== 0n) throw new RangeError('kernelMapStart must be aligned to an L2 region');
  const end = opts.kvaEnd ?? space.kvaEnd;

  // One entry per L2 region of the area: what the kernel finds there.
  type Region = { kind: 'none' } | { kind: 'block'; pa: bigint } | { kind: 'l1'; pa: bigint } | { kind: 'l3' };
  const regionAt = (va: bigint): Region => {
    const m = space.mappingFrom(va);
    if (!m || m.va >= va + l2Size) return { kind: 'none' };
    if (m.va <= va && m.pageSize === GiB1 && P !== KiB16) return { kind: 'l1', pa: m.pa + (va - m.va) };
    if (m.va <= va && m.pageSize === l2Size) return { kind: 'block', pa: m.pa + (va - m.va) };
    return { kind: 'l3' }; // base pages somewhere in the region: an L3 table
  };

  // Walk the area once: list its pages (as region descriptors) and set the bits.
  const pages: { va: bigint; region: Region; l1Index?: bigint }[] = [];
  for (let va = start; va < end; va += l2Size) {
    const r = regionAt(va);
    if (r.kind === 'l1') {
      for (let i = 0n; i < entries; i++) pages.push({ va: va + i * l2Size, region: r, l1Index: i });
      for (let pa = r.pa, n = 0n; n < entries * entries; n++, pa += P) setIfDumpable(pa);
      va += GiB1 - l2Size;
      continue;
    }
    pages.push({ va, region: r });
    if (r.kind === 'block') {
      for (let i = 0n; i < entries; i++) setIfDumpable(r.pa + i * P);
    } else if (r.kind === 'l3') {
      for (let i = 0n; i < entries; i++) {
        const m = space.mappingAt(va + i * P);
        if (!m) continue;
        const pa = m.pa + (va + i * P - m.va);
        if (space.inDmap(pa)) setIfDumpable(pa);
      }
    }
  }
  for (const pa of opts.extraPages ?? mem.presentPages()) {
    if (space.inDmap(pa)) setIfDumpable(pa - (pa % P));
  }
  if (bitmap.count === 0) throw new RangeError('writeMinidumpArm64: no page to dump');
  if (pages.length * page >= 2 ** 32) throw new RangeError('the page-table area does not fit the 32-bit pmapsize');

  const pmapPage = (i: number): Uint8Array | undefined => {
    const { va, region, l1Index } = pages[i]!;
    if (region.kind === 'none') return undefined;
    const buf = Buffer.alloc(page);
    for (let j = 0n; j < entries; j++) {
      let e: bigint;
      if (region.kind === 'l1') e = (region.pa + l1Index! * l2Size + j * P) | ARM64_ATTR_DEFAULT | ARM64_L3_PAGE;
      else if (region.kind === 'block') e = (region.pa + j * P) | ARM64_ATTR_DEFAULT | ARM64_L3_PAGE;
      else {
        const m = space.mappingAt(va + j * P);
        if (!m) continue;
        e = (m.pa + (va + j * P - m.va)) | l3Attrs(m.prot);
      }
      buf.writeBigUInt64LE(e, Number(j) * 8);
    }
    return buf;
  };

  const bitmapSize = Math.ceil(bitmap.byteSize / page) * page;
  const hdr = Buffer.alloc(80);
  hdr.write(MINIDUMP_ARM64_MAGIC, 0, 'latin1');
  hdr.writeUInt32LE(version, 24);
  hdr.writeUInt32LE(opts.msgbuf?.length ?? 0, 28);
  hdr.writeUInt32LE(bitmapSize, 32);
  hdr.writeUInt32LE(pages.length * page, 36);
  hdr.writeBigUInt64LE(start, 40);
  hdr.writeBigUInt64LE(L.dmapPhys, 48);
  hdr.writeBigUInt64LE(L.dmapBase, 56);
  hdr.writeBigUInt64LE(L.dmapEnd, 64);
  if (version >= 2) hdr.writeUInt32LE(page, 72); // round_page(sizeof(dump_avail))
  if (version >= 3) hdr.writeUInt32LE(P === KiB16 ? 1 : 0, 76); // MINIDUMP_FLAG_PS_16K / _4K

  return withDump(path, opts, (f) => {
    const { payloadSize, dataOffset } = writeMinidumpSections(f, {
      pageSize: page,
      header: hdr,
      msgbuf: opts.msgbuf,
      dumpAvail: version >= 2 ? mem.ranges : null,
      bitmap,
      pmapPages: pages.length,
      pmapPage,
      mem,
    });
    const r = finishDump(f, payloadSize, opts);
    return { ...r, version, dumpedPages: bitmap.count, bitmapSize, pmapSize: pages.length * page, dataOffset };
  });
}
