'use strict';
// Writes small synthetic ELF files (32/64-bit, either byte order) for tests: kernels with a symbol
// table and cores with PT_LOAD segments. Layout: header, program headers, segment data, section
// data, string tables, symbol table, section headers.

const SHT = { NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, NOTE: 7, NOBITS: 8, DYNSYM: 11 };
const SHF = { WRITE: 1, ALLOC: 2, EXECINSTR: 4 };
const STT = { NOTYPE: 0, OBJECT: 1, FUNC: 2, SECTION: 3, FILE: 4 };
const STB = { LOCAL: 0, GLOBAL: 1, WEAK: 2 };
const ET = { EXEC: 2, DYN: 3, CORE: 4 };
const EM = { I386: 3, PPC: 20, PPC64: 21, X86_64: 62, AARCH64: 183 };

class Out {
  constructor(big) {
    this.big = big;
    this.chunks = [];
    this.size = 0;
  }
  align(a) {
    const pad = (a - (this.size % a)) % a;
    if (pad) this.bytes(Buffer.alloc(pad));
    return this.size;
  }
  bytes(b) {
    this.chunks.push(Buffer.from(b));
    this.size += b.length;
  }
  int(v, width) {
    const b = Buffer.alloc(width);
    const n = BigInt(v);
    if (width === 1) b.writeUInt8(Number(n));
    else if (width === 2) this.big ? b.writeUInt16BE(Number(n)) : b.writeUInt16LE(Number(n));
    else if (width === 4) this.big ? b.writeUInt32BE(Number(n)) : b.writeUInt32LE(Number(n));
    else this.big ? b.writeBigUInt64BE(n) : b.writeBigUInt64LE(n);
    this.bytes(b);
  }
  buffer() {
    return Buffer.concat(this.chunks);
  }
}

function strtab(names) {
  const offsets = new Map();
  const parts = [Buffer.from([0])];
  let size = 1;
  for (const n of names) {
    if (n === '' || offsets.has(n)) continue;
    offsets.set(n, size);
    const b = Buffer.from(n + '\0', 'latin1');
    parts.push(b);
    size += b.length;
  }
  return { data: Buffer.concat(parts), offsets, off: (n) => (n === '' ? 0 : offsets.get(n)) };
}

/**
 * opts: { is64 = true, big = false, type = ET.EXEC, machine = EM.X86_64, osabi = 0,
 *   sections: [{ name, type, flags, addr, data | size (NOBITS), align, entsize }],
 *   symbols: [{ name, value, size, type, bind, section: name | 'ABS' | 'UNDEF' | 'COMMON' }],
 *   segments: [{ type = 1, flags = 4, vaddr, paddr, data, memsz, align }],
 *   symtabName = '.symtab' }  -> Buffer
 */
function writeElf(opts) {
  const is64 = opts.is64 !== false;
  const big = !!opts.big;
  const w = is64 ? 8 : 4;
  const out = new Out(big);
  const sections = (opts.sections || []).slice();
  const segments = opts.segments || [];
  const symbols = opts.symbols || [];
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const shentsize = is64 ? 64 : 40;

  // Header is written last into a fixed slot; reserve it.
  out.bytes(Buffer.alloc(ehsize));
  const phoff = segments.length ? out.align(w) : 0;
  out.bytes(Buffer.alloc(phentsize * segments.length));

  const segOffsets = segments.map((s) => {
    const off = out.align(s.align && s.align <= 4096 ? s.align : 16);
    if (s.data) out.bytes(s.data);
    return off;
  });

  const secOffsets = sections.map((s) => {
    if (s.type === SHT.NOBITS) return out.align(s.align || 1);
    const off = out.align(s.align || 1);
    out.bytes(s.data || Buffer.alloc(0));
    return off;
  });

  // Symbol and string tables.
  const symstr = strtab(symbols.map((s) => s.name));
  const symtabName = opts.symtabName || '.symtab';
  const extraNames = symbols.length ? [symtabName, '.strtab'] : [];
  const shstr = strtab(['.shstrtab', ...sections.map((s) => s.name), ...extraNames]);
  const secIndex = (name) => {
    if (name === 'ABS') return 0xfff1;
    if (name === 'COMMON') return 0xfff2;
    if (name === undefined || name === 'UNDEF') return 0;
    const i = sections.findIndex((s) => s.name === name);
    if (i < 0) throw new Error(`no section ${name}`);
    return i + 1;
  };
  let symtabOff = 0;
  let strtabOff = 0;
  let symtabSize = 0;
  if (symbols.length) {
    strtabOff = out.align(1);
    out.bytes(symstr.data);
    symtabOff = out.align(w);
    const symOut = new Out(big);
    const entry = (name, value, size, info, shndx) => {
      if (is64) {
        symOut.int(name, 4); symOut.int(info, 1); symOut.int(0, 1); symOut.int(shndx, 2);
        symOut.int(value, 8); symOut.int(size, 8);
      } else {
        symOut.int(name, 4); symOut.int(value, 4); symOut.int(size, 4);
        symOut.int(info, 1); symOut.int(0, 1); symOut.int(shndx, 2);
      }
    };
    entry(0, 0, 0, 0, 0);
    // Locals first, as linkers write them.
    const ordered = symbols.filter((s) => (s.bind || 0) === STB.LOCAL).concat(symbols.filter((s) => (s.bind || 0) !== STB.LOCAL));
    for (const s of ordered) {
      const info = ((s.bind || 0) << 4) | (s.type === undefined ? STT.OBJECT : s.type);
      entry(symstr.off(s.name), s.value || 0n, s.size || 0n, info, secIndex(s.section));
    }
    const data = symOut.buffer();
    out.bytes(data);
    symtabSize = data.length;
  }
  const shstrOff = out.align(1);
  out.bytes(shstr.data);

  // Section headers: null, user sections, [.symtab, .strtab], .shstrtab.
  const shoff = out.align(w);
  const headers = [];
  headers.push({ name: 0, type: 0, flags: 0, addr: 0, offset: 0, size: 0, link: 0, info: 0, align: 0, entsize: 0 });
  sections.forEach((s, i) => {
    headers.push({
      name: shstr.off(s.name), type: s.type, flags: s.flags || 0, addr: s.addr || 0n,
      offset: secOffsets[i], size: s.type === SHT.NOBITS ? s.size || 0 : (s.data || []).length,
      link: s.link || 0, info: s.info || 0, align: s.align || 1, entsize: s.entsize || 0,
    });
  });
  let shstrndx;
  if (symbols.length) {
    const symIdx = headers.length;
    headers.push({ name: shstr.off(symtabName), type: symtabName === '.dynsym' ? SHT.DYNSYM : SHT.SYMTAB, flags: 0, addr: 0,
      offset: symtabOff, size: symtabSize, link: symIdx + 1, info: 1, align: w, entsize: is64 ? 24 : 16 });
    headers.push({ name: shstr.off('.strtab'), type: SHT.STRTAB, flags: 0, addr: 0, offset: strtabOff,
      size: symstr.data.length, link: 0, info: 0, align: 1, entsize: 0 });
  }
  shstrndx = headers.length;
  headers.push({ name: shstr.off('.shstrtab'), type: SHT.STRTAB, flags: 0, addr: 0, offset: shstrOff,
    size: shstr.data.length, link: 0, info: 0, align: 1, entsize: 0 });
  for (const h of headers) {
    out.int(h.name, 4); out.int(h.type, 4);
    out.int(h.flags, w); out.int(h.addr, w); out.int(h.offset, w); out.int(h.size, w);
    out.int(h.link, 4); out.int(h.info, 4); out.int(h.align, w); out.int(h.entsize, w);
  }

  const file = out.buffer();
  // ELF header.
  const hdr = new Out(big);
  hdr.bytes(Buffer.from([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, big ? 2 : 1, 1, opts.osabi || 0]));
  hdr.bytes(Buffer.alloc(8));
  hdr.int(opts.type === undefined ? ET.EXEC : opts.type, 2);
  hdr.int(opts.machine === undefined ? EM.X86_64 : opts.machine, 2);
  hdr.int(1, 4);
  hdr.int(opts.entry || 0, w);
  hdr.int(phoff, w);
  hdr.int(shoff, w);
  hdr.int(0, 4);
  hdr.int(ehsize, 2);
  hdr.int(phentsize, 2);
  hdr.int(segments.length, 2);
  hdr.int(shentsize, 2);
  hdr.int(headers.length, 2);
  hdr.int(shstrndx, 2);
  hdr.buffer().copy(file, 0);
  // Program headers.
  const ph = new Out(big);
  segments.forEach((s, i) => {
    const filesz = s.data ? s.data.length : 0;
    const memsz = s.memsz === undefined ? filesz : s.memsz;
    if (is64) {
      ph.int(s.type || 1, 4); ph.int(s.flags === undefined ? 4 : s.flags, 4); ph.int(segOffsets[i], 8);
      ph.int(s.vaddr, 8); ph.int(s.paddr || 0, 8); ph.int(filesz, 8); ph.int(memsz, 8); ph.int(s.align || 4096, 8);
    } else {
      ph.int(s.type || 1, 4); ph.int(segOffsets[i], 4); ph.int(s.vaddr, 4); ph.int(s.paddr || 0, 4);
      ph.int(filesz, 4); ph.int(memsz, 4); ph.int(s.flags === undefined ? 4 : s.flags, 4); ph.int(s.align || 4096, 4);
    }
  });
  if (segments.length) ph.buffer().copy(file, phoff);
  return file;
}

/** Offsets of header fields, for tests that corrupt files on purpose. */
const EHDR = {
  64: { phoff: 32, shoff: 40, phentsize: 54, phnum: 56, shentsize: 58, shnum: 60, shstrndx: 62 },
  32: { phoff: 28, shoff: 32, phentsize: 42, phnum: 44, shentsize: 46, shnum: 48, shstrndx: 50 },
};

module.exports = { writeElf, SHT, SHF, STT, STB, ET, EM, EHDR };
