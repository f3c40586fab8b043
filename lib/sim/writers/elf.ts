/** The few ELF64 little-endian structures the core writers emit. */

export const ELF_EHDR_SIZE = 64;
export const ELF_PHDR_SIZE = 56;
export const ET_CORE = 4;
export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;
export const ELFOSABI_FREEBSD = 9;
export const ELFOSABI_STANDALONE = 255;
export const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export function writeElfHeader(b: Buffer, h: { type: number; machine: number; osabi: number; phnum: number }): void {
  b.set([0x7f, 0x45, 0x4c, 0x46, 2 /* ELFCLASS64 */, 1 /* ELFDATA2LSB */, 1 /* EV_CURRENT */, h.osabi], 0);
  b.writeUInt16LE(h.type, 16);
  b.writeUInt16LE(h.machine, 18);
  b.writeUInt32LE(1, 20); // e_version
  b.writeBigUInt64LE(0n, 24); // e_entry
  b.writeBigUInt64LE(h.phnum ? BigInt(ELF_EHDR_SIZE) : 0n, 32); // e_phoff
  b.writeBigUInt64LE(0n, 40); // e_shoff
  b.writeUInt32LE(0, 48); // e_flags
  b.writeUInt16LE(ELF_EHDR_SIZE, 52);
  b.writeUInt16LE(ELF_PHDR_SIZE, 54);
  b.writeUInt16LE(h.phnum, 56);
  b.writeUInt16LE(64, 58); // e_shentsize
  b.writeUInt16LE(0, 60); // e_shnum
  b.writeUInt16LE(0, 62); // e_shstrndx
}

export interface Phdr {
  type: number;
  flags: number;
  offset: bigint;
  vaddr: bigint;
  paddr: bigint;
  filesz: bigint;
  memsz: bigint;
  align: bigint;
}

export function writePhdr(b: Buffer, at: number, p: Phdr): void {
  b.writeUInt32LE(p.type, at);
  b.writeUInt32LE(p.flags, at + 4);
  b.writeBigUInt64LE(p.offset, at + 8);
  b.writeBigUInt64LE(p.vaddr, at + 16);
  b.writeBigUInt64LE(p.paddr, at + 24);
  b.writeBigUInt64LE(p.filesz, at + 32);
  b.writeBigUInt64LE(p.memsz, at + 40);
  b.writeBigUInt64LE(p.align, at + 48);
}
