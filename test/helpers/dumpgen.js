'use strict';
// Test fixtures for the dump-format tests (3x): a tiny kernel ELF writer, a seeded PRNG, temp
// files, and randomized memory scenarios built with lib/sim's writers.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const sim = require('../../dist/sim');

// ---- temp files ------------------------------------------------------------------------------

let tmpRoot = null;
/** A fresh path in this process's temp directory (removed at exit). */
function tmpFile(name) {
  if (!tmpRoot) {
    tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-formats-'));
    process.on('exit', () => fs.rmSync(tmpRoot, { recursive: true, force: true }));
  }
  return path.join(tmpRoot, `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${name}`);
}

// ---- PRNG ------------------------------------------------------------------------------------

/** mulberry32: a small deterministic generator; rng() in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  const rng = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  rng.int = (n) => Math.floor(rng() * n);
  rng.pick = (arr) => arr[rng.int(arr.length)];
  rng.bytes = (n) => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i += 4) b.writeUInt32LE((rng() * 4294967296) >>> 0, i);
    return b;
  };
  return rng;
}

// ---- kernel ELF ------------------------------------------------------------------------------

const MACHINES = { amd64: 62, arm64: 183, i386: 3 };

/**
 * Writes a minimal kernel ELF: header, .bss, .symtab, .strtab, .shstrtab. symbols:
 * [{ name, value, size = 8, abs = false }]; non-abs symbols live in .bss.
 * opts.type (default ET_EXEC 2), opts.elfClass (64 or 32; 32 writes a bare header).
 */
function writeKernel(file, { machine = 'amd64', type = 2, elfClass = 64, symbols = [] } = {}) {
  const em = typeof machine === 'number' ? machine : MACHINES[machine];
  if (elfClass === 32) {
    const h = Buffer.alloc(52);
    h.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 9]);
    h.writeUInt16LE(type, 16);
    h.writeUInt16LE(em, 18);
    h.writeUInt32LE(1, 20);
    h.writeUInt16LE(52, 40);
    h.writeUInt16LE(32, 42);
    h.writeUInt16LE(40, 46);
    fs.writeFileSync(file, h);
    return file;
  }
  const strs = [''];
  const strOff = (s) => {
    let off = 0;
    for (const x of strs) off += Buffer.byteLength(x) + 1;
    strs.push(s);
    return off;
  };
  const syms = Buffer.alloc(24 * (symbols.length + 1));
  const bssAddr = symbols.filter((s) => !s.abs).reduce((m, s) => (m === null || s.value < m ? s.value : m), null) ?? 0n;
  symbols.forEach((s, i) => {
    const o = 24 * (i + 1);
    syms.writeUInt32LE(strOff(s.name), o);
    syms.writeUInt8((1 << 4) | 1, o + 4); // STB_GLOBAL, STT_OBJECT
    syms.writeUInt16LE(s.abs ? 0xfff1 : 1, o + 6);
    syms.writeBigUInt64LE(s.value, o + 8);
    syms.writeBigUInt64LE(BigInt(s.size ?? 8), o + 16);
  });
  const strtab = Buffer.from(strs.join('\0') + '\0');
  const shstr = Buffer.from('\0.bss\0.symtab\0.strtab\0.shstrtab\0');
  const symOff = 64;
  const strOff2 = symOff + syms.length;
  const shstrOff = strOff2 + strtab.length;
  const shoff = Math.ceil((shstrOff + shstr.length) / 8) * 8;
  const sh = Buffer.alloc(64 * 5);
  const section = (i, name, stype, flags, addr, off, size, link, info, align, entsize) => {
    const o = 64 * i;
    sh.writeUInt32LE(name, o);
    sh.writeUInt32LE(stype, o + 4);
    sh.writeBigUInt64LE(BigInt(flags), o + 8);
    sh.writeBigUInt64LE(BigInt(addr), o + 16);
    sh.writeBigUInt64LE(BigInt(off), o + 24);
    sh.writeBigUInt64LE(BigInt(size), o + 32);
    sh.writeUInt32LE(link, o + 40);
    sh.writeUInt32LE(info, o + 44);
    sh.writeBigUInt64LE(BigInt(align), o + 48);
    sh.writeBigUInt64LE(BigInt(entsize), o + 56);
  };
  section(1, 1, 8, 3, bssAddr, 0, 0x100000, 0, 0, 64, 0); // .bss NOBITS WA
  section(2, 6, 2, 0, 0, symOff, syms.length, 3, 1, 8, 24); // .symtab
  section(3, 14, 3, 0, 0, strOff2, strtab.length, 0, 0, 1, 0); // .strtab
  section(4, 22, 3, 0, 0, shstrOff, shstr.length, 0, 0, 1, 0); // .shstrtab
  const h = Buffer.alloc(64);
  h.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 9]);
  h.writeUInt16LE(type, 16);
  h.writeUInt16LE(em, 18);
  h.writeUInt32LE(1, 20);
  h.writeBigUInt64LE(BigInt(shoff), 40);
  h.writeUInt16LE(64, 52);
  h.writeUInt16LE(56, 54);
  h.writeUInt16LE(64, 58);
  h.writeUInt16LE(5, 60);
  h.writeUInt16LE(4, 62);
  const out = Buffer.alloc(shoff + sh.length);
  h.copy(out, 0);
  syms.copy(out, symOff);
  strtab.copy(out, strOff2);
  shstr.copy(out, shstrOff);
  sh.copy(out, shoff);
  fs.writeFileSync(file, out);
  return file;
}

// ---- scenarios -------------------------------------------------------------------------------

const K4 = 0x1000n;
const M2 = 0x200000n;
const G1 = 0x40000000n;

/**
 * A randomized amd64 machine: RAM with holes and a high range, kernel image at KERNBASE with
 * 2 MiB pages, 4 KiB kernel-map pages (some to device memory that is never dumped), optionally a
 * 1 GiB page, pages reachable only through the direct map, random contents, optional msgbuf.
 * `lowKva` false keeps every mapping above KERNBASE (what v1 dumps can hold).
 */
function amd64Scenario(seed, { lowKva = true, gigPage = true } = {}) {
  const rng = prng(seed);
  const highBase = 0x100000000n + BigInt(rng.int(4)) * 0x40000000n;
  const ranges = [
    [0x1000n, 0x9f000n],
    [0x100000n, 0x4000000n], // 64 MiB
    [highBase, highBase + 0x800000n], // 8 MiB above 4 GiB
    [0x7ff000000n, 0x7ff200000n], // 2 MiB near 32 GiB
  ];
  const mem = new sim.PhysMem(ranges);
  const space = new sim.KernelSpace(sim.AMD64_LAYOUT);
  const kb = sim.AMD64_KERNBASE;
  // Kernel image: text (RX) and data (RW), 2 MiB pages at KERNBASE + pa.
  space.map(kb + 0x200000n, 0x200000n, 2n * M2, { pageSize: M2, prot: 5 });
  space.map(kb + 0x600000n, 0x600000n, M2, { pageSize: M2, prot: 3 });
  for (let pa = 0x200000n; pa < 0x800000n; pa += K4) if (rng() < 0.3) mem.write(pa, rng.bytes(4096));
  // 4 KiB pages: a random scatter of physical pages from every range, in one VA block.
  const vaBlock = lowKva ? sim.AMD64_LAYOUT.kernelMapStart + 0x40000000n * BigInt(1 + rng.int(4)) : kb + 0x4000000n;
  const used = new Set();
  const pages = [];
  const ramPage = () => {
    for (;;) {
      const [s, e] = rng.pick(ranges);
      const pa = s + BigInt(rng.int(Number((e - s) / K4))) * K4;
      if (pa >= 0x200000n && pa < 0x800000n) continue;
      if (!used.has(pa)) {
        used.add(pa);
        return pa;
      }
    }
  };
  let va = vaBlock;
  for (let i = 0; i < 300; i++) {
    if (rng() < 0.15) va += K4 * BigInt(1 + rng.int(3)); // leave unmapped holes
    const device = rng() < 0.05;
    const pa = device ? 0xfee00000n + BigInt(i) * K4 : ramPage();
    const prot = rng.pick([1, 3, 5, 7]);
    space.map(va, pa, K4, { prot });
    pages.push({ va, pa, prot, device });
    if (!device && rng() < 0.7) mem.write(pa, rng.bytes(4096));
    va += K4;
  }
  // A run of pages crossing a 2 MiB VA boundary, for spanning reads.
  const crossVa = (va + M2) & ~(M2 - 1n);
  const crossPa = [ramPage(), ramPage()];
  space.map(crossVa - K4, crossPa[0], K4, { prot: 3 });
  space.map(crossVa, crossPa[1], K4, { prot: 3 });
  mem.write(crossPa[0], rng.bytes(4096));
  mem.write(crossPa[1], rng.bytes(4096));
  let gig = null;
  if (gigPage && lowKva) {
    gig = { va: sim.AMD64_LAYOUT.kernelMapStart + 0x40000000n * 8n, pa: 0n };
    space.map(gig.va, gig.pa, G1, { pageSize: G1, prot: 3 });
  }
  // Pages only the direct map reaches.
  const dmapOnly = [];
  for (let i = 0; i < 20; i++) {
    const pa = ramPage();
    mem.write(pa, rng.bytes(4096));
    dmapOnly.push(pa);
  }
  const msgbuf = rng() < 0.5 ? Buffer.from(`<6>simulated boot ${seed}\n`.repeat(1 + rng.int(400))) : undefined;
  return { rng, mem, space, pages, crossVa, dmapOnly, msgbuf, ranges, gig, usedPa: used };
}

/**
 * A randomized arm64 machine: RAM from 0x40000000 (dmapphys) with a gap and a high range,
 * base-page mappings (4K or 16K), L2 blocks, pages reachable only through the direct map.
 */
function arm64Scenario(seed, { pageSize = K4, dmapPhys = 0x40000000n } = {}) {
  const rng = prng(seed);
  const P = pageSize;
  const l2 = (P / 8n) * P;
  const ranges = [
    [0x40000000n, 0x48000000n], // 128 MiB
    [0x50000000n, 0x51000000n], // 16 MiB after a gap
    [0x880000000n, 0x880800000n], // 8 MiB high
  ];
  const mem = new sim.PhysMem(ranges);
  const space = new sim.KernelSpace({ ...sim.ARM64_LAYOUT, dmapPhys, pageSize: P });
  const kmap = sim.ARM64_LAYOUT.kernelMapStart;
  // Kernel image in L2 blocks.
  space.map(kmap + l2, 0x40000000n + l2, 2n * l2, { pageSize: l2, prot: 5 });
  for (let pa = 0x40000000n + l2; pa < 0x40000000n + 3n * l2; pa += K4) if (rng() < 0.05) mem.write(pa, rng.bytes(4096));
  const used = new Set();
  const ramPage = () => {
    for (;;) {
      const [s, e] = rng.pick(ranges);
      const pa = s + BigInt(rng.int(Number((e - s) / P))) * P;
      if (pa >= 0x40000000n && pa < 0x40000000n + 3n * l2) continue;
      if (!used.has(pa)) {
        used.add(pa);
        return pa;
      }
    }
  };
  const fill = (pa) => {
    for (let k = 0n; k < P; k += K4) if (rng() < 0.8) mem.write(pa + k, rng.bytes(4096));
  };
  const pages = [];
  let va = kmap + 4n * l2 + BigInt(rng.int(8)) * l2;
  for (let i = 0; i < 200; i++) {
    if (rng() < 0.15) va += P * BigInt(1 + rng.int(3));
    const device = rng() < 0.05;
    const pa = device ? 0x9000000n + BigInt(i) * P : ramPage();
    const prot = rng.pick([1, 3, 5, 7]);
    space.map(va, pa, P, { prot });
    pages.push({ va, pa, prot, device });
    if (!device && rng() < 0.7) fill(pa);
    va += P;
  }
  const crossVa = (va + l2) & ~(l2 - 1n);
  const crossPa = [ramPage(), ramPage()];
  space.map(crossVa - P, crossPa[0], P, { prot: 3 });
  space.map(crossVa, crossPa[1], P, { prot: 3 });
  fill(crossPa[0]);
  fill(crossPa[1]);
  const dmapOnly = [];
  for (let i = 0; i < 20; i++) {
    const pa = ramPage();
    fill(pa);
    mem.write(pa, rng.bytes(16)); // at least the first 4K page is present
    dmapOnly.push(pa);
  }
  const msgbuf = rng() < 0.5 ? Buffer.from(`<6>arm64 boot ${seed}\n`.repeat(1 + rng.int(300))) : undefined;
  return { rng, mem, space, pages, crossVa, dmapOnly, msgbuf, ranges, usedPa: used, pageSize: P, l2 };
}

/** Asserts a function throws a KvmError with the code (and address / message when given). */
function throwsKvm(assert, fn, code, { address, message } = {}) {
  assert.throws(fn, (e) => {
    assert.equal(e.name, 'KvmError', `expected KvmError, got ${e && e.stack}`);
    assert.equal(e.code, code, e.message);
    if (address !== undefined) assert.equal(e.address, address, `fault address for: ${e.message}`);
    if (message !== undefined) {
      if (message instanceof RegExp) assert.match(e.message, message);
      else assert.equal(e.message, message);
    }
    return true;
  });
}

module.exports = { tmpFile, prng, writeKernel, amd64Scenario, arm64Scenario, throwsKvm, sim, K4, M2, G1 };
