'use strict';
// ELF32/ELF64 in both byte orders, symbol lookup rules, and malformed ELF files.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { Kvm, KvmError, N_DATA, N_BSS, N_TEXT, N_ABS, N_EXT } = require('..');
const { syntheticImage } = require('./helpers/synthetic');
const { writeElf, SHT, SHF, STT, STB, ET, EM, EHDR } = require('./helpers/elf-writer');
const { scratch } = require('./helpers/tmp');

const variants = [
  { is64: true, big: false, machine: EM.X86_64, arch: 'amd64' },
  { is64: true, big: true, machine: EM.PPC64, arch: 'powerpc64' },
  { is64: false, big: false, machine: EM.I386, arch: 'i386' },
  { is64: false, big: true, machine: EM.PPC, arch: 'powerpc' },
];

for (const v of variants) {
  test(`ELF${v.is64 ? 64 : 32} ${v.big ? 'big' : 'little'}-endian: symbols and reads`, () => {
    const img = syntheticImage(v);
    const kd = Kvm.open({ kernel: img.kernel, core: img.core });
    try {
      assert.equal(kd.info.arch, v.arch);
      assert.equal(kd.info.pointerSize, v.is64 ? 8 : 4);
      assert.equal(kd.info.byteOrder, v.big ? 'big' : 'little');
      assert.equal(kd.info.version, 'FreeBSD 14.1-RELEASE synthetic');
      const counter = kd.symbol('counter');
      assert.equal(counter.value, img.dataVa + 0x10n);
      assert.equal(counter.size, 8n);
      assert.equal(counter.type, N_DATA | N_EXT);
      assert.equal(kd.symbol('zeroes').type, N_BSS | N_EXT);
      assert.equal(kd.symbol('btext').type, N_TEXT | N_EXT);
      assert.equal(kd.symbol('ostype').type, N_TEXT | N_EXT, 'read-only PROGBITS is N_TEXT, as libc nlist says');
      assert.equal(kd.symbol('kernbase').type, N_ABS | N_EXT);
      assert.equal(kd.symbol('local_thing').type, N_DATA);
      // Byte order of typed reads follows the kernel.
      const b = img.data.subarray(0x10, 0x18);
      assert.equal(kd.readU64(counter.value), v.big ? b.readBigUInt64BE() : b.readBigUInt64LE());
      assert.equal(kd.readU32(counter.value), v.big ? b.readUInt32BE() : b.readUInt32LE());
      assert.equal(kd.readU16(counter.value), v.big ? b.readUInt16BE() : b.readUInt16LE());
      assert.equal(kd.readPointer(counter.value), v.is64 ? (v.big ? b.readBigUInt64BE() : b.readBigUInt64LE())
        : BigInt(v.big ? b.readUInt32BE() : b.readUInt32LE()));
      assert.ok(kd.read(img.dataVa, 8192).equals(img.data));
    } finally {
      kd.close();
    }
  });
}

test('libkvm name rule: exact name, or the name without one leading underscore', () => {
  const img = syntheticImage();
  const kd = Kvm.open({ kernel: img.kernel, core: img.core });
  const [a, b, c, d] = kd.nlist(['_counter', 'counter', '__counter', '_underscored']);
  assert.equal(a.value, img.dataVa + 0x10n);
  assert.equal(b.value, a.value);
  assert.equal(c.found, false, 'only one underscore is dropped');
  assert.equal(d.symbol, '_underscored', 'an exact match wins');
  assert.throws(() => kd.symbol('nope'), (e) => e instanceof KvmError && e.code === 'NO_SYMBOL' && e.symbol === 'nope');
  kd.close();
});

test('symbolize: inside a sized symbol, past its end, and below the first symbol', () => {
  const img = syntheticImage();
  const kd = Kvm.open({ kernel: img.kernel, core: img.core });
  assert.deepEqual(kd.symbolize(img.dataVa + 0x210n), { name: 'table', offset: 0x10n, value: img.dataVa + 0x200n, size: 0x400n });
  assert.equal(kd.formatAddress(img.dataVa + 0x10n), 'counter');
  assert.equal(kd.formatAddress(img.dataVa + 0x12n), 'counter+0x2');
  assert.equal(kd.symbolize(0x1000n), null);
  assert.equal(kd.formatAddress(0x1000n), '0x1000');
  kd.close();
});

test('.dynsym is used when there is no .symtab', () => {
  const dir = scratch('dynsym');
  const kernel = writeElf({ symtabName: '.dynsym', sections: [{ name: '.data', type: SHT.PROGBITS, flags: SHF.ALLOC | SHF.WRITE, addr: 0x1000n, data: Buffer.alloc(16) }],
    symbols: [{ name: 'x', value: 0x1008n, size: 8n, type: STT.OBJECT, bind: STB.GLOBAL, section: '.data' }] });
  const core = writeElf({ type: ET.CORE, segments: [{ vaddr: 0x1000n, data: Buffer.from('0123456789abcdef') }] });
  fs.writeFileSync(path.join(dir, 'k'), kernel);
  fs.writeFileSync(path.join(dir, 'c'), core);
  const kd = Kvm.open({ kernel: path.join(dir, 'k'), core: path.join(dir, 'c') });
  assert.equal(kd.info.symbolSource, '.dynsym');
  assert.equal(kd.readCString(kd.symbol('x').value, 8), '89abcdef');
  kd.close();
});

// ---- malformed kernels ------------------------------------------------------------------------

function put(buf, off, width, value, big = false) {
  const b = Buffer.from(buf);
  if (width === 2) big ? b.writeUInt16BE(value, off) : b.writeUInt16LE(value, off);
  else if (width === 4) big ? b.writeUInt32BE(value, off) : b.writeUInt32LE(value, off);
  else big ? b.writeBigUInt64BE(BigInt(value), off) : b.writeBigUInt64LE(BigInt(value), off);
  return b;
}

test('malformed kernel ELF files give BAD_FORMAT naming the offset, never a crash', () => {
  const img = syntheticImage();
  const good = img.kernelBytes;
  const shoff = Number(good.readBigUInt64LE(EHDR[64].shoff));
  const shnum = good.readUInt16LE(EHDR[64].shnum);
  // Section headers: [null, .text, .rodata, .data, .bss, .symtab, .strtab, .shstrtab]
  const sh = (i, field) => shoff + i * 64 + field;
  const cases = [
    ['truncated ELF header', good.subarray(0, 40), /ELF header \(64 bytes\) runs past end of file \(size 0x28\)/],
    ['only the magic', good.subarray(0, 4), /ELF identification runs past end of file/],
    ['bad class', put(good, 4, 1 === 1 ? 2 : 2, 0x0103), /unknown ELF class 3/],
    ['section table past EOF', put(good, EHDR[64].shoff, 8, good.length - 32), new RegExp(`ELF section header table at offset 0x${(good.length - 32).toString(16)} \\(${shnum} entries of 64 bytes\\) runs past end of file \\(size 0x${good.length.toString(16)}\\)`)],
    ['absurd section count', put(good, EHDR[64].shnum, 2, 0xfff0), /ELF section header table .* \(65520 entries of 64 bytes\) runs past end of file/],
    ['tiny section header size', put(good, EHDR[64].shentsize, 2, 12), /ELF section header size 12 is smaller than 64/],
    ['section data past EOF', put(good, sh(3, 24), 8, good.length + 100), /ELF section 3 at offset .* runs past end of file/],
    ['section name table index out of range', put(good, EHDR[64].shstrndx, 2, 99), /ELF section name table index 99 is not a section \(8 sections\)/],
    ['bogus section name offset', put(good, sh(2, 0), 4, 0x7fffffff), /ELF section 2 name offset 0x7fffffff is outside the section name table/],
    ['symtab sh_link to a non-string table', put(good, sh(5, 40), 4, 1), /symbol table .symtab links to section 1, which is not a string table/],
    ['symtab sh_link out of range', put(good, sh(5, 40), 4, 1000), /symbol table .symtab links to section 1000/],
    ['program header table past EOF', put(put(good, EHDR[64].phoff, 8, good.length - 8), EHDR[64].phnum, 2, 3), /ELF program header table at offset .* runs past end of file/],
  ];
  const dir = scratch('badelf');
  for (const [name, bytes, re] of cases) {
    const file = path.join(dir, name.replace(/\W+/g, '-'));
    fs.writeFileSync(file, bytes);
    assert.throws(() => Kvm.open({ kernel: file, core: img.core }), (e) => {
      assert.ok(e instanceof KvmError, `${name}: ${e}`);
      assert.equal(e.code, 'BAD_FORMAT', `${name}: ${e.message}`);
      assert.match(e.message, re, name);
      assert.equal(e.path, file);
      return true;
    }, name);
  }
});

test('a symbol name offset outside the string table is BAD_FORMAT', () => {
  const img = syntheticImage();
  const good = img.kernelBytes;
  const shoff = Number(good.readBigUInt64LE(EHDR[64].shoff));
  const symOff = Number(good.readBigUInt64LE(shoff + 5 * 64 + 24));
  const bad = put(good, symOff + 24, 4, 0x00ffffff); // symbol 1's st_name
  const file = path.join(scratch('badsym'), 'kernel');
  fs.writeFileSync(file, bad);
  assert.throws(() => Kvm.open({ kernel: file, core: img.core }), (e) => e.code === 'BAD_FORMAT' && /symbol 1 name offset 0xffffff is outside its string table/.test(e.message));
});

test('a core whose segment runs past EOF opens, and reads past the end are TRUNCATED', () => {
  const img = syntheticImage();
  // Cut the core in the middle of the first segment's data.
  const core = img.coreBytes;
  const phoff = Number(core.readBigUInt64LE(EHDR[64].phoff));
  const segOff = Number(core.readBigUInt64LE(phoff + 8));
  const cut = core.subarray(0, segOff + 1000);
  const file = path.join(scratch('truncated'), 'vmcore');
  fs.writeFileSync(file, cut);
  const kd = Kvm.open({ kernel: img.kernel, core: file });
  assert.ok(kd.read(img.dataVa, 1000).equals(img.data.subarray(0, 1000)));
  assert.throws(() => kd.read(img.dataVa + 990n, 20), (e) => e.code === 'TRUNCATED' && e.address === img.dataVa + 1000n);
  assert.throws(() => kd.readU64(img.dataVa + 4096n), (e) => e.code === 'TRUNCATED');
  kd.close();
});
