/**
 * FreeBSD/amd64 full dump writer (debug.minidump=0): an ELF64 ET_CORE, EI_OSABI standalone, one
 * PT_LOAD per dump_avail range with p_paddr = p_vaddr = its physical start, data from the
 * page-rounded end of the program headers on. Readers find the kernel's PML4 through the kernel
 * variable KPML4phys, so the writer builds page tables in `mem` and reports the value that
 * variable must hold (and stores it when told where).
 */
import { KernelSpace } from '../kspace';
import { Amd64PageTables, buildAmd64PageTables } from '../amd64-pagetables';
import { PAGE_SIZE, PhysMem, PhysRange } from '../physmem';
import { DumpOutputOptions, DumpWriteResult, withDump, finishDump } from './output';
import { isZero } from './sparse-file';
import { writeElfHeader, writePhdr, ELF_EHDR_SIZE, ELF_PHDR_SIZE, EM_X86_64, ET_CORE, ELFOSABI_STANDALONE, PF_R, PT_LOAD } from './elf';

export interface FullDumpAmd64Options extends DumpOutputOptions {
  mem: PhysMem;
  space: KernelSpace;
  /** Page tables to use; built in `mem` when absent. */
  tables?: Amd64PageTables;
  /** Physical address of the kernel variable KPML4phys (= &KPML4phys - kernbase); when given, the
   *  PML4's address is stored there before writing. Otherwise the caller must store
   *  result.kpml4phys there first (build the tables with buildAmd64PageTables and pass them). */
  kpml4physAt?: bigint;
  /** The PT_LOAD ranges (dump_avail); default mem.ranges. */
  ranges?: readonly PhysRange[];
}

export interface FullDumpWriteResult extends DumpWriteResult {
  /** The value of KPML4phys: the physical address of the kernel PML4 page. */
  kpml4phys: bigint;
  segments: number;
}

export function writeFullDumpAmd64(path: string, opts: FullDumpAmd64Options): FullDumpWriteResult {
  const { mem, space } = opts;
  if (space.layout.arch !== 'amd64') throw new RangeError('writeFullDumpAmd64 needs an amd64 KernelSpace');
  const tables = opts.tables ?? buildAmd64PageTables(mem, space);
  if (opts.kpml4physAt !== undefined) mem.writeU64(opts.kpml4physAt, tables.pml4);
  const ranges = opts.ranges ?? mem.ranges;
  const n = ranges.length;
  const dataStart = Math.ceil((ELF_EHDR_SIZE + n * ELF_PHDR_SIZE) / PAGE_SIZE) * PAGE_SIZE;

  return withDump(path, opts, (f) => {
    const head = Buffer.alloc(ELF_EHDR_SIZE + n * ELF_PHDR_SIZE);
    writeElfHeader(head, { type: ET_CORE, machine: EM_X86_64, osabi: ELFOSABI_STANDALONE, phnum: n });
    const segs: { start: bigint; end: bigint; offset: number }[] = [];
    let offset = dataStart;
    ranges.forEach(([s, e], i) => {
      const len = e - s;
      writePhdr(head, ELF_EHDR_SIZE + i * ELF_PHDR_SIZE, {
        type: PT_LOAD, flags: PF_R, offset: BigInt(offset), vaddr: s, paddr: s, filesz: len, memsz: len, align: BigInt(PAGE_SIZE),
      });
      segs.push({ start: s, end: e, offset });
      offset += Number(len);
    });
    f.write(0, head);
    // Only written pages go to the file; the rest stay holes (zeros).
    for (const pa of mem.presentPages()) {
      const page = mem.page(pa)!;
      if (isZero(page)) continue;
      const pend = pa + BigInt(PAGE_SIZE);
      for (const s of segs) {
        if (s.end <= pa || s.start >= pend) continue;
        const lo = pa > s.start ? pa : s.start;
        const hi = pend < s.end ? pend : s.end;
        f.write(s.offset + Number(lo - s.start), page.subarray(Number(lo - pa), Number(hi - pa)));
      }
    }
    const r = finishDump(f, offset, opts);
    return { ...r, kpml4phys: tables.pml4, segments: n };
  });
}
