'use strict';
// arm64 minidumps v1-v3 with 4 KiB and 16 KiB pages: randomized round trips through lib/sim's
// writer, with the direct map starting at a non-zero physical address (dmapphys).
const test = require('node:test');
const assert = require('node:assert/strict');
const { Kvm } = require('..');
const { tmpFile, writeKernel, arm64Scenario, throwsKvm, sim, K4 } = require('./helpers/dumpgen');

const kernel = writeKernel(tmpFile('kernel-arm64'), { machine: 'arm64' });
const L = sim.ARM64_LAYOUT;

function build(version, seed, pageSize, dmapPhys) {
  const sc = arm64Scenario(seed, { pageSize, dmapPhys });
  const core = tmpFile(`md-arm64-v${version}`);
  const res = sim.writeMinidumpArm64(core, { version, mem: sc.mem, space: sc.space, msgbuf: sc.msgbuf });
  return { sc, res, core, kd: Kvm.open({ kernel, core }) };
}

const cases = [
  { version: 1, pageSize: K4, dmapPhys: 0x40000000n },
  { version: 2, pageSize: K4, dmapPhys: 0x40000000n },
  { version: 3, pageSize: K4, dmapPhys: 0x40000000n },
  { version: 3, pageSize: K4, dmapPhys: 0n },
  { version: 3, pageSize: 0x4000n, dmapPhys: 0x40000000n },
];

for (const c of cases) {
  for (const seed of [1, 2]) {
    const name = `v${c.version} ${c.pageSize === K4 ? '4K' : '16K'} dmapphys 0x${c.dmapPhys.toString(16)} seed ${seed}`;
    test(`${name}: kernel-map, direct-map and physical reads round-trip`, () => {
      const { sc, res, kd } = build(c.version, seed * 10 + c.version, c.pageSize, c.dmapPhys);
      const P = Number(c.pageSize);
      const dmap = (pa) => L.dmapBase + pa - c.dmapPhys;
      try {
        const f = kd.info.fields;
        assert.equal(kd.info.format, 'minidump-arm64');
        assert.equal(f.version, BigInt(c.version));
        assert.equal(f.pageSize, c.pageSize);
        assert.equal(f.kernbase, L.kernelMapStart);
        assert.equal(f.dmapphys, c.dmapPhys);
        assert.equal(f.dmapbase, L.dmapBase);
        assert.equal(f.dmapend, L.dmapEnd);
        assert.equal(f.dumpedPages, BigInt(res.dumpedPages));
        assert.equal(f.flags, c.version >= 3 ? (P === 4096 ? 0n : 1n) : undefined);
        assert.equal(f.dumpAvailRanges, c.version >= 2 ? 3n : undefined);

        for (const p of sc.pages) {
          if (p.device) {
            throwsKvm(assert, () => kd.read(p.va + 5n, 4), 'FAULT', {
              address: p.va + 5n,
              message: `virtual address 0x${(p.va + 5n).toString(16)} not minidumped: physical address 0x${(p.pa + 5n).toString(16)} not in minidump`,
            });
            continue;
          }
          const want = sc.space.readVirt(sc.mem, p.va, P);
          assert.ok(kd.read(p.va, P).equals(want), `kmap page 0x${p.va.toString(16)}`);
          assert.ok(kd.read(dmap(p.pa), P).equals(want), `dmap page 0x${p.pa.toString(16)}`);
          assert.ok(kd.readPhys(p.pa, P).equals(want), `phys page 0x${p.pa.toString(16)}`);
        }
        // Reads across 4 KiB boundaries inside a page and across the L2 boundary.
        const from = sc.crossVa - c.pageSize + 100n;
        assert.ok(kd.read(from, 2 * P - 200).equals(sc.space.readVirt(sc.mem, from, 2 * P - 200)));
        // The kernel image in L2 blocks, read across the block boundary.
        const img = L.kernelMapStart + 2n * sc.l2 - 0x3000n;
        assert.ok(kd.read(img, 0x6000).equals(sc.space.readVirt(sc.mem, img, 0x6000)));
        // Into an unmapped hole.
        const idx = sc.pages.findIndex((p) => !p.device && !sc.space.mappingAt(p.va + c.pageSize));
        if (idx >= 0) {
          const p = sc.pages[idx];
          throwsKvm(assert, () => kd.read(p.va + c.pageSize - 8n, 16), 'FAULT', {
            address: p.va + c.pageSize,
            message: new RegExp(`^virtual address 0x${(p.va + c.pageSize).toString(16)} not minidumped: L3 entry \\d+ not valid$`),
          });
        }
        for (const pa of sc.dmapOnly) {
          assert.ok(kd.read(dmap(pa), P).equals(sc.mem.read(pa, P)));
          assert.ok(kd.readPhys(pa, P).equals(sc.mem.read(pa, P)));
        }
        // A RAM page below dmapphys cannot be reached through the direct map; one never dumped faults.
        let hole = sc.ranges[1][0];
        while (sc.usedPa.has(hole) || sc.mem.has(hole)) hole += c.pageSize;
        throwsKvm(assert, () => kd.read(dmap(hole), 1), 'FAULT', { address: dmap(hole), message: /^direct map address 0x[0-9a-f]+ not in minidump \(physical address 0x[0-9a-f]+\)$/ });
        throwsKvm(assert, () => kd.readPhys(hole, 1), 'FAULT', { address: hole });
        // Between the kernel map's end and the direct map.
        const beyond = L.kernelMapStart + BigInt(f.pmapSize / 8n) * c.pageSize;
        throwsKvm(assert, () => kd.read(beyond, 1), 'FAULT', { address: beyond, message: /past the end of the page-table area/ });
        if (sc.msgbuf) assert.ok(kd.msgbuf().equals(sc.msgbuf));
        else assert.equal(kd.msgbuf().length, 0);
      } finally {
        kd.close();
      }
    });
  }
}

test('16K pages: the bitmap has one bit per 16 KiB and data pages are 16 KiB apart', () => {
  const { sc, res, kd } = build(3, 5, 0x4000n, 0x40000000n);
  try {
    assert.equal(kd.info.fields.bitmapPages % 8n, 0n);
    // Three RAM ranges: 128 MiB + 16 MiB + 8 MiB of 16 KiB pages.
    const pages = (0x8000000 + 0x1000000 + 0x800000) / 0x4000;
    assert.equal(res.bitmapSize, Math.ceil(Math.ceil(pages / 64) * 8 / 0x4000) * 0x4000);
    let prev = -1n;
    for (const r of kd.walkPages()) {
      assert.equal(r.len, 0x4000n);
      assert.equal(r.paddr % 0x4000n, 0n);
      if (prev >= 0n) assert.equal(r.offset, prev + 0x4000n);
      prev = r.offset;
    }
    assert.equal(kd.info.fields.dataOffset % 0x4000n, 0n);
    void sc;
  } finally {
    kd.close();
  }
});
