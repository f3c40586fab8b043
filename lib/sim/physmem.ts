/**
 * Sparse physical memory for building dumps: 4 KiB pages that exist only once written, inside
 * the machine's RAM ranges (what the kernel calls dump_avail). Pages never written read as zeros
 * and are left as holes in the files the writers produce.
 */

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12n;
const PAGE = BigInt(PAGE_SIZE);

/** A physical range [start, end), end exclusive, as in dump_avail. */
export type PhysRange = readonly [start: bigint, end: bigint];

export class PhysMem {
  /** The machine's RAM, sorted and disjoint. */
  readonly ranges: readonly PhysRange[];
  readonly #pages = new Map<number, Buffer>(); // page frame number -> 4 KiB
  #allocNext: bigint; // next page the allocator tries, moving downward

  /** `ranges`: the RAM ranges (page-aligned, disjoint); pages may be written only inside them. */
  constructor(ranges: readonly PhysRange[]) {
    if (!Array.isArray(ranges) || ranges.length === 0) throw new RangeError('PhysMem needs at least one RAM range');
    const sorted = ranges.map(([s, e]) => {
      if (typeof s !== 'bigint' || typeof e !== 'bigint') throw new TypeError('RAM ranges are [bigint, bigint]');
      if (s % PAGE !== 0n || e % PAGE !== 0n || e <= s || s < 0n) {
        throw new RangeError(`RAM range [0x${s.toString(16)}, 0x${e.toString(16)}) must be page-aligned and non-empty`);
      }
      return [s, e] as const;
    });
    sorted.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]![0] < sorted[i - 1]![1]) throw new RangeError('RAM ranges overlap');
    }
    this.ranges = sorted;
    this.#allocNext = sorted[sorted.length - 1]![1] - PAGE;
  }

  /** One past the highest RAM address. */
  get end(): bigint {
    return this.ranges[this.ranges.length - 1]![1];
  }

  /** Number of pages that hold data. */
  get pageCount(): number {
    return this.#pages.size;
  }

  /** True if pa is inside a RAM range (the kernel would dump it). */
  isRam(pa: bigint): boolean {
    for (const [s, e] of this.ranges) if (pa >= s && pa < e) return true;
    return false;
  }

  /** True if the page holding pa has been written. */
  has(pa: bigint): boolean {
    return this.#pages.has(Number(pa >> PAGE_SHIFT));
  }

  /** The 4 KiB page holding pa, or undefined when it was never written. Do not keep it. */
  page(pa: bigint): Buffer | undefined {
    return this.#pages.get(Number(pa >> PAGE_SHIFT));
  }

  /** The page holding pa, created (zeroed) when absent. Throws RangeError outside RAM. */
  pageForWrite(pa: bigint): Buffer {
    const pfn = Number(pa >> PAGE_SHIFT);
    let p = this.#pages.get(pfn);
    if (!p) {
      if (!this.isRam(pa)) throw new RangeError(`physical address 0x${pa.toString(16)} is not in RAM`);
      p = Buffer.alloc(PAGE_SIZE);
      this.#pages.set(pfn, p);
    }
    return p;
  }

  write(pa: bigint, data: Uint8Array): void {
    let done = 0;
    while (done < data.length) {
      const cur = pa + BigInt(done);
      const off = Number(cur & (PAGE - 1n));
      const n = Math.min(PAGE_SIZE - off, data.length - done);
      this.pageForWrite(cur).set(data.subarray(done, done + n), off);
      done += n;
    }
  }

  /** Reads len bytes; absent pages read as zeros. */
  read(pa: bigint, len: number): Buffer {
    const out = Buffer.alloc(len);
    let done = 0;
    while (done < len) {
      const cur = pa + BigInt(done);
      const off = Number(cur & (PAGE - 1n));
      const n = Math.min(PAGE_SIZE - off, len - done);
      const p = this.page(cur);
      if (p) p.copy(out, done, off, off + n);
      done += n;
    }
    return out;
  }

  readU64(pa: bigint): bigint {
    const p = this.page(pa);
    return p ? p.readBigUInt64LE(Number(pa & (PAGE - 1n))) : 0n;
  }

  writeU64(pa: bigint, v: bigint): void {
    if ((pa & 7n) !== 0n) {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(BigInt.asUintN(64, v));
      this.write(pa, b);
      return;
    }
    this.pageForWrite(pa).writeBigUInt64LE(BigInt.asUintN(64, v), Number(pa & (PAGE - 1n)));
  }

  /**
   * A fresh zeroed page for kernel data such as page tables, taken from the top of RAM downward,
   * skipping pages already written. Place your own data low in RAM, or write it before allocating.
   */
  alloc(): bigint {
    for (let ri = this.ranges.length - 1; ri >= 0; ri--) {
      const [s, e] = this.ranges[ri]!;
      let pa = this.#allocNext < e ? this.#allocNext : e - PAGE;
      if (pa < s) continue;
      for (; pa >= s; pa -= PAGE) {
        if (!this.has(pa)) {
          this.pageForWrite(pa);
          this.#allocNext = pa - PAGE;
          return pa;
        }
      }
    }
    throw new RangeError('PhysMem.alloc: no free page left in RAM');
  }

  /** Physical addresses of the written pages, ascending. */
  presentPages(): bigint[] {
    const pfns = [...this.#pages.keys()].sort((a, b) => a - b);
    return pfns.map((n) => BigInt(n) << PAGE_SHIFT);
  }
}
