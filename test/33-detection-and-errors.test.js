'use strict';
// Detection by content (kernel ELF class/type/machine + the core's first bytes), the
// kerneldumpheader prefix, compressed cores, and every minidump header error with its exact
// code, message and offset, from hand-built fixtures.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { Kvm, listFormats } = require('..');
const { tmpFile, writeKernel, amd64Scenario, arm64Scenario, throwsKvm, sim } = require('./helpers/dumpgen');

const amd64Kernel = writeKernel(tmpFile('k-amd64'), { machine: 'amd64' });
const arm64Kernel = writeKernel(tmpFile('k-arm64'), { machine: 'arm64' });

function file(name, bytes) {
  const p = tmpFile(name);
  fs.writeFileSync(p, bytes);
  return p;
}

/** A minidump header page (amd64 or arm64 layout) followed by `rest`. */
function minidump({ arch = 'amd64', magic, version = 2, msgbufsize = 0, bitmapsize = 0x1000, pmapsize = 0, dumpavailsize = 0, flags = 0, size } = {}) {
  const h = Buffer.alloc(4096);
  h.write(magic ?? `minidump FreeBSD/${arch}`, 0, 'latin1');
  h.writeUInt32LE(version, 24);
  h.writeUInt32LE(msgbufsize, 28);
  h.writeUInt32LE(bitmapsize, 32);
  h.writeUInt32LE(pmapsize, 36);
  if (arch === 'amd64') {
    h.writeBigUInt64LE(0xfffffe0000000000n, 40);
    h.writeBigUInt64LE(0xfffff80000000000n, 48);
    h.writeBigUInt64LE(0xfffffc0000000000n, 56);
    h.writeUInt32LE(dumpavailsize, 64);
  } else {
    h.writeBigUInt64LE(0xffff000000000000n, 40);
    h.writeBigUInt64LE(0n, 48);
    h.writeBigUInt64LE(0xffffa00000000000n, 56);
    h.writeBigUInt64LE(0xffffff0000000000n, 64);
    h.writeUInt32LE(dumpavailsize, 72);
    h.writeUInt32LE(flags, 76);
  }
  const out = Buffer.alloc(size ?? 4096 + msgbufsize + dumpavailsize + bitmapsize + pmapsize + 4096);
  h.copy(out, 0, 0, Math.min(4096, out.length));
  return out;
}

/** Sets bit 0 (physical page 0 / the first dump_avail page) in a bitmap at `off`. */
function withBit(buf, off) {
  buf[off] |= 1;
  return buf;
}

test('the registry lists the dump formats before elf-vcore, in probe order', () => {
  assert.deepEqual(listFormats().map((f) => f.name), ['minidump-amd64', 'minidump-arm64', 'fulldump-amd64', 'elf-vcore']);
});

test('a leading kerneldumpheader (and a trailing copy) is skipped for every format', () => {
  const KB = sim.AMD64_KERNBASE;
  const sc = amd64Scenario(3);
  const tables = sim.buildAmd64PageTables(sc.mem, sc.space);
  const dumpHeader = { architecture: 'amd64', trailer: true, hostname: 'box', panicString: 'test panic' };
  const md = tmpFile('md-kdh');
  const r = sim.writeMinidumpAmd64(md, { mem: sc.mem, space: sc.space, tables, dumpHeader });
  assert.equal(r.payloadOffset, 512);
  assert.equal(fs.statSync(md).size, 512 + r.payloadSize + 512);
  const head = Buffer.alloc(512);
  const fd = fs.openSync(md, 'r');
  fs.readSync(fd, head, 0, 512, 0);
  fs.closeSync(fd);
  assert.equal(head.toString('latin1', 0, 19), 'FreeBSD Kernel Dump');
  assert.equal(head.readBigUInt64BE(40), BigInt(r.payloadSize));
  let parity = 0;
  for (let i = 0; i < 512; i += 4) parity ^= head.readUInt32BE(i);
  assert.equal(parity, 0);

  const kd = Kvm.open({ kernel: amd64Kernel, core: md });
  const p = sc.pages.find((x) => !x.device);
  try {
    assert.equal(kd.info.format, 'minidump-amd64');
    assert.equal(kd.info.payloadOffset, 512);
    assert.equal(kd.info.fields.dataOffset, BigInt(512 + r.dataOffset));
    assert.ok(kd.read(p.va, 4096).equals(sc.space.readVirt(sc.mem, p.va, 4096)));
    // Walk offsets are payload offsets.
    const first = kd.walkPages().next().value;
    assert.equal(first.offset, BigInt(r.dataOffset));
  } finally {
    kd.close();
  }

  const full = tmpFile('full-kdh');
  sim.writeFullDumpAmd64(full, { mem: sc.mem, space: sc.space, tables, kpml4physAt: 0x600100n, dumpHeader: { architecture: 'amd64' } });
  const fk = writeKernel(tmpFile('k'), { machine: 'amd64', symbols: [{ name: 'kernbase', value: KB, abs: true }, { name: 'KPML4phys', value: KB + 0x600100n }] });
  const kf = Kvm.open({ kernel: fk, core: full });
  try {
    assert.equal(kf.info.format, 'fulldump-amd64');
    assert.equal(kf.info.payloadOffset, 512);
    assert.ok(kf.read(p.va, 4096).equals(sc.space.readVirt(sc.mem, p.va, 4096)));
  } finally {
    kf.close();
  }

  const a = arm64Scenario(3);
  const am = tmpFile('md-arm64-kdh');
  sim.writeMinidumpArm64(am, { mem: a.mem, space: a.space, dumpHeader: { architecture: 'aarch64' } });
  const ka = Kvm.open({ kernel: arm64Kernel, core: am });
  try {
    assert.equal(ka.info.format, 'minidump-arm64');
    assert.equal(ka.info.payloadOffset, 512);
    const q = a.pages.find((x) => !x.device);
    assert.ok(ka.read(q.va, 4096).equals(a.space.readVirt(a.mem, q.va, 4096)));
  } finally {
    ka.close();
  }
});

test('compressed and cleared cores are refused with what to do', () => {
  const gz = file('vmcore.0.gz', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]));
  throwsKvm(assert, () => Kvm.open({ kernel: amd64Kernel, core: gz }), 'UNSUPPORTED', {
    message: `core ${gz} is gzip-compressed; decompress it first (gunzip -k ${gz})`,
  });
  const zst = file('vmcore.0.zst', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]));
  throwsKvm(assert, () => Kvm.open({ kernel: amd64Kernel, core: zst }), 'UNSUPPORTED', {
    message: `core ${zst} is zstd-compressed; decompress it first (zstd -d ${zst})`,
  });
  const cleared = Buffer.alloc(4096);
  cleared.write('Cleared Kernel Dump', 0, 'latin1');
  const c = file('cleared', cleared);
  throwsKvm(assert, () => Kvm.open({ kernel: amd64Kernel, core: c }), 'BAD_FORMAT', { message: /begins with a cleared kerneldumpheader/ });
  const onlyHeader = Buffer.alloc(512);
  onlyHeader.write('FreeBSD Kernel Dump', 0, 'latin1');
  const oh = file('only-kdh', onlyHeader);
  throwsKvm(assert, () => Kvm.open({ kernel: amd64Kernel, core: oh }), 'BAD_FORMAT', { message: `core ${oh} holds only a kerneldumpheader` });
});

test('kernel ELF class, type and machine decide the reader', () => {
  const core = file('md-good', withBit(minidump({ version: 2 }), 4096));
  const k32 = writeKernel(tmpFile('k32'), { machine: 'i386', elfClass: 32 });
  throwsKvm(assert, () => Kvm.open({ kernel: k32, core }), 'UNSUPPORTED', {
    message: `core ${core} is not a format we read for a i386 kernel (32-bit, first bytes "minidump")`,
  });
  const kdyn = writeKernel(tmpFile('kdyn'), { machine: 'amd64', type: 3 });
  throwsKvm(assert, () => Kvm.open({ kernel: kdyn, core }), 'UNSUPPORTED', { message: /is not a format we read for a amd64 kernel \(64-bit, first bytes "minidump"\)$/ });
  // An arm64 kernel with an amd64 minidump: the arm64 reader rejects the magic.
  throwsKvm(assert, () => Kvm.open({ kernel: arm64Kernel, core }), 'BAD_FORMAT', {
    message: 'not a minidump for this platform: magic "minidump FreeBSD/amd64" at offset 0x0, expected "minidump FreeBSD/arm64"',
  });
  const kd = Kvm.open({ kernel: amd64Kernel, core });
  assert.equal(kd.info.format, 'minidump-amd64');
  kd.close();
});

test('minidump header errors: magic, version, truncated header', () => {
  const cases = [
    [amd64Kernel, { magic: 'minidumpX FreeBSD/amd64' }, 'BAD_FORMAT', 'not a minidump for this platform: magic "minidumpX FreeBSD/amd64" at offset 0x0, expected "minidump FreeBSD/amd64"'],
    [amd64Kernel, { arch: 'arm64' }, 'BAD_FORMAT', 'not a minidump for this platform: magic "minidump FreeBSD/arm64" at offset 0x0, expected "minidump FreeBSD/amd64"'],
    [amd64Kernel, { version: 4 }, 'UNSUPPORTED', 'wrong minidump version. expected 3 got 4 (version field at offset 0x18; amd64 versions 1-3 are read)'],
    [amd64Kernel, { version: 0 }, 'UNSUPPORTED', 'wrong minidump version. expected 3 got 0 (version field at offset 0x18; amd64 versions 1-3 are read)'],
    [arm64Kernel, { arch: 'arm64', version: 7 }, 'UNSUPPORTED', 'wrong minidump version. expected 3 got 7 (version field at offset 0x18; arm64 versions 1-3 are read)'],
    [arm64Kernel, { arch: 'arm64', version: 3, flags: 2, dumpavailsize: 4096 }, 'UNSUPPORTED', 'arm64 minidump with 64 KiB pages (flags 0x2 at offset 0x4c): only 4 KiB and 16 KiB pages are read'],
    [arm64Kernel, { arch: 'arm64', version: 3, flags: 3, dumpavailsize: 4096 }, 'UNSUPPORTED', 'unknown page size flag 0x3 in the arm64 minidump header (flags 0x3 at offset 0x4c)'],
  ];
  for (const [kernel, hdr, code, message] of cases) {
    const core = file('md-hdr', minidump(hdr));
    throwsKvm(assert, () => Kvm.open({ kernel, core }), code, { message });
    assert.throws(() => Kvm.open({ kernel, core }), (e) => e.path === core && e.offset === (/version/.test(message) ? 0x18n : /flag/.test(message) ? 0x4cn : 0n));
  }
  // Cut inside the header: the fixed part, and v3's dumpavailsize field.
  const short = file('md-short', minidump({ size: 26 }));
  throwsKvm(assert, () => Kvm.open({ kernel: amd64Kernel, core: short }), 'BAD_FORMAT', {
    message: 'cannot read dump header: the amd64 minidump header (28 bytes at offset 0x0) runs past end of file (size 0x1a)',
  });
  const shortV3 = file('md-short3', minidump({ version: 3, size: 66 }));
  throwsKvm(assert, () => Kvm.open({ kernel: amd64Kernel, core: shortV3 }), 'BAD_FORMAT', {
    message: 'cannot read dump header: the amd64 minidump header (68 bytes at offset 0x0) runs past end of file (size 0x42)',
  });
  const shortArm = file('md-short-arm', minidump({ arch: 'arm64', version: 3, size: 79 }));
  throwsKvm(assert, () => Kvm.open({ kernel: arm64Kernel, core: shortArm }), 'BAD_FORMAT', {
    message: 'cannot read dump header: the arm64 minidump header (80 bytes at offset 0x0) runs past end of file (size 0x4f)',
  });
  // Fewer than 8 bytes: nothing claims it.
  const tiny = file('md-tiny', Buffer.from('minid'));
  throwsKvm(assert, () => Kvm.open({ kernel: amd64Kernel, core: tiny }), 'UNSUPPORTED', { message: /not a format we read for a amd64 kernel \(64-bit, first bytes "minid"\)$/ });
});

test('minidump section errors: msgbuf, dump_avail, bitmap and page-table area past EOF; empty bitmap; no page', () => {
  const cases = [
    [{ msgbufsize: 0x10000, size: 0x3000 }, 'BAD_FORMAT', 'amd64 minidump message buffer (0x10000 bytes at offset 0x1000) runs past end of file (size 0x3000)', 0x1000n],
    [{ version: 3, dumpavailsize: 0x1000, size: 0x1800 }, 'BAD_FORMAT', 'amd64 minidump dump_avail section (0x1000 bytes at offset 0x1000) runs past end of file (size 0x1800)', 0x1000n],
    [{ bitmapsize: 0x20000, size: 0x3000 }, 'BAD_FORMAT', 'amd64 minidump page bitmap (0x20000 bytes at offset 0x1000) runs past end of file (size 0x3000)', 0x1000n],
    [{ msgbufsize: 10, bitmapsize: 0x1000, pmapsize: 0x4000, size: 0x4000 }, 'BAD_FORMAT', 'amd64 minidump page-table area (0x4000 bytes at offset 0x3000) runs past end of file (size 0x4000)', 0x3000n],
    [{ bitmapsize: 0 }, 'BAD_FORMAT', 'amd64 minidump has an empty page bitmap (bitmapsize 0 in the header at offset 0x0): no page can be in the dump', 0x20n],
    [{ bitmapsize: 0x1000 }, 'BAD_FORMAT', 'amd64 minidump has no dumped page: the page bitmap (0x1000 bytes at offset 0x1000) has no bit set', 0x1000n],
  ];
  for (const [hdr, code, message, offset] of cases) {
    const core = file('md-sec', minidump(hdr));
    throwsKvm(assert, () => Kvm.open({ kernel: amd64Kernel, core }), code, { message });
    assert.throws(() => Kvm.open({ kernel: amd64Kernel, core }), (e) => e.offset === offset);
  }
  // The same checks apply to arm64, with its own name in the message.
  const arm = file('md-sec-arm', minidump({ arch: 'arm64', version: 2, dumpavailsize: 0x1000, bitmapsize: 0x8000, size: 0x4000 }));
  throwsKvm(assert, () => Kvm.open({ kernel: arm64Kernel, core: arm }), 'BAD_FORMAT', {
    message: 'arm64 minidump page bitmap (0x8000 bytes at offset 0x2000) runs past end of file (size 0x4000)',
  });
  // 16K pages: sections are 16 KiB apart.
  const arm16 = file('md-sec-arm16', minidump({ arch: 'arm64', version: 3, flags: 1, dumpavailsize: 0x4000, bitmapsize: 0x4000, size: 0x6000 }));
  throwsKvm(assert, () => Kvm.open({ kernel: arm64Kernel, core: arm16 }), 'BAD_FORMAT', {
    message: 'arm64 minidump dump_avail section (0x4000 bytes at offset 0x4000) runs past end of file (size 0x6000)',
  });
});

test('dump_avail errors: a range ending before it starts, overlapping ranges, no memory at all', () => {
  const build = (pairs) => {
    const b = minidump({ version: 3, dumpavailsize: 0x1000, bitmapsize: 0x1000 });
    pairs.forEach(([s, e], i) => {
      b.writeBigUInt64LE(s, 0x1000 + i * 16);
      b.writeBigUInt64LE(e, 0x1000 + i * 16 + 8);
    });
    return file('md-avail', withBit(b, 0x2000));
  };
  throwsKvm(assert, () => Kvm.open({ kernel: amd64Kernel, core: build([[0x1000n, 0x9f000n], [0x200000n, 0x100000n]]) }), 'BAD_FORMAT', {
    message: 'amd64 minidump dump_avail entry at offset 0x1010 ends (0x100000) before it starts (0x200000)',
  });
  throwsKvm(assert, () => Kvm.open({ kernel: amd64Kernel, core: build([[0x100000n, 0x300000n], [0x200000n, 0x400000n]]) }), 'BAD_FORMAT', {
    message: 'minidump dump_avail ranges overlap: pages 0x100000-0x300000 and 0x200000-0x400000',
  });
  throwsKvm(assert, () => Kvm.open({ kernel: amd64Kernel, core: build([]) }), 'BAD_FORMAT', {
    message: 'amd64 minidump dump_avail section at offset 0x1000 lists no physical memory',
  });
  // Unsorted (but disjoint) ranges are fine: bits follow the array order.
  const kd = Kvm.open({ kernel: amd64Kernel, core: build([[0x800000n, 0x900000n], [0x100000n, 0x200000n]]) });
  try {
    assert.equal(kd.info.fields.dumpAvailRanges, 2n);
    // Bit 0 is the first page of the first range: 0x800000.
    assert.equal(kd.readPhys(0x800000n, 8).length, 8);
    throwsKvm(assert, () => kd.readPhys(0x100000n, 8), 'FAULT', { address: 0x100000n });
  } finally {
    kd.close();
  }
  // A hole between sorted ranges never aliases a page of the range before it (libkvm's arithmetic
  // maps 0x7ff000 to bit 255, the last page of the first range).
  const sorted = minidump({ version: 3, dumpavailsize: 0x1000, bitmapsize: 0x1000 });
  sorted.writeBigUInt64LE(0x100000n, 0x1000);
  sorted.writeBigUInt64LE(0x200000n, 0x1008);
  sorted.writeBigUInt64LE(0x800000n, 0x1010);
  sorted.writeBigUInt64LE(0x900000n, 0x1018);
  sorted[0x2000 + 31] = 0x80; // bit 255: page 0x1ff000
  const kh = Kvm.open({ kernel: amd64Kernel, core: file('md-avail-hole', sorted) });
  try {
    assert.equal(kh.readPhys(0x1ff000n, 8).length, 8);
    throwsKvm(assert, () => kh.readPhys(0x7ff000n, 8), 'FAULT', { address: 0x7ff000n });
  } finally {
    kh.close();
  }
});

test('full-dump detection: EI_OSABI standalone cores go to fulldump-amd64, others to elf-vcore', () => {
  // An ELF core of physical memory for another machine is an invalid core for an amd64 kernel.
  const h = Buffer.alloc(4096);
  h.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 255]);
  h.writeUInt16LE(4, 16);
  h.writeUInt16LE(183, 18);
  h.writeUInt32LE(1, 20);
  h.writeUInt16LE(64, 52);
  h.writeUInt16LE(56, 54);
  const core = file('full-arm', h);
  throwsKvm(assert, () => Kvm.open({ kernel: amd64Kernel, core }), 'BAD_FORMAT', {
    message: 'invalid core: a FreeBSD/amd64 full dump is a little-endian ELF64 ET_CORE for EM_X86_64, this one is ELF64 type 4 machine arm64',
  });
  // With an arm64 kernel nothing reads it (elf-vcore refuses physical cores).
  throwsKvm(assert, () => Kvm.open({ kernel: arm64Kernel, core }), 'UNSUPPORTED', { message: /not a format we read for a arm64 kernel/ });
  // A virtual-address core from the vcore writer, p_filesz < p_memsz.
  const sc = amd64Scenario(8);
  const segs = sim.vcoreSegmentsFromSpace(sc.space, sc.mem).slice(0, 3);
  segs.push({ vaddr: 0xffffffff90000000n, memsz: 0x3000n, filesz: 0x1000n, data: Buffer.alloc(0x1000, 0xab) });
  const vc = tmpFile('vcore');
  sim.writeElfVcore(vc, { machine: 'amd64', segments: segs });
  const kd = Kvm.open({ kernel: amd64Kernel, core: vc });
  try {
    assert.equal(kd.info.format, 'elf-vcore');
    assert.equal(kd.info.fields.segments, 4n);
    assert.ok(kd.read(0xffffffff90000ff8n, 16).equals(Buffer.concat([Buffer.alloc(8, 0xab), Buffer.alloc(8)])));
    const m = sc.space.mappings()[0];
    assert.ok(kd.read(m.va, 4096).equals(sc.space.readVirt(sc.mem, m.va, 4096)));
    throwsKvm(assert, () => kd.readPhys(0n, 1), 'UNSUPPORTED', { message: 'the elf-vcore core holds no physical memory to read' });
    throwsKvm(assert, () => kd.read(sim.AMD64_LAYOUT.dmapBase + sc.dmapOnly[0], 8), 'FAULT');
    assert.equal(kd.msgbuf(), null);
  } finally {
    kd.close();
  }
  // With the direct map: pages reached only through it become readable.
  const vd = tmpFile('vcore-dmap');
  sim.writeElfVcore(vd, { machine: 'amd64', segments: sim.vcoreSegmentsFromSpace(sc.space, sc.mem, { directMap: true }) });
  const kv = Kvm.open({ kernel: amd64Kernel, core: vd });
  try {
    for (const pa of sc.dmapOnly) assert.ok(kv.read(sim.AMD64_LAYOUT.dmapBase + pa, 4096).equals(sc.mem.read(pa, 4096)));
  } finally {
    kv.close();
  }
});
