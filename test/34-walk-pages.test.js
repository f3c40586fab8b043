'use strict';
// walk_pages: every dumped page once, in bitmap order, with its file offset, the lowest
// kernel-map address that maps it, its direct-map address (dmapphys included) and protection.
// Exposed as kd.walkPages() (batched native calls) and libkvm's kvm_walk_pages.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { Kvm, kvm_openfiles, kvm_walk_pages, kvm_close, LIBKVM_WALK_PAGES_VERSION } = require('..');
const { tmpFile, writeKernel, amd64Scenario, arm64Scenario, sim, K4 } = require('./helpers/dumpgen');

const amd64Kernel = writeKernel(tmpFile('k-amd64'), { machine: 'amd64' });
const arm64Kernel = writeKernel(tmpFile('k-arm64'), { machine: 'arm64' });

/** Lowest kernel-map va mapping pa, and that mapping, or null. */
function lowestMapping(space, pa) {
  let best = null;
  for (const m of space.mappings()) {
    if (pa >= m.pa && pa < m.pa + m.size) {
      const va = m.va + (pa - m.pa);
      if (!best || va < best.va) best = { va, m };
    }
  }
  return best;
}

function readFileAt(path, offset, len) {
  const b = Buffer.alloc(len);
  const fd = fs.openSync(path, 'r');
  fs.readSync(fd, b, 0, len, offset);
  fs.closeSync(fd);
  return b;
}

function checkWalk(kd, core, sc, { dumpedPages, dataOffset, pageSize, dmapOf, protOf }) {
  const records = [...kd.walkPages()];
  assert.equal(records.length, dumpedPages);
  const seen = new Set();
  let prev = -1n;
  records.forEach((r, i) => {
    assert.equal(r.len, pageSize);
    assert.equal(r.offset, BigInt(dataOffset) + BigInt(i) * pageSize, 'pages are stored densely in bit order');
    assert.ok(r.paddr > prev, 'sorted RAM ranges give ascending physical addresses');
    prev = r.paddr;
    assert.ok(!seen.has(r.paddr));
    seen.add(r.paddr);
    assert.equal(r.dmapVaddr, dmapOf(r.paddr));
    const low = lowestMapping(sc.space, r.paddr);
    if (low) {
      assert.equal(r.kmapVaddr, low.va, `kmap va of 0x${r.paddr.toString(16)}`);
      assert.equal(r.prot, protOf(low.m), `prot of 0x${r.paddr.toString(16)}`);
    } else {
      assert.equal(r.kmapVaddr, 0n);
      assert.equal(r.prot, 3);
    }
  });
  // Offsets point at the page's bytes (a sample, to keep this fast).
  for (let i = 0; i < records.length; i += Math.max(1, Math.floor(records.length / 200))) {
    const r = records[i];
    const bytes = readFileAt(core, kd.info.payloadOffset + Number(r.offset), Number(r.len));
    assert.ok(bytes.equals(sc.mem.read(r.paddr, Number(r.len))), `bytes of 0x${r.paddr.toString(16)}`);
  }
  // Batching does not change the sequence.
  const small = [...kd.walkPages({ batch: 7 })];
  assert.deepEqual(small, records);
  return records;
}

for (const version of [1, 2, 3]) {
  test(`amd64 v${version}: one record per dumped page with kmap/dmap addresses and protection`, () => {
    const sc = amd64Scenario(40 + version, { lowKva: version !== 1, gigPage: version !== 1 });
    const core = tmpFile('md');
    const res = sim.writeMinidumpAmd64(core, { version, mem: sc.mem, space: sc.space });
    const kd = Kvm.open({ kernel: amd64Kernel, core });
    try {
      const records = checkWalk(kd, core, sc, {
        dumpedPages: res.dumpedPages,
        dataOffset: res.dataOffset,
        pageSize: K4,
        dmapOf: (pa) => sim.AMD64_LAYOUT.dmapBase + pa,
        // v1 turns 2 MiB pages into synthetic PTEs (valid, writable, executable), as the kernel did.
        protOf: (m) => (version === 1 && m.pageSize !== K4 ? 7 : 1 | (m.prot & 6)),
      });
      // Pages written but not mapped in 4 KiB pages are listed too; above 1 GiB only the direct map reaches them.
      for (const pa of sc.dmapOnly) {
        const r = records.find((x) => x.paddr === pa);
        assert.ok(r);
        if (pa >= 0x40000000n) assert.equal(r.kmapVaddr, 0n);
      }
      // The kernel image's pages are aliased by the 1 GiB page at a lower va (v2/v3).
      if (sc.gig) {
        const r = records.find((x) => x.paddr === 0x200000n);
        assert.equal(r.kmapVaddr, sc.gig.va + 0x200000n);
      }
    } finally {
      kd.close();
    }
  });
}

const arm64Cases = [
  { version: 1, pageSize: K4 },
  { version: 3, pageSize: K4 },
  { version: 3, pageSize: 0x4000n },
];
for (const c of arm64Cases) {
  test(`arm64 v${c.version} ${c.pageSize === K4 ? '4K' : '16K'}: direct-map addresses honour dmapphys, L2 blocks read as RWX`, () => {
    const sc = arm64Scenario(50 + c.version, { pageSize: c.pageSize, dmapPhys: 0x40000000n });
    const core = tmpFile('md-arm');
    const res = sim.writeMinidumpArm64(core, { version: c.version, mem: sc.mem, space: sc.space });
    const kd = Kvm.open({ kernel: arm64Kernel, core });
    const L = sim.ARM64_LAYOUT;
    try {
      checkWalk(kd, core, sc, {
        dumpedPages: res.dumpedPages,
        dataOffset: res.dataOffset,
        pageSize: c.pageSize,
        dmapOf: (pa) => (pa >= 0x40000000n ? L.dmapBase + pa - 0x40000000n : 0n),
        protOf: (m) => (m.pageSize !== c.pageSize ? 7 : 1 | (m.prot & 6)),
      });
    } finally {
      kd.close();
    }
  });
}

test('kvm_walk_pages: 1 after a full walk, 0 when the callback stops it; kvm_page fields', () => {
  const sc = amd64Scenario(60);
  const core = tmpFile('md');
  const res = sim.writeMinidumpAmd64(core, { mem: sc.mem, space: sc.space });
  const kd = kvm_openfiles(amd64Kernel, core, null, 0, null);
  try {
    const pages = [];
    const closure = { tag: 'c' };
    assert.equal(kvm_walk_pages(kd, (p, arg) => {
      assert.equal(arg, closure);
      pages.push(p);
      return 1;
    }, closure), 1);
    assert.equal(pages.length, res.dumpedPages);
    const p = pages.find((x) => x.kp_kmap_vaddr !== 0n && x.kp_prot === 5);
    assert.equal(p.kp_version, LIBKVM_WALK_PAGES_VERSION);
    assert.equal(p.kp_dmap_vaddr, sim.AMD64_LAYOUT.dmapBase + p.kp_paddr);
    assert.equal(p.kp_len, 4096n);
    assert.equal(typeof p.kp_offset, 'bigint');
    let calls = 0;
    assert.equal(kvm_walk_pages(kd, () => ++calls < 10, null), 0);
    assert.equal(calls, 10);
  } finally {
    kvm_close(kd);
  }
});

test('a page mapped twice in the kernel map reports its lowest address', () => {
  const mem = new sim.PhysMem([[0n, 0x1000000n]]);
  const space = new sim.KernelSpace(sim.AMD64_LAYOUT);
  const base = sim.AMD64_LAYOUT.kernelMapStart;
  space.map(base + 0x10000n, 0x5000n, K4, { prot: 1 });
  space.map(base + 0x2000n, 0x5000n, K4, { prot: 3 }); // lower alias, mapped second
  space.map(base + 0x30000n, 0x4000n, 0x3000n, { prot: 7 });
  mem.write(0x5000n, Buffer.from('alias'));
  const core = tmpFile('md-alias');
  sim.writeMinidumpAmd64(core, { mem, space, extraPages: [] });
  const kd = Kvm.open({ kernel: amd64Kernel, core });
  try {
    const byPa = new Map([...kd.walkPages()].filter((r) => r.paddr < 0x10000n).map((r) => [r.paddr, r]));
    assert.equal(byPa.get(0x5000n).kmapVaddr, base + 0x2000n);
    assert.equal(byPa.get(0x5000n).prot, 3);
    // The 3-page mapping overlaps the alias at 0x5000; the other two pages keep its va.
    assert.equal(byPa.get(0x4000n).kmapVaddr, base + 0x30000n);
    assert.equal(byPa.get(0x6000n).kmapVaddr, base + 0x32000n);
    assert.equal(byPa.get(0x6000n).prot, 7);
    assert.equal(kd.read(base + 0x10000n, 5).toString(), 'alias');
  } finally {
    kd.close();
  }
});

test('elf-vcore: one record per segment; walkPages checks its batch size', () => {
  const sc = amd64Scenario(61);
  const segs = sim.vcoreSegmentsFromSpace(sc.space, sc.mem);
  const core = tmpFile('vcore');
  sim.writeElfVcore(core, { machine: 'amd64', segments: segs });
  const kd = Kvm.open({ kernel: amd64Kernel, core });
  try {
    const recs = [...kd.walkPages({ batch: 3 })];
    assert.equal(recs.length, segs.length);
    assert.deepEqual(recs.map((r) => r.kmapVaddr), segs.map((s) => s.vaddr));
    assert.deepEqual(recs.map((r) => r.len), segs.map((s) => s.memsz));
    assert.throws(() => kd.walkPages({ batch: 0 }), RangeError);
  } finally {
    kd.close();
  }
  const h = kvm_openfiles(amd64Kernel, core, null, 0, null);
  let n = 0;
  assert.equal(kvm_walk_pages(h, () => ++n, null), 1);
  assert.equal(n, segs.length);
  kvm_close(h);
});

test('a page-table area whose entries all share one page table is scanned once, not walked forever', () => {
  // v2 header; bitmap with page 0x1000 (the shared page table) dumped; 131073 valid PDEs.
  const n = 131073;
  const pmap = Math.ceil((n * 8) / 4096) * 4096;
  const buf = Buffer.alloc(4096 * 2 + pmap + 4096);
  buf.write('minidump FreeBSD/amd64', 0, 'latin1');
  buf.writeUInt32LE(2, 24);
  buf.writeUInt32LE(4096, 32);
  buf.writeUInt32LE(n * 8, 36);
  buf.writeBigUInt64LE(sim.AMD64_LAYOUT.kernelMapStart, 40);
  buf.writeBigUInt64LE(sim.AMD64_LAYOUT.dmapBase, 48);
  buf.writeBigUInt64LE(sim.AMD64_LAYOUT.dmapEnd, 56);
  buf[4096] = 0b10; // page 0x1000
  for (let i = 0; i < n; i++) buf.writeBigUInt64LE(0x1000n | 1n, 8192 + i * 8);
  const dataOff = 8192 + pmap;
  buf.writeBigUInt64LE(0x5000n | 3n, dataOff); // the shared page table's first PTE
  const core = tmpFile('md-shared-pt');
  fs.writeFileSync(core, buf);
  const kd = Kvm.open({ kernel: amd64Kernel, core });
  try {
    // Translation still works (and faults) per address.
    const va = sim.AMD64_LAYOUT.kernelMapStart + 0x200000n * 1000n;
    assert.throws(() => kd.read(va, 1), (e) => e.code === 'FAULT' && /physical address 0x5000 not in minidump/.test(e.message));
    // The shared page table is scanned once (later PDEs map its pages only at higher addresses),
    // so the walk ends at once with the one dumped page: the page table itself, not in the kernel map.
    const pages = [...kd.walkPages()];
    assert.equal(pages.length, 1);
    assert.equal(pages[0].paddr, 0x1000n);
    assert.equal(pages[0].kmapVaddr, 0n);
    assert.equal(pages[0].offset, BigInt(dataOff));
  } finally {
    kd.close();
  }
});
