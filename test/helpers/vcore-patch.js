'use strict';
// Corrupt copies of ELF64 little-endian cores whose PT_LOADs carry kernel virtual addresses
// (the simulator's elf-vcore formats): write values at a kernel virtual address of a copy.
const fs = require('node:fs');
const path = require('node:path');

const PT_LOAD = 1;

/** The PT_LOADs of an ELF64 LE core: [{ vaddr, offset, filesz }] (bigint). */
function loads(buf) {
  if (buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1) throw new Error('not an ELF64 LE file');
  const phoff = Number(buf.readBigUInt64LE(32));
  const phentsize = buf.readUInt16LE(54);
  const phnum = buf.readUInt16LE(56);
  const out = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (buf.readUInt32LE(p) !== PT_LOAD) continue;
    out.push({ offset: buf.readBigUInt64LE(p + 8), vaddr: buf.readBigUInt64LE(p + 16), filesz: buf.readBigUInt64LE(p + 32) });
  }
  return out;
}

/** File offset of kernel virtual address `va` (the whole `len` bytes must be in one segment). */
function fileOffset(segs, va, len = 8) {
  for (const s of segs) {
    if (va >= s.vaddr && va + BigInt(len) <= s.vaddr + s.filesz) return Number(s.offset + (va - s.vaddr));
  }
  throw new Error(`0x${va.toString(16)} is not in a file-backed PT_LOAD`);
}

/**
 * Copies `core` to `dir/name` with `edits` applied: [{ va, u64 } | { va, u32 }] (bigint va).
 * Returns the new path.
 */
function patchedCore(core, dir, name, edits) {
  const buf = fs.readFileSync(core);
  const segs = loads(buf);
  for (const e of edits) {
    if (e.u64 !== undefined) buf.writeBigUInt64LE(BigInt.asUintN(64, e.u64), fileOffset(segs, e.va, 8));
    else buf.writeUInt32LE(e.u32 >>> 0, fileOffset(segs, e.va, 4));
  }
  const out = path.join(dir, name);
  fs.writeFileSync(out, buf);
  return out;
}

/** Copies an ELF64 LE kernel to `dir/name` with the st_size of symbol `sym` set to `size`. */
function kernelWithSymbolSize(kernel, dir, name, sym, size) {
  const { findSection } = require('./dwarf-writer');
  const buf = fs.readFileSync(kernel);
  const [symOff, symSize] = findSection(buf, '.symtab');
  const [strOff] = findSection(buf, '.strtab');
  let hits = 0;
  for (let p = symOff; p + 24 <= symOff + symSize; p += 24) {
    const at = strOff + buf.readUInt32LE(p);
    if (buf.toString('latin1', at, buf.indexOf(0, at)) !== sym) continue;
    buf.writeBigUInt64LE(BigInt(size), p + 16);
    hits++;
  }
  if (hits === 0) throw new Error(`no symbol ${sym} in ${kernel}`);
  const out = path.join(dir, name);
  fs.writeFileSync(out, buf);
  return out;
}

module.exports = { loads, fileOffset, patchedCore, kernelWithSymbolSize };
