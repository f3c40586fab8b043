/**
 * What the amd64 and arm64 minidump writers share: the page bitmap (indexed through dump_avail
 * from v3 on amd64 / v2 on arm64, else by pa >> page shift) and writing the sections in the
 * kernel's order: header page, msgbuf, dump_avail page, bitmap, page-table area, dumped pages.
 */
import { PhysMem, PhysRange } from '../physmem';
import { SparseFile, isZero } from './sparse-file';

export function roundUp(v: number, page: number): number {
  return Math.ceil(v / page) * page;
}

/** The dump bitmap: which physical pages go in the dump. */
export class DumpBitmap {
  readonly pageSize: bigint;
  readonly ranges: { firstPage: bigint; pages: bigint; firstBit: number }[];
  readonly nbits: number;
  readonly bits: Uint8Array;
  #count = 0;

  /** `availRanges` = dump_avail (bits follow one another per range), or null for one range from 0 to `end`. */
  constructor(pageSize: bigint, availRanges: readonly PhysRange[] | null, end: bigint) {
    this.pageSize = pageSize;
    const list = availRanges ?? [[0n, end] as const];
    let bit = 0;
    this.ranges = list.map(([s, e]) => {
      const firstPage = s / pageSize;
      const pages = (e + pageSize - 1n) / pageSize - firstPage;
      const r = { firstPage, pages, firstBit: bit };
      bit += Number(pages);
      return r;
    });
    this.nbits = bit;
    this.bits = new Uint8Array(Math.ceil(bit / 64) * 8);
  }

  /** BITSET_SIZE of the bits, in bytes (whole 64-bit words). */
  get byteSize(): number {
    return this.bits.length;
  }

  get count(): number {
    return this.#count;
  }

  bitOf(pa: bigint): number {
    const page = pa / this.pageSize;
    for (const r of this.ranges) {
      if (page >= r.firstPage && page < r.firstPage + r.pages) return r.firstBit + Number(page - r.firstPage);
    }
    return -1;
  }

  set(pa: bigint): void {
    const b = this.bitOf(pa);
    if (b < 0) return;
    const m = 1 << (b & 7);
    if (!(this.bits[b >> 3]! & m)) {
      this.bits[b >> 3]! |= m;
      this.#count++;
    }
  }

  has(pa: bigint): boolean {
    const b = this.bitOf(pa);
    return b >= 0 && (this.bits[b >> 3]! & (1 << (b & 7))) !== 0;
  }

  /** Physical addresses of the set bits, in bit order. */
  *pages(): Generator<bigint> {
    for (const r of this.ranges) {
      for (let i = 0; i < Number(r.pages); i++) {
        const b = r.firstBit + i;
        const byte = this.bits[b >> 3]!;
        if (byte === 0 && (b & 7) === 0) {
          i += 7;
          continue;
        }
        if (byte & (1 << (b & 7))) yield (r.firstPage + BigInt(i)) * this.pageSize;
      }
    }
  }
}

export interface MinidumpSections {
  pageSize: number;
  header: Buffer; // the header struct (padded to a page here)
  msgbuf: Uint8Array | undefined;
  dumpAvail: readonly PhysRange[] | null; // written as one page when not null
  bitmap: DumpBitmap;
  /** Number of page-table-area pages and a function giving each (undefined = zeros). */
  pmapPages: number;
  pmapPage: (i: number) => Uint8Array | undefined;
  mem: PhysMem;
}

/** Offsets of the sections, as the reader computes them. */
export function minidumpOffsets(s: { pageSize: number; msgbufSize: number; dumpAvail: boolean; bitmapSize: number; pmapSize: number }) {
  const p = s.pageSize;
  const msgbuf = p;
  const dumpAvail = msgbuf + roundUp(s.msgbufSize, p);
  const bitmap = dumpAvail + (s.dumpAvail ? p : 0);
  const pmap = bitmap + roundUp(s.bitmapSize, p);
  const data = pmap + roundUp(s.pmapSize, p);
  return { msgbuf, dumpAvail, bitmap, pmap, data };
}

/** Writes every section and the dumped pages; returns the payload size. */
export function writeMinidumpSections(f: SparseFile, s: MinidumpSections): { payloadSize: number; dataOffset: number } {
  const p = s.pageSize;
  const bitmapSize = roundUp(s.bitmap.byteSize, p);
  const off = minidumpOffsets({
    pageSize: p,
    msgbufSize: s.msgbuf?.length ?? 0,
    dumpAvail: s.dumpAvail !== null,
    bitmapSize,
    pmapSize: s.pmapPages * p,
  });
  const header = Buffer.alloc(p);
  s.header.copy(header);
  f.write(0, header);
  if (s.msgbuf && s.msgbuf.length) f.write(off.msgbuf, s.msgbuf);
  if (s.dumpAvail) {
    const page = Buffer.alloc(p);
    if ((s.dumpAvail.length + 1) * 16 > p) throw new RangeError(`dump_avail has ${s.dumpAvail.length} ranges; one page holds ${p / 16 - 1}`);
    s.dumpAvail.forEach(([a, b], i) => {
      page.writeBigUInt64LE(a, i * 16);
      page.writeBigUInt64LE(b, i * 16 + 8);
    });
    f.write(off.dumpAvail, page);
  }
  writeNonZero(f, off.bitmap, s.bitmap.bits);
  for (let i = 0; i < s.pmapPages; i++) {
    const page = s.pmapPage(i);
    if (page && !isZero(page)) f.write(off.pmap + i * p, page);
  }
  let rank = 0;
  const sub = p / 4096;
  for (const pa of s.bitmap.pages()) {
    const at = off.data + rank * p;
    rank++;
    if (sub === 1) {
      const page = s.mem.page(pa);
      if (page && !isZero(page)) f.write(at, page);
    } else {
      for (let k = 0; k < sub; k++) {
        const page = s.mem.page(pa + BigInt(k * 4096));
        if (page && !isZero(page)) f.write(at + k * 4096, page);
      }
    }
  }
  return { payloadSize: off.data + rank * p, dataOffset: off.data };
}

/** Writes the non-zero 4 KiB pieces of a buffer (zero pieces stay holes). */
function writeNonZero(f: SparseFile, at: number, data: Uint8Array): void {
  for (let i = 0; i < data.length; i += 4096) {
    const piece = data.subarray(i, Math.min(i + 4096, data.length));
    if (!isZero(piece)) f.write(at + i, piece);
  }
}
