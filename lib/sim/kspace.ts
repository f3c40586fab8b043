/**
 * The kernel's address space for building dumps: kernel-map mappings (va -> pa with a page size
 * and protection) and a direct map of physical memory at dmapBase. Writers turn this into the
 * page tables / page-table areas of each dump format; the simulator writes kernel data through it.
 */
import { PhysMem } from './physmem';

export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

export const KiB4 = 0x1000n;
export const KiB16 = 0x4000n;
export const MiB2 = 0x200000n;
export const MiB32 = 0x2000000n;
export const GiB1 = 0x40000000n;

export type Arch = 'amd64' | 'arm64';

export interface KernelLayout {
  arch: Arch;
  /** First address of the kernel map (VM_MIN_KERNEL_ADDRESS), the minidump header's kernbase. */
  kernelMapStart: bigint;
  /** Direct map [dmapBase, dmapEnd) maps physical dmapPhys upward. */
  dmapBase: bigint;
  dmapEnd: bigint;
  dmapPhys: bigint;
  /** Base page size: 4 KiB, or 16 KiB for arm64 kernels built with 16K pages. */
  pageSize: bigint;
}

/** FreeBSD/amd64 (4-level paging) defaults. */
export const AMD64_LAYOUT: KernelLayout = {
  arch: 'amd64',
  kernelMapStart: 0xfffffe0000000000n,
  dmapBase: 0xfffff80000000000n,
  dmapEnd: 0xfffffc0000000000n,
  dmapPhys: 0n,
  pageSize: KiB4,
};

/** The amd64 kernel image's link address (symbol `kernbase`); the image maps KERNBASE + pa. */
export const AMD64_KERNBASE = 0xffffffff80000000n;

/** FreeBSD/arm64 defaults (dmapPhys is the machine's lowest RAM address, 0 here). */
export const ARM64_LAYOUT: KernelLayout = {
  arch: 'arm64',
  kernelMapStart: 0xffff000000000000n,
  dmapBase: 0xffffa00000000000n,
  dmapEnd: 0xffffff0000000000n,
  dmapPhys: 0n,
  pageSize: KiB4,
};

export interface Mapping {
  va: bigint;
  pa: bigint;
  size: bigint;
  /** Size of each page-table leaf: 4K/2M/1G (amd64, arm64 4K) or 16K/32M (arm64 16K). */
  pageSize: bigint;
  /** PROT_READ | PROT_WRITE | PROT_EXEC */
  prot: number;
}

export interface MapOptions {
  pageSize?: bigint;
  prot?: number;
}

const TOP = 1n << 64n;

export class KernelSpace {
  readonly layout: KernelLayout;
  readonly #maps: Mapping[] = []; // sorted by va, disjoint

  constructor(layout: KernelLayout) {
    const l = { ...layout };
    if (l.pageSize !== KiB4 && !(l.arch === 'arm64' && l.pageSize === KiB16)) {
      throw new RangeError(`page size 0x${l.pageSize.toString(16)} is not supported for ${l.arch}`);
    }
    if (l.dmapEnd < l.dmapBase) throw new RangeError('dmapEnd below dmapBase');
    this.layout = Object.freeze(l);
  }

  /** Leaf sizes a mapping may use on this architecture and page size. */
  get leafSizes(): bigint[] {
    return this.layout.pageSize === KiB16 ? [KiB16, MiB32] : [KiB4, MiB2, GiB1];
  }

  /** Maps [va, va + size) to [pa, pa + size) with leaves of opts.pageSize (default the base page). */
  map(va: bigint, pa: bigint, size: bigint, opts: MapOptions = {}): Mapping {
    const pageSize = opts.pageSize ?? this.layout.pageSize;
    const prot = opts.prot ?? PROT_READ | PROT_WRITE;
    for (const [n, v] of [['va', va], ['pa', pa], ['size', size], ['pageSize', pageSize]] as const) {
      if (typeof v !== 'bigint') throw new TypeError(`map: ${n} must be a bigint`);
    }
    if (!this.leafSizes.includes(pageSize)) {
      throw new RangeError(`map: page size 0x${pageSize.toString(16)} is not one of ${this.leafSizes.map((s) => '0x' + s.toString(16)).join(', ')}`);
    }
    if (size <= 0n || va % pageSize || pa % pageSize || size % pageSize) {
      throw new RangeError(`map: va 0x${va.toString(16)}, pa 0x${pa.toString(16)} and size 0x${size.toString(16)} must be multiples of the page size 0x${pageSize.toString(16)}`);
    }
    if (va < this.layout.kernelMapStart || va + size > TOP) {
      throw new RangeError(`map: [0x${va.toString(16)}, +0x${size.toString(16)}) is outside the kernel map`);
    }
    const { dmapBase, dmapEnd } = this.layout;
    if (va < dmapEnd && va + size > dmapBase) throw new RangeError('map: the range overlaps the direct map');
    const i = this.#indexAfter(va);
    const prev = this.#maps[i - 1];
    const next = this.#maps[i];
    if ((prev && prev.va + prev.size > va) || (next && next.va < va + size)) {
      throw new RangeError(`map: [0x${va.toString(16)}, +0x${size.toString(16)}) overlaps an existing mapping`);
    }
    const m: Mapping = Object.freeze({ va, pa, size, pageSize, prot });
    this.#maps.splice(i, 0, m);
    return m;
  }

  /** The mappings, sorted by va. */
  mappings(): readonly Mapping[] {
    return this.#maps;
  }

  /** One past the highest mapped kernel-map address (kernelMapStart when nothing is mapped). */
  get kvaEnd(): bigint {
    const last = this.#maps[this.#maps.length - 1];
    return last ? last.va + last.size : this.layout.kernelMapStart;
  }

  /** The kernel-map mapping holding va, or undefined. */
  mappingAt(va: bigint): Mapping | undefined {
    const m = this.#maps[this.#indexAfter(va) - 1];
    return m && va - m.va < m.size ? m : undefined;
  }

  /** The first mapping that ends above va (the one holding va, else the next one), or undefined. */
  mappingFrom(va: bigint): Mapping | undefined {
    const i = this.#indexAfter(va);
    const prev = this.#maps[i - 1];
    if (prev && va - prev.va < prev.size) return prev;
    return this.#maps[i];
  }

  /** va -> pa through the kernel map, then the direct map; null when unmapped. */
  translate(va: bigint): bigint | null {
    const m = this.mappingAt(va);
    if (m) return m.pa + (va - m.va);
    const { dmapBase, dmapEnd, dmapPhys } = this.layout;
    if (va >= dmapBase && va < dmapEnd) return va - dmapBase + dmapPhys;
    return null;
  }

  /** The direct-map address of pa, or null outside the direct map. */
  dmapVa(pa: bigint): bigint | null {
    const { dmapBase, dmapEnd, dmapPhys } = this.layout;
    if (pa < dmapPhys || pa - dmapPhys >= dmapEnd - dmapBase) return null;
    return dmapBase + (pa - dmapPhys);
  }

  /** True if the direct map covers pa (PHYS_IN_DMAP). */
  inDmap(pa: bigint): boolean {
    return this.dmapVa(pa) !== null;
  }

  /** Writes data at a kernel virtual address, page by page through the mappings. */
  writeVirt(mem: PhysMem, va: bigint, data: Uint8Array): void {
    let done = 0;
    while (done < data.length) {
      const cur = va + BigInt(done);
      const pa = this.#mustTranslate(cur);
      const n = Math.min(Number(0x1000n - (cur & 0xfffn)), data.length - done);
      mem.write(pa, data.subarray(done, done + n));
      done += n;
    }
  }

  /** Reads len bytes at a kernel virtual address (zeros where memory was never written). */
  readVirt(mem: PhysMem, va: bigint, len: number): Buffer {
    const out = Buffer.alloc(len);
    let done = 0;
    while (done < len) {
      const cur = va + BigInt(done);
      const pa = this.#mustTranslate(cur);
      const n = Math.min(Number(0x1000n - (cur & 0xfffn)), len - done);
      mem.read(pa, n).copy(out, done);
      done += n;
    }
    return out;
  }

  #mustTranslate(va: bigint): bigint {
    const pa = this.translate(va);
    if (pa === null) throw new RangeError(`virtual address 0x${va.toString(16)} is not mapped`);
    return pa;
  }

  /** Index of the first mapping with m.va > va. */
  #indexAfter(va: bigint): number {
    let lo = 0;
    let hi = this.#maps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#maps[mid]!.va <= va) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
