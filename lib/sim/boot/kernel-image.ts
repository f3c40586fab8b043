/**
 * Lays the simulated kernel's ELF image out in memory the way the loader does: each PT_LOAD at its
 * link address, mapped with 2 MiB pages from physical memory right above the load address.
 */
import { MiB2, PROT_EXEC, PROT_READ, PROT_WRITE } from '../kspace';
import type { SimMemory } from '../memory';

export interface LoadedImage {
  /** First and one-past-last virtual address of the image (2 MiB aligned). */
  start: bigint;
  end: bigint;
  /** Physical address of `start`. */
  physStart: bigint;
  /** One past the last byte of the image itself. */
  imageEnd: bigint;
}

/**
 * segments: [vaddr, memsz, file bytes] of each PT_LOAD. kernbase: where physical `physBase` is
 * mapped (KERNBASE on amd64: the image maps KERNBASE + pa).
 */
export function loadKernelImage(m: SimMemory, segments: [bigint, bigint, Buffer][], kernbase: bigint, physBase: bigint, extra = 0n): LoadedImage {
  if (segments.length === 0) throw new Error('the simulated kernel has no PT_LOAD segments');
  const lo = segments.reduce((a, s) => (s[0] < a ? s[0] : a), segments[0]![0]);
  const hi = segments.reduce((a, s) => (s[0] + s[1] > a ? s[0] + s[1] : a), 0n);
  const start = lo & ~(MiB2 - 1n);
  // `extra` bytes after the image stay mapped: the boot CPU's DPCPU block goes there.
  const end = (hi + extra + MiB2 - 1n) & ~(MiB2 - 1n);
  const physStart = physBase + (start - kernbase);
  m.space.map(start, physStart, end - start, { pageSize: MiB2, prot: PROT_READ | PROT_WRITE | PROT_EXEC });
  for (const [vaddr, , bytes] of segments) {
    // Only non-zero pages are written, so .bss and padding stay sparse.
    for (let off = 0; off < bytes.length; off += 4096) {
      const chunk = bytes.subarray(off, Math.min(off + 4096, bytes.length));
      if (chunk.some((b) => b !== 0)) m.write(vaddr + BigInt(off), chunk);
    }
  }
  return { start, end, physStart, imageEnd: hi };
}
