'use strict';
// Dump-format benchmark: reads from a ~1 GiB sparse amd64 v2 minidump and from a full dump of
// the same memory, against a raw-copy baseline of the same bytes (a Buffer holding the file,
// read at precomputed offsets) measured in the same run; open times; and a 64 GiB sparse
// minidump's open time and memory. Run alone with `node bench/formats.js`, or call run().
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Kvm } = require('..');
const sim = require('../dist/sim');

const GiB = 1n << 30n;
const MiB = 1 << 20;

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Median ns per operation over 5 timed runs after one warm-up run. */
function nsPer(fn, count) {
  fn();
  const runs = [];
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    runs.push(Number(process.hrtime.bigint() - t0) / count);
  }
  return median(runs);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function writeKernel(file) {
  // A kernel ELF with kernbase and KPML4phys: header, .bss, .symtab, .strtab, .shstrtab.
  const names = '\0kernbase\0KPML4phys\0';
  const syms = Buffer.alloc(72);
  const sym = (i, name, value, shndx) => {
    syms.writeUInt32LE(name, 24 * i);
    syms.writeUInt8(0x11, 24 * i + 4);
    syms.writeUInt16LE(shndx, 24 * i + 6);
    syms.writeBigUInt64LE(value, 24 * i + 8);
    syms.writeBigUInt64LE(8n, 24 * i + 16);
  };
  sym(1, 1, sim.AMD64_KERNBASE, 0xfff1);
  sym(2, 10, sim.AMD64_KERNBASE + 0x600100n, 1);
  const strtab = Buffer.from(names);
  const shstr = Buffer.from('\0.bss\0.symtab\0.strtab\0.shstrtab\0');
  const symOff = 64, strOff = symOff + 72, shstrOff = strOff + strtab.length;
  const shoff = Math.ceil((shstrOff + shstr.length) / 8) * 8;
  const out = Buffer.alloc(shoff + 5 * 64);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 9]);
  out.writeUInt16LE(2, 16);
  out.writeUInt16LE(62, 18);
  out.writeUInt32LE(1, 20);
  out.writeBigUInt64LE(BigInt(shoff), 40);
  out.writeUInt16LE(64, 52);
  out.writeUInt16LE(64, 58);
  out.writeUInt16LE(5, 60);
  out.writeUInt16LE(4, 62);
  syms.copy(out, symOff);
  strtab.copy(out, strOff);
  shstr.copy(out, shstrOff);
  const sh = (i, name, type, flags, addr, off, size, link, entsize) => {
    const o = shoff + 64 * i;
    out.writeUInt32LE(name, o);
    out.writeUInt32LE(type, o + 4);
    out.writeBigUInt64LE(BigInt(flags), o + 8);
    out.writeBigUInt64LE(addr, o + 16);
    out.writeBigUInt64LE(BigInt(off), o + 24);
    out.writeBigUInt64LE(BigInt(size), o + 32);
    out.writeUInt32LE(link, o + 40);
    out.writeBigUInt64LE(BigInt(entsize), o + 56);
  };
  sh(1, 1, 8, 3, sim.AMD64_KERNBASE + 0x600000n, 0, 0x1000, 0, 0);
  sh(2, 6, 2, 0, 0n, symOff, 72, 3, 24);
  sh(3, 14, 3, 0, 0n, strOff, strtab.length, 0, 0);
  sh(4, 22, 3, 0, 0n, shstrOff, shstr.length, 0, 0);
  fs.writeFileSync(file, out);
}

/** 1 GiB of RAM mapped in the kernel map with 2 MiB pages; 1 page in 8 holds data. */
function buildMemory() {
  const rng = prng(7);
  const mem = new sim.PhysMem([[0x100000n, GiB + 0x100000n]]);
  const space = new sim.KernelSpace(sim.AMD64_LAYOUT);
  const kmapVa = sim.AMD64_LAYOUT.kernelMapStart + GiB;
  space.map(kmapVa, 0x200000n, GiB - 0x200000n, { pageSize: 0x200000n, prot: 3 });
  space.map(sim.AMD64_KERNBASE + 0x200000n, 0x200000n, 0x600000n, { pageSize: 0x200000n, prot: 7 });
  const page = Buffer.alloc(4096);
  for (let pa = 0x100000n; pa < GiB + 0x100000n; pa += 0x8000n) {
    for (let i = 0; i < 4096; i += 4) page.writeUInt32LE((rng() * 4294967296) >>> 0, i);
    mem.write(pa, page);
  }
  return { mem, space, kmapVa };
}

/** A v3 minidump of 64 GiB of RAM, every page dumped, data all holes. */
function write64G(file) {
  const total = 64n * GiB;
  const pages = Number(total / 4096n);
  const hdr = Buffer.alloc(4096);
  hdr.write('minidump FreeBSD/amd64', 0, 'latin1');
  hdr.writeUInt32LE(3, 24);
  hdr.writeUInt32LE(pages / 8, 32);
  hdr.writeUInt32LE(4096, 36);
  hdr.writeBigUInt64LE(sim.AMD64_LAYOUT.kernelMapStart, 40);
  hdr.writeBigUInt64LE(sim.AMD64_LAYOUT.dmapBase, 48);
  hdr.writeBigUInt64LE(sim.AMD64_LAYOUT.dmapEnd, 56);
  hdr.writeUInt32LE(4096, 64);
  const avail = Buffer.alloc(4096);
  avail.writeBigUInt64LE(total, 8);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, hdr, 0, 4096, 0);
  fs.writeSync(fd, avail, 0, 4096, 4096);
  fs.writeSync(fd, Buffer.alloc(pages / 8, 0xff), 0, pages / 8, 8192);
  fs.ftruncateSync(fd, 3 * 4096 + pages / 8 + Number(total));
  fs.closeSync(fd);
}

/**
 * Random 8-byte and 1 MiB sequential reads through `kd` vs the same bytes from `raw` (the whole
 * file in a Buffer, read at offsets computed beforehand: the cost of the bytes without any
 * translation). readU64 pays one Node-API call per read; readMany shows the translation cost.
 */
function readRows(label, kd, raw, vaToFileOffset, vaBase, span, rows) {
  const rng = prng(11);
  const N = 200000;
  const vas = new BigUint64Array(N);
  const offs = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const rel = BigInt(Math.floor(rng() * Number(span - 8n))) & ~7n;
    vas[i] = vaBase + rel;
    offs[i] = vaToFileOffset(vaBase + rel);
  }
  // Touch every page of both sides first, so neither pays first-touch page faults while timed.
  const warm = Buffer.alloc(MiB);
  for (let off = 0n; off + BigInt(MiB) <= span; off += BigInt(MiB)) kd.readInto(vaBase + off, warm, MiB);
  let sink = 0n;
  for (let i = 0; i < raw.length; i += 4096) sink ^= BigInt(raw[i]);
  const base8 = nsPer(() => {
    for (let i = 0; i < N; i++) sink ^= raw.readBigUInt64LE(offs[i]);
  }, N);
  const kvm8 = nsPer(() => {
    for (let i = 0; i < N; i++) sink ^= kd.readU64(vas[i]);
  }, N);
  const out = Buffer.alloc(N * 8);
  const many8 = nsPer(() => kd.readMany(vas, 8, out), N);
  // Check the two paths agree (a benchmark of wrong bytes is worthless).
  for (let i = 0; i < 1000; i++) {
    if (kd.readU64(vas[i]) !== raw.readBigUInt64LE(offs[i])) throw new Error(`${label}: bytes differ at 0x${vas[i].toString(16)}`);
  }
  rows.push({ name: `${label}: random 8-byte reads (readU64)`, value: kvm8, unit: 'ns/read', baseline: base8, ratio: kvm8 / base8 });
  rows.push({ name: `${label}: random 8-byte reads (readMany batch)`, value: many8, unit: 'ns/read', baseline: base8, ratio: many8 / base8 });

  const M = 256;
  const target = Buffer.alloc(MiB);
  const starts = [];
  for (let i = 0; i < M; i++) starts.push(BigInt(Math.floor(rng() * Number(span - BigInt(MiB)))) & ~0xfffn);
  // The pages of one MiB lie contiguously in both files (every page of the range is dumped).
  const seqOffs = starts.map((s) => vaToFileOffset(vaBase + s));
  starts.forEach((s, i) => {
    if (vaToFileOffset(vaBase + s + BigInt(MiB) - 8n) !== seqOffs[i] + MiB - 8) throw new Error(`${label}: 1 MiB at 0x${s.toString(16)} is not contiguous in the file`);
  });
  const baseSeq = nsPer(() => {
    for (let i = 0; i < M; i++) raw.copy(target, 0, seqOffs[i], seqOffs[i] + MiB);
  }, M);
  const kvmSeq = nsPer(() => {
    for (const s of starts) kd.readInto(vaBase + s, target, MiB);
  }, M);
  kd.readInto(vaBase + starts[0], target, MiB);
  if (!target.equals(raw.subarray(seqOffs[0], seqOffs[0] + MiB))) throw new Error(`${label}: 1 MiB bytes differ`);
  rows.push({ name: `${label}: 1 MiB sequential reads (readInto)`, value: kvmSeq / 1000, unit: 'us/MiB', baseline: baseSeq / 1000, ratio: kvmSeq / baseSeq });
  return sink;
}

async function run({ log = () => {} } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-bench-formats-'));
  const rows = [];
  try {
    const kernel = path.join(dir, 'kernel');
    writeKernel(kernel);
    log('building 1 GiB of simulated memory');
    const { mem, space, kmapVa } = buildMemory();
    const tables = sim.buildAmd64PageTables(mem, space);
    mem.writeU64(0x600100n, tables.pml4);
    const mdPath = path.join(dir, 'minidump-v2');
    const t0 = process.hrtime.bigint();
    const md = sim.writeMinidumpAmd64(mdPath, { version: 2, mem, space, tables });
    rows.push({ name: 'write amd64 v2 minidump (1 GiB, sparse)', value: Number(process.hrtime.bigint() - t0) / 1e6, unit: 'ms', baseline: null, ratio: null });
    const fullPath = path.join(dir, 'fulldump');
    const t1 = process.hrtime.bigint();
    sim.writeFullDumpAmd64(fullPath, { mem, space, tables });
    rows.push({ name: 'write amd64 full dump (1 GiB, sparse)', value: Number(process.hrtime.bigint() - t1) / 1e6, unit: 'ms', baseline: null, ratio: null });

    // Flush both files now so background writeback does not disturb the timings.
    for (const f of [mdPath, fullPath]) {
      const fd = fs.openSync(f, 'r+');
      fs.fsyncSync(fd);
      fs.closeSync(fd);
    }
    for (const [label, core] of [['minidump v2', mdPath], ['full dump', fullPath]]) {
      const times = [];
      for (let i = 0; i < 7; i++) {
        const s = process.hrtime.bigint();
        Kvm.open({ kernel, core }).close();
        times.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
      rows.push({ name: `open ${label} (1 GiB)`, value: median(times), unit: 'ms', baseline: null, ratio: null });
    }

    log('loading the dumps into memory for the raw-copy baseline');
    const mdRaw = fs.readFileSync(mdPath);
    const fullRaw = fs.readFileSync(fullPath);
    const kd = Kvm.open({ kernel, core: mdPath });
    // Minidump: walk once to map pa -> file offset for the baseline (pages are dense in bit order).
    const offsetOfPa = new Map();
    for (const r of kd.walkPages({ batch: 65536 })) offsetOfPa.set(r.paddr, Number(r.offset));
    const span = GiB - 0x200000n;
    readRows('minidump v2', kd, mdRaw, (va) => offsetOfPa.get((va - kmapVa + 0x200000n) & ~0xfffn) + Number(va & 0xfffn), kmapVa, span, rows);
    kd.close();
    const kf = Kvm.open({ kernel, core: fullPath });
    const dataStart = 4096; // one PT_LOAD from 0x100000
    readRows('full dump', kf, fullRaw, (va) => dataStart + Number(va - kmapVa + 0x200000n - 0x100000n), kmapVa, span, rows);
    kf.close();
    void md;

    log('64 GiB sparse minidump');
    const big = path.join(dir, 'minidump-64g');
    write64G(big);
    // Open it in a fresh process so its memory is measured alone.
    const child = require('node:child_process').spawnSync(process.execPath, ['-e', `
      const { Kvm } = require(${JSON.stringify(path.join(__dirname, '..'))});
      const before = process.memoryUsage().rss;
      const s0 = process.hrtime.bigint();
      const first = Kvm.open({ kernel: ${JSON.stringify(kernel)}, core: ${JSON.stringify(big)} });
      const firstMs = Number(process.hrtime.bigint() - s0) / 1e6;
      const rssGrowth = process.memoryUsage().rss - before;
      first.close();
      const times = [];
      for (let i = 0; i < 7; i++) {
        const s = process.hrtime.bigint();
        Kvm.open({ kernel: ${JSON.stringify(kernel)}, core: ${JSON.stringify(big)} }).close();
        times.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
      times.sort((a, b) => a - b);
      console.log(JSON.stringify({ firstMs, median: times[3], rssGrowth }));
    `], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`64 GiB open failed: ${child.stderr}`);
    const m = JSON.parse(child.stdout);
    rows.push({ name: 'open 64 GiB sparse minidump, first in process', value: m.firstMs, unit: 'ms', baseline: null, ratio: null });
    rows.push({ name: 'open 64 GiB sparse minidump, median of 7', value: m.median, unit: 'ms', baseline: null, ratio: null });
    rows.push({ name: 'RSS growth of one open 64 GiB minidump', value: m.rssGrowth / MiB, unit: 'MiB', baseline: null, ratio: null });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

module.exports = run;
module.exports.run = run;

if (require.main === module) {
  run({ log: (m) => process.stderr.write(`# ${m}\n`) }).then((rows) => {
    for (const r of rows) {
      const base = r.baseline === null ? '' : `  baseline ${r.baseline.toFixed(1)}  ratio ${r.ratio.toFixed(2)}`;
      console.log(`${r.name.padEnd(48)} ${r.value.toFixed(2).padStart(10)} ${r.unit}${base}`);
    }
  });
}
