'use strict';
// Writes small ELF64 little-endian files with hand-made DWARF sections, to test forms and corrupt
// input that compilers do not produce. Also finds a named section in an ELF64 LE file.

class Bytes {
  constructor() {
    this.out = [];
  }
  u8(v) {
    this.out.push(v & 0xff);
    return this;
  }
  u16(v) {
    return this.u8(v).u8(v >> 8);
  }
  u24(v) {
    return this.u8(v).u8(v >> 8).u8(v >> 16);
  }
  u32(v) {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  u64(v) {
    const b = BigInt(v);
    return this.u32(Number(b & 0xffffffffn)).u32(Number(b >> 32n));
  }
  uleb(v) {
    let n = BigInt(v);
    do {
      let byte = Number(n & 0x7fn);
      n >>= 7n;
      if (n !== 0n) byte |= 0x80;
      this.u8(byte);
    } while (n !== 0n);
    return this;
  }
  sleb(v) {
    let n = BigInt(v);
    for (;;) {
      const byte = Number(n & 0x7fn);
      n >>= 7n;
      const done = (n === 0n && !(byte & 0x40)) || (n === -1n && byte & 0x40);
      this.u8(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }
  str(s) {
    for (const c of Buffer.from(s)) this.u8(c);
    return this.u8(0);
  }
  raw(buf) {
    for (const c of buf) this.u8(c);
    return this;
  }
  get length() {
    return this.out.length;
  }
  buffer() {
    return Buffer.from(this.out);
  }
}

/** An ELF64 LE ET_EXEC with the given sections ([{ name, data }]) and no segments. */
function elf64(sections) {
  const names = new Bytes().u8(0);
  const nameOff = [];
  for (const s of sections) {
    nameOff.push(names.length);
    names.str(s.name);
  }
  const shstrOff = names.length;
  names.str('.shstrtab');
  const all = [...sections.map((s, i) => ({ ...s, nameOff: nameOff[i] })), { name: '.shstrtab', data: names.buffer(), nameOff: shstrOff, type: 3 }];
  let off = 64;
  const placed = all.map((s) => {
    const at = off;
    off += s.data.length;
    return { ...s, offset: at };
  });
  const shoff = (off + 7) & ~7;
  const file = Buffer.alloc(shoff + 64 * (placed.length + 1));
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(file, 0);
  file.writeUInt16LE(2, 16); // ET_EXEC
  file.writeUInt16LE(62, 18); // x86-64
  file.writeUInt32LE(1, 20);
  file.writeBigUInt64LE(BigInt(shoff), 40);
  file.writeUInt16LE(64, 52);
  file.writeUInt16LE(56, 54);
  file.writeUInt16LE(64, 58);
  file.writeUInt16LE(placed.length + 1, 60);
  file.writeUInt16LE(placed.length, 62); // .shstrtab is last
  placed.forEach((s, i) => {
    s.data.copy(file, s.offset);
    const h = shoff + 64 * (i + 1);
    file.writeUInt32LE(s.nameOff, h);
    file.writeUInt32LE(s.type ?? 1, h + 4);
    file.writeBigUInt64LE(BigInt(s.flags ?? 0), h + 8);
    file.writeBigUInt64LE(BigInt(s.offset), h + 24);
    file.writeBigUInt64LE(BigInt(s.data.length), h + 32);
    file.writeBigUInt64LE(1n, h + 48);
  });
  return file;
}

/** [offset, size] of the named section in an ELF64 little-endian file. */
function findSection(buf, name) {
  const shoff = Number(buf.readBigUInt64LE(40));
  const shentsize = buf.readUInt16LE(58);
  const shnum = buf.readUInt16LE(60);
  const shstrndx = buf.readUInt16LE(62);
  const hdr = (i) => shoff + i * shentsize;
  const strOff = Number(buf.readBigUInt64LE(hdr(shstrndx) + 24));
  for (let i = 0; i < shnum; i++) {
    const nameAt = strOff + buf.readUInt32LE(hdr(i));
    const end = buf.indexOf(0, nameAt);
    if (buf.toString('latin1', nameAt, end) === name) {
      return [Number(buf.readBigUInt64LE(hdr(i) + 24)), Number(buf.readBigUInt64LE(hdr(i) + 32))];
    }
  }
  return null;
}

module.exports = { Bytes, elf64, findSection };
