'use strict';
// amd64 minidumps v1-v3: randomized round trips through lib/sim's writer. Every byte read
// through the kernel map, the direct map and physical addresses equals what was placed; unmapped
// and undumped addresses fault at the exact first unreadable address.
const test = require('node:test');
const assert = require('node:assert/strict');
const { Kvm } = require('..');
const { tmpFile, writeKernel, amd64Scenario, throwsKvm, sim, K4, M2 } = require('./helpers/dumpgen');

const kernel = writeKernel(tmpFile('kernel-amd64'), { machine: 'amd64' });
const DMAP = sim.AMD64_LAYOUT.dmapBase;

function build(version, seed, extra = {}) {
  const sc = amd64Scenario(seed, { lowKva: version !== 1, gigPage: version !== 1 });
  const tables = sim.buildAmd64PageTables(sc.mem, sc.space);
  const core = tmpFile(`md-amd64-v${version}`);
  const res = sim.writeMinidumpAmd64(core, { version, mem: sc.mem, space: sc.space, tables, msgbuf: sc.msgbuf, ...extra });
  const kd = Kvm.open({ kernel, core });
  return { sc, tables, res, kd, core };
}

/** A RAM page that nothing maps or writes: in RAM, so the direct map covers it, but not dumped. */
function undumpedPage(sc) {
  const [s] = sc.ranges[2];
  for (let pa = s; ; pa += K4) if (!sc.usedPa.has(pa) && !sc.mem.has(pa)) return pa;
}

for (const version of [1, 2, 3]) {
  for (const seed of [1, 2]) {
    test(`v${version} seed ${seed}: kernel-map, direct-map and physical reads round-trip`, () => {
      const { sc, kd, res } = build(version, seed * 100 + version);
      try {
        const f = kd.info.fields;
        assert.equal(kd.info.format, 'minidump-amd64');
        assert.equal(f.version, BigInt(version));
        assert.equal(f.pageSize, 4096n);
        assert.equal(f.kernbase, version === 1 ? sim.AMD64_KERNBASE : sim.AMD64_LAYOUT.kernelMapStart);
        assert.equal(f.dmapbase, DMAP);
        assert.equal(f.dmapend, sim.AMD64_LAYOUT.dmapEnd);
        assert.equal(f.dumpedPages, BigInt(res.dumpedPages));
        assert.equal(f.bitmapSize, BigInt(res.bitmapSize));
        assert.equal(f.msgbufSize, BigInt(sc.msgbuf ? sc.msgbuf.length : 0));
        assert.equal(f.dumpAvailRanges, version === 3 ? BigInt(sc.ranges.length) : undefined);

        // Every 4 KiB kernel-map page: bytes equal, or a fault at its first byte (device memory).
        for (const p of sc.pages) {
          if (p.device) {
            throwsKvm(assert, () => kd.read(p.va, 16), 'FAULT', {
              address: p.va,
              message: `virtual address 0x${p.va.toString(16)} not minidumped: physical address 0x${p.pa.toString(16)} not in minidump`,
            });
            continue;
          }
          const want = sc.space.readVirt(sc.mem, p.va, 4096);
          assert.ok(kd.read(p.va, 4096).equals(want), `kmap page 0x${p.va.toString(16)}`);
          assert.ok(kd.read(DMAP + p.pa, 4096).equals(want), `dmap page 0x${p.pa.toString(16)}`);
          assert.ok(kd.readPhys(p.pa, 4096).equals(want), `phys page 0x${p.pa.toString(16)}`);
          assert.equal(kd.readU64(p.va + 8n), want.readBigUInt64LE(8));
        }

        // The kernel image: 2 MiB pages read in one request spanning both large pages.
        const kb = sim.AMD64_KERNBASE;
        assert.ok(kd.read(kb + 0x200000n, 3 * 0x200000).equals(sc.space.readVirt(sc.mem, kb + 0x200000n, 3 * 0x200000)));
        // A read across a 2 MiB VA boundary between two 4 KiB pages.
        assert.ok(kd.read(sc.crossVa - 100n, 200).equals(sc.space.readVirt(sc.mem, sc.crossVa - 100n, 200)));
        // Reading off the end of a mapped page into a hole faults at the first unmapped byte.
        const last = sc.pages.find((p, i) => !p.device && !sc.space.mappingAt(p.va + K4) && i < sc.pages.length - 1);
        if (last) {
          throwsKvm(assert, () => kd.read(last.va + 4000n, 200), 'FAULT', { address: last.va + K4 });
        }
        // Below the page-table area and outside the direct map.
        throwsKvm(assert, () => kd.read(0x1000n, 8), 'FAULT', { address: 0x1000n, message: /^virtual address 0x1000 not minidumped/ });

        // Pages only the direct map reaches.
        for (const pa of sc.dmapOnly) {
          assert.ok(kd.read(DMAP + pa, 4096).equals(sc.mem.read(pa, 4096)));
          assert.ok(kd.readPhys(pa + 8n, 100).equals(sc.mem.read(pa + 8n, 100)));
        }
        // RAM the dump left out.
        const hole = undumpedPage(sc);
        throwsKvm(assert, () => kd.read(DMAP + hole + 0x10n, 8), 'FAULT', {
          address: DMAP + hole + 0x10n,
          message: `direct map address 0x${(DMAP + hole + 0x10n).toString(16)} not in minidump (physical address 0x${(hole + 0x10n).toString(16)})`,
        });
        throwsKvm(assert, () => kd.readPhys(hole, 8), 'FAULT', { address: hole, message: `physical address 0x${hole.toString(16)} not in minidump` });
        // A physical read running into the hole stops at its first byte.
        if (sc.mem.has(hole - K4) || sc.usedPa.has(hole - K4)) {
          throwsKvm(assert, () => kd.readPhys(hole - 8n, 16), 'FAULT', { address: hole });
        }

        if (sc.msgbuf) assert.ok(kd.msgbuf().equals(sc.msgbuf));
        else assert.equal(kd.msgbuf().length, 0);
      } finally {
        kd.close();
      }
    });
  }
}

test('v2/v3: a 1 GiB page is readable page by page where RAM was dumped', () => {
  for (const version of [2, 3]) {
    const { sc, kd } = build(version, 77);
    try {
      const g = sc.gig;
      // RAM [0x100000, 0x4000000) lies inside the 1 GiB page at pa 0.
      const off = 0x123000n;
      assert.ok(kd.read(g.va + off - 8n, 4096 + 16).equals(sc.mem.read(off - 8n, 4096 + 16)));
      // Past the end of RAM the page is mapped but nothing was dumped.
      throwsKvm(assert, () => kd.read(g.va + 0x4000000n - 4n, 8), 'FAULT', { address: g.va + 0x4000000n });
      // The hole between the first two RAM ranges (0x9f000-0x100000) faults too.
      throwsKvm(assert, () => kd.read(g.va + 0xa0000n, 1), 'FAULT', { address: g.va + 0xa0000n });
    } finally {
      kd.close();
    }
  }
});

test('v2/v3: a page-directory entry that points to a page table the dump lacks faults', () => {
  // Exclude one page-table page from the dump: its 2 MiB of VA becomes unreadable.
  const sc = amd64Scenario(5);
  const tables = sim.buildAmd64PageTables(sc.mem, sc.space);
  const p = sc.pages.find((x) => !x.device);
  const pml4e = sc.mem.readU64(tables.pml4 + ((p.va >> 39n) & 511n) * 8n);
  const pdpe = sc.mem.readU64((pml4e & 0xffffffffff000n) + ((p.va >> 30n) & 511n) * 8n);
  const pde = sc.mem.readU64((pdpe & 0xffffffffff000n) + ((p.va >> 21n) & 511n) * 8n);
  const pt = pde & 0xffffffffff000n;
  const core = tmpFile('md-nopt');
  sim.writeMinidumpAmd64(core, { version: 3, mem: sc.mem, space: sc.space, tables, exclude: (pa) => pa === pt });
  const kd = Kvm.open({ kernel, core });
  try {
    throwsKvm(assert, () => kd.read(p.va, 8), 'FAULT', {
      address: p.va,
      message: `virtual address 0x${p.va.toString(16)} not minidumped: page table page at physical address 0x${pt.toString(16)} not in minidump`,
    });
  } finally {
    kd.close();
  }
});

test('a read that spans a dumped page and a truncated one stops with TRUNCATED at the cut', () => {
  const { sc, core, res } = build(3, 9);
  const fs = require('node:fs');
  // Cut the file in the middle of its last dumped page.
  const cut = res.payloadSize - 2048;
  fs.truncateSync(core, cut);
  const kd = Kvm.open({ kernel, core });
  try {
    // Find the page stored last: the highest set bit = the highest dumped pa.
    let lastPa = -1n;
    for (const r of kd.walkPages()) if (r.offset + r.len === BigInt(res.payloadSize)) lastPa = r.paddr;
    assert.notEqual(lastPa, -1n);
    assert.ok(kd.readPhys(lastPa, 2048).equals(sc.mem.read(lastPa, 2048)));
    throwsKvm(assert, () => kd.readPhys(lastPa + 2000n, 100), 'TRUNCATED', { address: lastPa + 2048n });
    throwsKvm(assert, () => kd.read(DMAP + lastPa + 4000n, 8), 'TRUNCATED', { address: DMAP + lastPa + 4000n });
  } finally {
    kd.close();
  }
});

test('spans of many pages: 1 MiB sequential reads through the direct map equal physical memory', () => {
  const { sc, kd } = build(3, 31);
  try {
    // Low RAM is all dumped (the 1 GiB page covers it): read 1 MiB at an unaligned address.
    const pa = 0x1234567n;
    assert.ok(kd.read(DMAP + pa, 1 << 20).equals(sc.mem.read(pa, 1 << 20)));
    assert.ok(kd.readPhys(pa, 1 << 20).equals(sc.mem.read(pa, 1 << 20)));
  } finally {
    kd.close();
  }
});

test('readPhys checks its arguments', () => {
  const { kd } = build(3, 3);
  try {
    assert.throws(() => kd.readPhys(0x1000, 8), TypeError);
    assert.throws(() => kd.readPhys(0x1000n, -1), RangeError);
  } finally {
    kd.close();
  }
});

test('a 64 GiB sparse v3 minidump opens from its 2 MiB bitmap and reads pages anywhere', () => {
  const fs = require('node:fs');
  const GiB = 1n << 30n;
  const total = 64n * GiB;
  const pages = Number(total / K4); // 16 Mi pages, all dumped
  const core = tmpFile('md-64g');
  const hdr = Buffer.alloc(4096);
  hdr.write('minidump FreeBSD/amd64', 0, 'latin1');
  hdr.writeUInt32LE(3, 24);
  hdr.writeUInt32LE(0, 28);
  hdr.writeUInt32LE(pages / 8, 32); // 2 MiB bitmap
  hdr.writeUInt32LE(4096, 36);
  hdr.writeBigUInt64LE(sim.AMD64_LAYOUT.kernelMapStart, 40);
  hdr.writeBigUInt64LE(DMAP, 48);
  hdr.writeBigUInt64LE(sim.AMD64_LAYOUT.dmapEnd, 56);
  hdr.writeUInt32LE(4096, 64);
  const avail = Buffer.alloc(4096);
  avail.writeBigUInt64LE(total, 8);
  const bitmap = Buffer.alloc(pages / 8, 0xff);
  const dataOff = 4096 * 3 + bitmap.length;
  const fd = fs.openSync(core, 'w');
  fs.writeSync(fd, hdr, 0, 4096, 0);
  fs.writeSync(fd, avail, 0, 4096, 4096);
  fs.writeSync(fd, bitmap, 0, bitmap.length, 8192);
  const marks = [0n, 37n * GiB + 0x1234000n, total - K4];
  for (const pa of marks) fs.writeSync(fd, Buffer.from(`page at 0x${pa.toString(16)}`), 0, undefined, dataOff + Number(pa));
  fs.ftruncateSync(fd, dataOff + Number(total));
  fs.closeSync(fd);
  const kd = Kvm.open({ kernel, core });
  try {
    assert.equal(kd.info.fields.dumpedPages, BigInt(pages));
    assert.equal(kd.info.fields.bitmapPages, BigInt(pages));
    for (const pa of marks) {
      const s = `page at 0x${pa.toString(16)}`;
      assert.equal(kd.readPhys(pa, s.length).toString(), s);
      assert.equal(kd.read(DMAP + pa, s.length).toString(), s);
    }
    throwsKvm(assert, () => kd.readPhys(total - 4n, 8), 'FAULT', { address: total });
    const it = kd.walkPages();
    const first = it.next().value;
    assert.equal(first.paddr, 0n);
    assert.equal(first.offset, BigInt(dataOff));
  } finally {
    kd.close();
  }
});
