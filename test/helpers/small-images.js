'use strict';
// Small valid images of every core format (each well under 64 KiB), with the kernels that open
// them and the bytes expected at a few addresses: the starting point of the malformed-input
// tests (8x) and of the fuzz seed corpora (scripts/fuzz.js --reseed). The amd64 kernel's
// KPML4phys lives at physical 0x1100, as in the core_open fuzz target's fixed kernel.
const fs = require('node:fs');
const path = require('node:path');
const sim = require('../../dist/sim');
const { writeKernel, prng } = require('./dumpgen');
const { syntheticImage } = require('./synthetic');

const KB = sim.AMD64_KERNBASE;
const K4 = 0x1000n;
const KPML4_PA = 0x1100n;
const ARM64_KMAP = sim.ARM64_LAYOUT.kernelMapStart;
const ARM64_RAM = 0x40000000n;

/** A page of recognisable bytes (seeded). */
function page(seed) {
  return prng(seed).bytes(4096);
}

/**
 * amd64 machine: RAM [0x1000, 0x6000) and [0x8000, 0xc000); kernel-map pages at KERNBASE+0x2000
 * (2 pages, RW) and KERNBASE+0x10000 (RX). Returns { mem, space, probes }.
 */
function amd64Machine() {
  const mem = new sim.PhysMem([[0x1000n, 0x6000n], [0x8000n, 0xc000n]]);
  const space = new sim.KernelSpace(sim.AMD64_LAYOUT);
  space.map(KB + 0x2000n, 0x2000n, 2n * K4, { prot: 3 });
  space.map(KB + 0x10000n, 0x9000n, K4, { prot: 5 });
  const probes = [];
  for (const [va, pa, seed] of [[KB + 0x2000n, 0x2000n, 1], [KB + 0x3000n, 0x3000n, 2], [KB + 0x10000n, 0x9000n, 3]]) {
    const bytes = page(seed);
    mem.write(pa, bytes);
    probes.push({ va, pa, bytes });
  }
  // The direct map reaches the same pages.
  for (const p of probes.slice()) probes.push({ va: sim.AMD64_LAYOUT.dmapBase + p.pa, pa: p.pa, bytes: p.bytes });
  return { mem, space, probes };
}

/** arm64 machine (4 KiB pages): RAM [0x40000000, 0x40008000) and [0x40010000, 0x40014000). */
function arm64Machine() {
  const mem = new sim.PhysMem([[ARM64_RAM, ARM64_RAM + 0x8000n], [ARM64_RAM + 0x10000n, ARM64_RAM + 0x14000n]]);
  const space = new sim.KernelSpace({ ...sim.ARM64_LAYOUT, dmapPhys: ARM64_RAM });
  space.map(ARM64_KMAP + 0x1000n, ARM64_RAM + 0x1000n, 2n * K4, { prot: 3 });
  space.map(ARM64_KMAP + 0x200000n, ARM64_RAM + 0x11000n, K4, { prot: 5 });
  const probes = [];
  for (const [va, pa, seed] of [[ARM64_KMAP + 0x1000n, ARM64_RAM + 0x1000n, 4], [ARM64_KMAP + 0x2000n, ARM64_RAM + 0x2000n, 5], [ARM64_KMAP + 0x200000n, ARM64_RAM + 0x11000n, 6]]) {
    const bytes = page(seed);
    mem.write(pa, bytes);
    probes.push({ va, pa, bytes });
  }
  for (const p of probes.slice()) probes.push({ va: sim.ARM64_LAYOUT.dmapBase + (p.pa - ARM64_RAM), pa: p.pa, bytes: p.bytes });
  return { mem, space, probes };
}

function amd64Kernel(file) {
  return writeKernel(file, {
    machine: 'amd64',
    symbols: [
      { name: 'kernbase', value: KB, abs: true },
      { name: 'KPML4phys', value: KB + KPML4_PA },
    ],
  });
}

/**
 * Writes every small image into `dir`. Returns [{ name, format, kernel, core, probes, physical }]
 * where probes are { va, pa, bytes } (pa undefined for virtual-only images).
 */
function writeSmallImages(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const out = [];
  const k64 = amd64Kernel(path.join(dir, 'kernel-amd64'));
  const karm = writeKernel(path.join(dir, 'kernel-arm64'), { machine: 'arm64', symbols: [{ name: 'kernbase', value: ARM64_KMAP, abs: true }] });

  for (const version of [1, 2, 3]) {
    const m = amd64Machine();
    const core = path.join(dir, `minidump-amd64-v${version}`);
    const msgbuf = version === 3 ? Buffer.from('<6>small image\n') : undefined;
    sim.writeMinidumpAmd64(core, { version, mem: m.mem, space: m.space, pmapStart: KB, msgbuf });
    out.push({ name: `minidump-amd64-v${version}`, format: 'minidump-amd64', kernel: k64, core, probes: m.probes, physical: true, msgbuf });
  }
  {
    const m = amd64Machine();
    const core = path.join(dir, 'minidump-amd64-v3-kdh');
    sim.writeMinidumpAmd64(core, { version: 3, mem: m.mem, space: m.space, pmapStart: KB, dumpHeader: { architecture: 'amd64' } });
    out.push({ name: 'minidump-amd64-v3-kdh', format: 'minidump-amd64', kernel: k64, core, probes: m.probes, physical: true });
  }
  for (const version of [1, 2, 3]) {
    const m = arm64Machine();
    const core = path.join(dir, `minidump-arm64-v${version}`);
    sim.writeMinidumpArm64(core, { version, mem: m.mem, space: m.space });
    out.push({ name: `minidump-arm64-v${version}`, format: 'minidump-arm64', kernel: karm, core, probes: m.probes, physical: true });
  }
  {
    const m = amd64Machine();
    const core = path.join(dir, 'fulldump-amd64');
    sim.writeFullDumpAmd64(core, { mem: m.mem, space: m.space, kpml4physAt: KPML4_PA });
    out.push({ name: 'fulldump-amd64', format: 'fulldump-amd64', kernel: k64, core, probes: m.probes, physical: true });
  }
  {
    const m = amd64Machine();
    const core = path.join(dir, 'elf-vcore-amd64');
    const segments = sim.vcoreSegmentsFromSpace(m.space, m.mem);
    // A zero-filled tail: memsz past filesz.
    segments.push({ vaddr: KB + 0x20000n, memsz: 0x2000n, filesz: 0x1000n, data: page(7) });
    sim.writeElfVcore(core, { machine: 'amd64', segments });
    const probes = m.probes.filter((p) => p.va >= KB).map((p) => ({ va: p.va, bytes: p.bytes }));
    probes.push({ va: KB + 0x20000n, bytes: page(7) }, { va: KB + 0x21000n, bytes: Buffer.alloc(4096) });
    out.push({ name: 'elf-vcore-amd64', format: 'elf-vcore', kernel: k64, core, probes, physical: false });
  }
  {
    // 32-bit big-endian kernel and core (elf-writer), for byte-order paths.
    const s = syntheticImage({ is64: false, big: true, machine: 20, dir: fs.mkdtempSync(path.join(dir, 'be32-')) });
    const probes = [
      { va: s.dataVa, bytes: s.data.subarray(0, 4096) },
      { va: s.bssVa, bytes: s.bssFile },
      { va: s.bssVa + 0x1000n, bytes: Buffer.alloc(4096) },
      { va: s.tailVa, bytes: s.tail },
    ];
    out.push({ name: 'elf-vcore-be32', format: 'elf-vcore', kernel: s.kernel, core: s.core, probes, physical: false });
  }
  return out;
}

module.exports = { writeSmallImages, KPML4_PA, KB, ARM64_KMAP, ARM64_RAM };
