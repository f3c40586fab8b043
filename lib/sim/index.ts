/**
 * Building dump files: a sparse physical memory, the kernel's address space over it, and one
 * writer per core format. The simulator builds on these; tests use them to make fixtures.
 */
export { PhysMem, PAGE_SIZE } from './physmem';
export type { PhysRange } from './physmem';
export {
  KernelSpace, AMD64_LAYOUT, ARM64_LAYOUT, AMD64_KERNBASE,
  PROT_READ, PROT_WRITE, PROT_EXEC, KiB4, KiB16, MiB2, MiB32, GiB1,
} from './kspace';
export type { KernelLayout, Mapping, MapOptions, Arch } from './kspace';
export { buildAmd64PageTables } from './amd64-pagetables';
export type { Amd64PageTables } from './amd64-pagetables';
export { writeMinidumpAmd64 } from './writers/minidump-amd64';
export type { MinidumpAmd64Options, MinidumpWriteResult } from './writers/minidump-amd64';
export { writeMinidumpArm64 } from './writers/minidump-arm64';
export type { MinidumpArm64Options } from './writers/minidump-arm64';
export { writeFullDumpAmd64 } from './writers/fulldump-amd64';
export type { FullDumpAmd64Options, FullDumpWriteResult } from './writers/fulldump-amd64';
export { writeElfVcore, vcoreSegmentsFromSpace } from './writers/elf-vcore';
export type { ElfVcoreOptions, VcoreSegment, ElfVcoreWriteResult } from './writers/elf-vcore';
export { kernelDumpHeader, KERNELDUMPHEADER_SIZE } from './writers/kerneldumpheader';
export type { KernelDumpHeaderOptions } from './writers/kerneldumpheader';
export type { DumpOutputOptions, DumpWriteResult } from './writers/output';
