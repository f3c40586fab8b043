'use strict';
// amd64 full dumps: ELF cores of physical memory read through the kernel's own page tables,
// found via KPML4phys. Round trips through lib/sim's writer, bootstrap errors, segment search.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { Kvm, kvm_openfiles, kvm_walk_pages, kvm_close } = require('..');
const { tmpFile, writeKernel, amd64Scenario, throwsKvm, sim, K4 } = require('./helpers/dumpgen');

const KB = sim.AMD64_KERNBASE;
const DMAP = sim.AMD64_LAYOUT.dmapBase;
const KPML4_PA = 0x600100n; // inside the kernel image's data page (KERNBASE + pa)

function kernelWith(symbols) {
  return writeKernel(tmpFile('kernel'), { machine: 'amd64', symbols });
}
const goodKernel = kernelWith([
  { name: 'kernbase', value: KB, abs: true },
  { name: 'KPML4phys', value: KB + KPML4_PA },
]);

function build(seed, extra = {}) {
  const sc = amd64Scenario(seed);
  const core = tmpFile('full');
  const res = sim.writeFullDumpAmd64(core, { mem: sc.mem, space: sc.space, kpml4physAt: KPML4_PA, ...extra });
  return { sc, core, res };
}

for (const seed of [1, 2, 3]) {
  test(`seed ${seed}: kernel-map, direct-map and physical reads round-trip`, () => {
    const { sc, core, res } = build(seed);
    const kd = Kvm.open({ kernel: goodKernel, core });
    try {
      assert.equal(kd.info.format, 'fulldump-amd64');
      const f = kd.info.fields;
      assert.equal(f.segments, BigInt(sc.ranges.length));
      assert.equal(f.kernbase, KB);
      assert.equal(f.kpml4phys, res.kpml4phys);
      assert.equal(sc.mem.readU64(KPML4_PA), res.kpml4phys);
      for (const p of sc.pages) {
        if (p.device) {
          throwsKvm(assert, () => kd.read(p.va, 8), 'FAULT', {
            address: p.va,
            message: `virtual address 0x${p.va.toString(16)} not in dump: physical address 0x${p.pa.toString(16)} not in dump`,
          });
          continue;
        }
        // Every RAM page is in a full dump (unwritten ones read as zeros).
        const want = sc.mem.read(p.pa, 4096);
        assert.ok(kd.read(p.va, 4096).equals(want), `kmap 0x${p.va.toString(16)}`);
        assert.ok(kd.read(DMAP + p.pa, 4096).equals(want), `dmap 0x${p.pa.toString(16)}`);
        assert.ok(kd.readPhys(p.pa, 4096).equals(want));
      }
      // 2 MiB pages of the kernel image and the 1 GiB page, in one read each.
      assert.ok(kd.read(KB + 0x200000n, 0x600000).equals(sc.mem.read(0x200000n, 0x600000)));
      assert.ok(kd.read(sc.gig.va + 0x3ff000n, 0x2000).equals(sc.mem.read(0x3ff000n, 0x2000)));
      assert.ok(kd.read(sc.crossVa - 16n, 32).equals(sc.space.readVirt(sc.mem, sc.crossVa - 16n, 32)));
      // The direct map is in the page tables: its 1 GiB pages reach RAM holes only to fault there.
      throwsKvm(assert, () => kd.read(DMAP + 0x9eff8n, 16), 'FAULT', {
        address: DMAP + 0x9f000n,
        message: `virtual address 0x${(DMAP + 0x9f000n).toString(16)} not in dump: physical address 0x9f000 not in dump`,
      });
      // Physical reads across PT_LOAD boundaries: a gap faults at its first byte.
      throwsKvm(assert, () => kd.readPhys(0x9e000n, 0x2000), 'FAULT', { address: 0x9f000n, message: 'physical address 0x9f000 not in dump' });
      assert.ok(kd.readPhys(0x3fff000n, 0x1000).equals(sc.mem.read(0x3fff000n, 0x1000)));
      // Unmapped kernel VA: the PML4 slot is empty.
      const va = 0xffff800000000000n;
      throwsKvm(assert, () => kd.read(va, 1), 'FAULT', { address: va, message: `virtual address 0x${va.toString(16)} not in dump: pml4e not valid` });
      // A hole in a mapped 4 KiB block: the page-table entry is not valid.
      const holeIdx = sc.pages.findIndex((p) => !sc.space.mappingAt(p.va + K4) && sc.space.mappingAt(p.va + 2n * K4));
      if (holeIdx >= 0) {
        const hva = sc.pages[holeIdx].va + K4;
        throwsKvm(assert, () => kd.read(hva, 1), 'FAULT', { address: hva, message: `virtual address 0x${hva.toString(16)} not in dump: pte not valid` });
      }
      assert.equal(kd.msgbuf(), null);
    } finally {
      kd.close();
    }
  });
}

test('many adjacent and scattered segments: binary search finds each, reads cross adjacent ones', () => {
  const ranges = [];
  for (let i = 0n; i < 60n; i++) {
    const base = 0x100000n + i * 0x40000n; // 60 ranges of 128 KiB every 256 KiB ...
    ranges.push([base, base + 0x20000n]);
  }
  ranges.push([0x2000000n, 0x2100000n], [0x2100000n, 0x2200000n]); // ... and two adjacent ones
  const mem = new sim.PhysMem(ranges);
  const space = new sim.KernelSpace(sim.AMD64_LAYOUT);
  space.map(KB + 0x2000000n, 0x2000000n, 0x200000n, { pageSize: 0x200000n, prot: 3 });
  const rng = require('./helpers/dumpgen').prng(9);
  for (const [s] of ranges) mem.write(s + 0x1000n, rng.bytes(8192));
  const core = tmpFile('full-many');
  const kernel = kernelWith([
    { name: 'kernbase', value: KB, abs: true },
    { name: 'KPML4phys', value: KB + 0x2000100n },
  ]);
  sim.writeFullDumpAmd64(core, { mem, space, kpml4physAt: 0x2000100n });
  const kd = Kvm.open({ kernel, core });
  try {
    assert.equal(kd.info.fields.segments, 62n);
    for (const [s, e] of ranges) {
      assert.ok(kd.readPhys(s + 0x1000n, 8192).equals(mem.read(s + 0x1000n, 8192)));
      if (e === 0x2100000n) assert.ok(kd.readPhys(e - 4n, 8).equals(mem.read(e - 4n, 8)));
      else throwsKvm(assert, () => kd.readPhys(e - 4n, 8), 'FAULT', { address: e });
    }
    // The adjacent pair reads as one.
    assert.ok(kd.readPhys(0x20ff000n, 0x2000).equals(mem.read(0x20ff000n, 0x2000)));
    assert.ok(kd.read(DMAP + 0x20ff000n, 0x2000).equals(mem.read(0x20ff000n, 0x2000)));
  } finally {
    kd.close();
  }
});

test('bootstrap errors: missing kernbase or KPML4phys, and KPML4phys outside the dump', () => {
  const { core } = build(4);
  throwsKvm(assert, () => Kvm.open({ kernel: kernelWith([{ name: 'KPML4phys', value: KB + KPML4_PA }]), core }), 'NO_SYMBOL', {
    message: 'bad namelist - no kernbase: the kernel has no symbol kernbase, which reading a full dump needs',
  });
  throwsKvm(assert, () => Kvm.open({ kernel: kernelWith([{ name: 'kernbase', value: KB, abs: true }]), core }), 'NO_SYMBOL', {
    message: 'bad namelist - no KPML4phys: the kernel has no symbol KPML4phys, which reading a full dump needs',
  });
  const far = kernelWith([
    { name: 'kernbase', value: KB, abs: true },
    { name: 'KPML4phys', value: KB + 0x9f008n }, // in the hole below 1 MiB
  ]);
  throwsKvm(assert, () => Kvm.open({ kernel: far, core }), 'BAD_FORMAT', {
    message: `cannot read KPML4phys: its physical address 0x9f008 (KPML4phys 0x${(KB + 0x9f008n).toString(16)} - kernbase 0x${KB.toString(16)}) is not in the dump`,
  });
  // KPML4phys holding an address outside the dump.
  const sc = amd64Scenario(4);
  const bad = tmpFile('full-badpml4');
  sim.writeFullDumpAmd64(bad, { mem: sc.mem, space: sc.space });
  sc.mem.writeU64(KPML4_PA, 0xfee00000n);
  sim.writeFullDumpAmd64(bad, { mem: sc.mem, space: sc.space, tables: { pml4: 0xfee00000n, tablePages: [] } });
  throwsKvm(assert, () => Kvm.open({ kernel: goodKernel, core: bad }), 'BAD_FORMAT', {
    message: 'cannot read KPML4phys: the PML4 page at physical address 0xfee00000 (the value of KPML4phys) is not in the dump',
  });
});

test('truncation: cut program headers fail at open, cut page data reads as TRUNCATED', () => {
  const { sc, core, res } = build(6);
  assert.equal(res.kpml4phys, sc.ranges[3][1] - 0x1000n); // the first page allocated, from the top
  const bytes = Buffer.alloc(100);
  const fd = fs.openSync(core, 'r');
  fs.readSync(fd, bytes, 0, 100, 0);
  fs.closeSync(fd);
  const cutHeaders = tmpFile('full-cut-phdr');
  fs.writeFileSync(cutHeaders, bytes);
  throwsKvm(assert, () => Kvm.open({ kernel: goodKernel, core: cutHeaders }), 'BAD_FORMAT', { message: /program header table at offset 0x40 .* runs past end of file \(size 0x64\)/ });
  // Cutting the page tables (at the top of the last RAM range) fails at open.
  const cutTables = tmpFile('full-cut-tables');
  fs.copyFileSync(core, cutTables);
  fs.truncateSync(cutTables, res.payloadSize - 0x1000);
  throwsKvm(assert, () => Kvm.open({ kernel: goodKernel, core: cutTables }), 'BAD_FORMAT', {
    message: /^cannot read KPML4phys: the PML4 page at physical address 0x[0-9a-f]+ \(the value of KPML4phys\) lies past the end of the truncated core file$/,
  });
  // Put the high RAM range's segment last in the file and cut the file in its middle.
  const hi = sc.ranges[2][0];
  const order = [sc.ranges[0], sc.ranges[1], sc.ranges[3], sc.ranges[2]];
  const cutData = tmpFile('full-cut-data');
  const r2 = sim.writeFullDumpAmd64(cutData, { mem: sc.mem, space: sc.space, ranges: order, tables: { pml4: res.kpml4phys } });
  const off = r2.payloadSize - Number(sc.ranges[2][1] - hi);
  fs.truncateSync(cutData, off + 0x3000);
  const kd = Kvm.open({ kernel: goodKernel, core: cutData });
  try {
    assert.ok(kd.readPhys(hi + 0x2000n, 0x1000).equals(sc.mem.read(hi + 0x2000n, 0x1000)));
    throwsKvm(assert, () => kd.readPhys(hi + 0x2ff0n, 0x20), 'TRUNCATED', { address: hi + 0x3000n });
    throwsKvm(assert, () => kd.read(DMAP + hi + 0x5000n, 8), 'TRUNCATED', { address: DMAP + hi + 0x5000n });
  } finally {
    kd.close();
  }
});

test('full dumps have no page walker: walkPages throws UNSUPPORTED, kvm_walk_pages returns 0', () => {
  const { core } = build(7);
  const kd = Kvm.open({ kernel: goodKernel, core });
  try {
    throwsKvm(assert, () => kd.walkPages(), 'UNSUPPORTED', { message: 'the fulldump-amd64 format has no page walker' });
  } finally {
    kd.close();
  }
  const h = kvm_openfiles(goodKernel, core, null, 0, null);
  let calls = 0;
  assert.equal(kvm_walk_pages(h, () => calls++, null), 0);
  assert.equal(calls, 0);
  kvm_close(h);
});
