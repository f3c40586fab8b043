/**
 * Real amd64 4-level page tables in simulated physical memory, built from a KernelSpace: the
 * kernel-map mappings plus the direct map (1 GiB pages). Full dumps are read by walking these
 * from KPML4phys; minidump writers copy their page-directory pages the way the kernel does.
 */
import { GiB1, KernelSpace, MiB2, PROT_EXEC, PROT_WRITE } from './kspace';
import { PhysMem } from './physmem';

// amd64 page-table entry bits (fixed ABI).
export const PG_V = 0x1n;
export const PG_RW = 0x2n;
export const PG_A = 0x20n;
export const PG_M = 0x40n;
export const PG_PS = 0x80n;
export const PG_G = 0x100n;
export const PG_NX = 1n << 63n;
export const PG_FRAME = 0x000ffffffffff000n;
export const PG_PS_FRAME = 0x000fffffffe00000n;
export const PG_1GB_FRAME = 0x000fffffc0000000n;

export interface Amd64PageTables {
  /** Physical address of the kernel PML4 page: the value of the kernel variable KPML4phys. */
  pml4: bigint;
  /** Every page-table page allocated (PML4, PDP, PD, PT), ascending. */
  tablePages: bigint[];
}

export interface Amd64PageTableOptions {
  /** Map the direct map with 1 GiB pages over all RAM (default true). */
  directMap?: boolean;
}

function leafBits(prot: number): bigint {
  let e = PG_V | PG_A | PG_G;
  if (prot & PROT_WRITE) e |= PG_RW | PG_M;
  if (!(prot & PROT_EXEC)) e |= PG_NX;
  return e;
}

const TABLE_BITS = PG_V | PG_RW | PG_A;

/**
 * Builds the tables in `mem` (allocating pages with mem.alloc()) and returns the PML4's address.
 * They reflect the space's mappings at this moment: map everything first, build once, then pass
 * the result to the writers (and store `pml4` in the kernel variable KPML4phys).
 */
export function buildAmd64PageTables(mem: PhysMem, space: KernelSpace, opts: Amd64PageTableOptions = {}): Amd64PageTables {
  if (space.layout.arch !== 'amd64') throw new RangeError('buildAmd64PageTables needs an amd64 KernelSpace');
  const pages: bigint[] = [];
  const alloc = (): bigint => {
    const pa = mem.alloc();
    pages.push(pa);
    return pa;
  };
  const pml4 = alloc();

  // The table at `level` below entry `idx` of table `table`, created when missing.
  const child = (table: bigint, idx: bigint): bigint => {
    const slot = table + idx * 8n;
    const e = mem.readU64(slot);
    if (e & PG_V) {
      if (e & PG_PS) throw new RangeError(`page tables: a large page already covers the slot at 0x${slot.toString(16)}`);
      return e & PG_FRAME;
    }
    const t = alloc();
    mem.writeU64(slot, t | TABLE_BITS);
    return t;
  };
  const set = (slot: bigint, value: bigint): void => {
    if (mem.readU64(slot) & PG_V) throw new RangeError(`page tables: slot 0x${slot.toString(16)} is already in use`);
    mem.writeU64(slot, value);
  };

  const mapLeaf = (va: bigint, pa: bigint, size: bigint, bits: bigint): void => {
    const pdp = child(pml4, (va >> 39n) & 511n);
    if (size === GiB1) return set(pdp + ((va >> 30n) & 511n) * 8n, pa | bits | PG_PS);
    const pd = child(pdp, (va >> 30n) & 511n);
    if (size === MiB2) return set(pd + ((va >> 21n) & 511n) * 8n, pa | bits | PG_PS);
    const pt = child(pd, (va >> 21n) & 511n);
    set(pt + ((va >> 12n) & 511n) * 8n, pa | bits);
  };

  for (const m of space.mappings()) {
    const bits = leafBits(m.prot);
    for (let off = 0n; off < m.size; off += m.pageSize) mapLeaf(m.va + off, m.pa + off, m.pageSize, bits);
  }

  if (opts.directMap !== false) {
    const { dmapBase, dmapEnd, dmapPhys } = space.layout;
    const bits = PG_V | PG_RW | PG_A | PG_M | PG_G | PG_NX;
    for (let pa = dmapPhys & ~(GiB1 - 1n); pa < mem.end; pa += GiB1) {
      const va = dmapBase + (pa - dmapPhys);
      if (va + GiB1 > dmapEnd) break;
      mapLeaf(va, pa, GiB1, bits);
    }
  }
  pages.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { pml4, tablePages: pages };
}
