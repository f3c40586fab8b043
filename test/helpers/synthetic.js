'use strict';
// A small synthetic kernel (ELF EXEC with .text/.rodata/.data/.bss and symbols) and a matching
// ELF core with virtual PT_LOADs, in any class and byte order.
const fs = require('fs');
const path = require('path');
const { writeElf, SHT, SHF, STT, STB, ET, EM } = require('./elf-writer');
const { scratch } = require('./tmp');

function pattern(n, seed) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 17 + (i >> 8)) & 0xff;
  return b;
}

/**
 * Writes kernel + core for { is64, big, machine }. Memory: `data` (8 KiB pattern) at dataVa,
 * `bss` (4 KiB file bytes then 8 KiB zero fill) at bssVa, a one-page `tail` segment.
 */
function syntheticImage({ is64 = true, big = false, machine = EM.X86_64, dir = scratch('synthetic') } = {}) {
  const base = is64 ? 0xffffffff80200000n : 0xc0200000n;
  const textVa = base;
  const dataVa = base + 0x100000n;
  const bssVa = base + 0x200000n;
  const tailVa = base + 0x400000n;
  const data = pattern(8192, 1);
  const bssFile = pattern(4096, 2);
  const tail = pattern(4096, 3);
  const kernel = writeElf({
    is64, big, machine, type: ET.EXEC,
    sections: [
      { name: '.text', type: SHT.PROGBITS, flags: SHF.ALLOC | SHF.EXECINSTR, addr: textVa, data: Buffer.alloc(64, 0x90) },
      { name: '.rodata', type: SHT.PROGBITS, flags: SHF.ALLOC, addr: textVa + 0x1000n, data: Buffer.from('FreeBSD 14.1-RELEASE synthetic\0') },
      { name: '.data', type: SHT.PROGBITS, flags: SHF.ALLOC | SHF.WRITE, addr: dataVa, data },
      { name: '.bss', type: SHT.NOBITS, flags: SHF.ALLOC | SHF.WRITE, addr: bssVa, size: 12288 },
    ],
    symbols: [
      { name: 'btext', value: textVa, type: STT.FUNC, bind: STB.GLOBAL, section: '.text', size: 64n },
      { name: 'version', value: dataVa + 0x100n, type: STT.OBJECT, bind: STB.GLOBAL, section: '.data', size: 32n },
      { name: 'kernbase', value: is64 ? 0xffffffff80000000n : 0xc0000000n, type: STT.NOTYPE, bind: STB.GLOBAL, section: 'ABS' },
      { name: 'ostype', value: textVa + 0x1000n, type: STT.OBJECT, bind: STB.GLOBAL, section: '.rodata', size: 8n },
      { name: 'counter', value: dataVa + 0x10n, type: STT.OBJECT, bind: STB.GLOBAL, section: '.data', size: 8n },
      { name: 'table', value: dataVa + 0x200n, type: STT.OBJECT, bind: STB.GLOBAL, section: '.data', size: 0x400n },
      { name: 'local_thing', value: dataVa + 0x20n, type: STT.OBJECT, bind: STB.LOCAL, section: '.data', size: 4n },
      { name: 'zeroes', value: bssVa + 0x1000n, type: STT.OBJECT, bind: STB.GLOBAL, section: '.bss', size: 8192n },
      { name: '_underscored', value: dataVa + 0x30n, type: STT.OBJECT, bind: STB.GLOBAL, section: '.data', size: 4n },
    ],
  });
  // Put a recognisable version string where `version` points.
  const dataCopy = Buffer.from(data);
  Buffer.from('FreeBSD 14.1-RELEASE synthetic\0').copy(dataCopy, 0x100);
  const core = writeElf({
    is64, big, machine, type: ET.CORE,
    segments: [
      { vaddr: dataVa, data: dataCopy, flags: 6 },
      { vaddr: bssVa, data: bssFile, memsz: 12288, flags: 6 },
      { vaddr: tailVa, data: tail, flags: 4 },
    ],
  });
  const kernelPath = path.join(dir, 'kernel');
  const corePath = path.join(dir, 'vmcore');
  fs.writeFileSync(kernelPath, kernel);
  fs.writeFileSync(corePath, core);
  return { kernel: kernelPath, core: corePath, dir, textVa, dataVa, bssVa, tailVa, data: dataCopy, bssFile, tail, kernelBytes: kernel, coreBytes: core };
}

module.exports = { syntheticImage, pattern };
