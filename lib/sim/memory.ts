/**
 * The simulated machine's memory while a scenario boots: physical pages (PhysMem), the kernel's
 * address space (KernelSpace), and the allocators the kernel would use:
 *  - physical pages bottom-up from a floor (PhysMem.alloc, used for page tables, goes top-down);
 *  - kernel-map allocations (kmem_malloc: fresh pages at new kernel virtual addresses);
 *  - small objects in the direct map (UMA zones and malloc buckets of a page or less).
 * Pages that stay zero are never created, so images of large scenarios stay sparse.
 */
import { KernelSpace, PROT_READ, PROT_WRITE, type KernelLayout } from './kspace';
import { PhysMem, type PhysRange } from './physmem';

const PAGE = 4096n;

function alignUp(v: bigint, a: bigint): bigint {
  return (v + a - 1n) & ~(a - 1n);
}

export class SimMemory {
  readonly mem: PhysMem;
  readonly space: KernelSpace;
  readonly littleEndian: boolean;
  #physNext: bigint;
  #physLimit: bigint | null = null;
  #kvaNext: bigint;
  #dmapPage = 0n; // current direct-map page for small objects (a physical address), 0 = none
  #dmapUsed = 0n;

  constructor(layout: KernelLayout, ram: readonly PhysRange[], opts: { physFloor: bigint; kvaStart: bigint; littleEndian: boolean }) {
    this.mem = new PhysMem(ram);
    this.space = new KernelSpace(layout);
    this.littleEndian = opts.littleEndian;
    this.#physNext = opts.physFloor;
    this.#kvaNext = opts.kvaStart;
  }

  /** Keeps bottom-up allocations below `limit` (PhysMem.alloc takes pages from the top). */
  limitPhys(limit: bigint): void {
    this.#physLimit = limit;
  }

  /** `count` physically contiguous pages inside one RAM range, bottom-up. Not created until written. */
  physPages(count: number): bigint {
    const need = BigInt(count) * PAGE;
    for (const [s, e0] of this.mem.ranges) {
      const e = this.#physLimit !== null && this.#physLimit < e0 ? this.#physLimit : e0;
      const start = this.#physNext < s ? s : this.#physNext;
      if (start >= s && start + need <= e) {
        this.#physNext = start + need;
        return start;
      }
    }
    throw new RangeError(`simulated RAM exhausted allocating ${count} pages`);
  }

  /** kmem_malloc: `size` bytes of fresh kernel-map memory (page-granular, contiguous pages). */
  kmemAlloc(size: bigint, prot = PROT_READ | PROT_WRITE): bigint {
    const pages = alignUp(size, PAGE) / PAGE;
    const va = this.#kvaNext;
    const pa = this.physPages(Number(pages));
    this.space.map(va, pa, pages * PAGE, { prot });
    this.#kvaNext = va + pages * PAGE + PAGE; // a guard page between allocations
    return va;
  }

  /**
   * A small object (at most a page) in the direct map, as UMA would hand it out; `align` a power
   * of two. Its bytes start zeroed and its page is always dumped.
   */
  dmapAlloc(size: number, align = 16): bigint {
    const sz = BigInt(size);
    if (sz > PAGE) throw new RangeError(`dmapAlloc: ${size} bytes is more than a page; use kmemAlloc`);
    const a = BigInt(align);
    let off = alignUp(this.#dmapUsed, a);
    if (this.#dmapPage === 0n || off + sz > PAGE) {
      this.#dmapPage = this.physPages(1);
      this.mem.pageForWrite(this.#dmapPage); // UMA pages are dumped even if the object stays zero
      off = 0n;
    }
    this.#dmapUsed = off + sz;
    const va = this.space.dmapVa(this.#dmapPage + off);
    if (va === null) throw new RangeError('dmapAlloc: the page is outside the direct map');
    return va;
  }

  /** Physical address of va, or throws (the builder only writes mapped memory). */
  pa(va: bigint): bigint {
    const pa = this.space.translate(va);
    if (pa === null) throw new RangeError(`simulated address 0x${va.toString(16)} is not mapped`);
    return pa;
  }

  write(va: bigint, bytes: Uint8Array): void {
    this.space.writeVirt(this.mem, va, bytes);
  }

  read(va: bigint, len: number): Buffer {
    return this.space.readVirt(this.mem, va, len);
  }

  /** Writes an unsigned integer of `size` bytes in the kernel's byte order. */
  writeInt(va: bigint, size: number, value: bigint | number): void {
    const b = Buffer.alloc(size);
    const v = BigInt.asUintN(size * 8, BigInt(value));
    for (let i = 0; i < size; i++) {
      const byte = Number((v >> BigInt(8 * i)) & 0xffn);
      b[this.littleEndian ? i : size - 1 - i] = byte;
    }
    this.write(va, b);
  }

  readInt(va: bigint, size: number): bigint {
    const b = this.read(va, size);
    let v = 0n;
    for (let i = 0; i < size; i++) v |= BigInt(b[this.littleEndian ? i : size - 1 - i]!) << BigInt(8 * i);
    return v;
  }

  /** Adds `delta` to the 64-bit value at a physical address (counter slots; no translation). */
  addU64Phys(pa: bigint, delta: bigint): void {
    if (delta === 0n) return;
    const cur = this.mem.readU64(pa);
    this.mem.writeU64(pa, cur + delta);
  }
}
