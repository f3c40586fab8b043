/**
 * ELF cores whose PT_LOADs carry kernel virtual addresses (the simulator's plain image format):
 * ELF64 LE ET_CORE, EI_OSABI FreeBSD, one PT_LOAD per segment; p_filesz may be below p_memsz
 * (the rest reads as zeros). Segment bytes come from a buffer or a callback; zero pages are holes.
 */
import { KernelSpace, PROT_EXEC, PROT_WRITE } from '../kspace';
import { PAGE_SIZE, PhysMem } from '../physmem';
import { DumpOutputOptions, DumpWriteResult, withDump, finishDump } from './output';
import { isZero } from './sparse-file';
import { ELF_EHDR_SIZE, ELF_PHDR_SIZE, ELFOSABI_FREEBSD, EM_AARCH64, EM_X86_64, ET_CORE, PF_R, PF_W, PF_X, PT_LOAD, writeElfHeader, writePhdr } from './elf';

export interface VcoreSegment {
  vaddr: bigint;
  memsz: bigint;
  /** Bytes held in the file (default memsz); the rest up to memsz reads as zeros. */
  filesz?: bigint;
  /** The file bytes: a buffer of at least filesz bytes, or a function returning the bytes at
   *  [off, off + len) of the segment (undefined = zeros). */
  data?: Uint8Array | ((off: bigint, len: number) => Uint8Array | undefined);
  /** PF_R | PF_W | PF_X (default PF_R | PF_W). */
  flags?: number;
}

export interface ElfVcoreOptions extends DumpOutputOptions {
  machine: 'amd64' | 'arm64';
  segments: readonly VcoreSegment[];
}

export interface ElfVcoreWriteResult extends DumpWriteResult {
  segments: number;
}

export function writeElfVcore(path: string, opts: ElfVcoreOptions): ElfVcoreWriteResult {
  const segs = opts.segments;
  const n = segs.length;
  const dataStart = Math.ceil((ELF_EHDR_SIZE + n * ELF_PHDR_SIZE) / PAGE_SIZE) * PAGE_SIZE;
  return withDump(path, opts, (f) => {
    const head = Buffer.alloc(ELF_EHDR_SIZE + n * ELF_PHDR_SIZE);
    writeElfHeader(head, { type: ET_CORE, machine: opts.machine === 'amd64' ? EM_X86_64 : EM_AARCH64, osabi: ELFOSABI_FREEBSD, phnum: n });
    let offset = dataStart;
    segs.forEach((s, i) => {
      const filesz = s.filesz ?? s.memsz;
      if (filesz > s.memsz) throw new RangeError(`segment at 0x${s.vaddr.toString(16)}: filesz above memsz`);
      writePhdr(head, ELF_EHDR_SIZE + i * ELF_PHDR_SIZE, {
        type: PT_LOAD, flags: s.flags ?? PF_R | PF_W, offset: BigInt(offset), vaddr: s.vaddr, paddr: 0n, filesz, memsz: s.memsz, align: BigInt(PAGE_SIZE),
      });
      for (let off = 0n; off < filesz; off += BigInt(PAGE_SIZE)) {
        const len = Number(filesz - off < BigInt(PAGE_SIZE) ? filesz - off : BigInt(PAGE_SIZE));
        let bytes: Uint8Array | undefined;
        if (typeof s.data === 'function') bytes = s.data(off, len);
        else if (s.data) bytes = s.data.subarray(Number(off), Number(off) + len);
        if (bytes && bytes.length && !isZero(bytes)) f.write(offset + Number(off), bytes.subarray(0, len));
      }
      offset += Number(filesz);
      offset = Math.ceil(offset / 8) * 8;
    });
    f.write(0, head);
    const r = finishDump(f, offset, opts);
    return { ...r, segments: n };
  });
}

/**
 * One segment per kernel-map mapping (adjacent ones with the same protection merged), its bytes
 * read from `mem`; with `directMap`, also one segment per run of written pages at their
 * direct-map addresses (page tables built in `mem` included).
 */
export function vcoreSegmentsFromSpace(space: KernelSpace, mem: PhysMem, opts: { directMap?: boolean } = {}): VcoreSegment[] {
  const out: (VcoreSegment & { prot: number })[] = [];
  const add = (vaddr: bigint, memsz: bigint, prot: number): void => {
    const last = out[out.length - 1];
    if (last && last.vaddr + last.memsz === vaddr && last.prot === prot) last.memsz += memsz;
    else out.push({ vaddr, memsz, prot });
  };
  for (const m of space.mappings()) add(m.va, m.size, m.prot);
  if (opts.directMap) {
    const dmap: { va: bigint; size: bigint }[] = [];
    for (const pa of mem.presentPages()) {
      const va = space.dmapVa(pa);
      if (va === null) continue;
      const last = dmap[dmap.length - 1];
      if (last && last.va + last.size === va) last.size += BigInt(PAGE_SIZE);
      else dmap.push({ va, size: BigInt(PAGE_SIZE) });
    }
    // The direct map lies below the kernel map on amd64 and above it on arm64: keep va order.
    for (const d of dmap) out.push({ vaddr: d.va, memsz: d.size, prot: PROT_WRITE | 1 });
    out.sort((a, b) => (a.vaddr < b.vaddr ? -1 : a.vaddr > b.vaddr ? 1 : 0));
  }
  return out.map(({ vaddr, memsz, prot }) => ({
    vaddr,
    memsz,
    flags: PF_R | (prot & PROT_WRITE ? PF_W : 0) | (prot & PROT_EXEC ? PF_X : 0),
    data: (off: bigint, len: number) => {
      const va = vaddr + off;
      const pa = space.translate(va);
      if (pa === null) return undefined;
      const page = mem.page(pa);
      if (!page) return undefined;
      const o = Number(pa & 0xfffn);
      return len <= PAGE_SIZE - o ? page.subarray(o, o + len) : space.readVirt(mem, va, len);
    },
  }));
}
