'use strict';
// Malformed cores of every format: a small valid image (test/helpers/small-images.js) with
// systematic corruptions — truncation at many points, every header field set to 0, all ones,
// off by one and random, bitmaps and page tables pointing outside the file, overlapping and
// wrapping segments, huge counts, random byte flips. Each image's cases run in a child process
// (test/helpers/malformed-runner.js) under a time and RSS bound; every case must give a KvmError
// with the expected code, or an image whose reads return the right bytes or FAULT/TRUNCATED.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Kvm } = require('..');
const { writeSmallImages } = require('./helpers/small-images');
const { runCases, probeJson, fieldValues, cutPoints, randomFlips, checkCase } = require('./helpers/hostile');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-malformed-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const images = writeSmallImages(dir);

const roundUp = (v, p) => Math.ceil(v / p) * p;
const MAX32 = 0xffffffffn;

/** The section layout of a minidump, from its header (as the format doc describes it). */
function minidumpLayout(buf, base, arch) {
  const v = buf.readUInt32LE(base + 24);
  const f = {
    msgbufsize: buf.readUInt32LE(base + 28),
    bitmapsize: buf.readUInt32LE(base + 32),
    pmapsize: buf.readUInt32LE(base + 36),
    dumpavailsize: arch === 'amd64' ? (v === 3 ? buf.readUInt32LE(base + 64) : 0) : v >= 2 ? buf.readUInt32LE(base + 72) : 0,
  };
  const l = { version: v, ...f };
  l.msgbuf = base + 4096;
  l.dumpavail = l.msgbuf + roundUp(f.msgbufsize, 4096);
  l.bitmap = l.dumpavail + roundUp(f.dumpavailsize, 4096);
  l.pmap = l.bitmap + roundUp(f.bitmapsize, 4096);
  l.data = l.pmap + roundUp(f.pmapsize, 4096);
  return l;
}

/** Does a layout with these sizes fit in a payload of `size` bytes (else BAD_FORMAT)? */
function sizesFit(sizes, size) {
  let off = 4096;
  for (const k of ['msgbufsize', 'dumpavailsize', 'bitmapsize', 'pmapsize']) {
    if (off + sizes[k] > size) return false;
    off += roundUp(sizes[k], 4096);
  }
  return true;
}

function minidumpCases(img, buf) {
  const arch = img.format === 'minidump-amd64' ? 'amd64' : 'arm64';
  const base = img.name.endsWith('-kdh') ? 512 : 0;
  const payload = buf.length - base;
  const l = minidumpLayout(buf, base, arch);
  const cases = [];
  const add = (id, edits, expect) => cases.push({ id, edits, expect });
  const kmap = img.probes.map((p) => p.va < (arch === 'amd64' ? 0xffff800000000000n : 0xffff000000000000n + (1n << 40n)));
  // Kernel-map probes come first in small-images (then the direct-map copies).
  const dmapSame = img.probes.map((p, i) => i >= img.probes.length / 2);

  add('intact', [], { open: 'ok', reads: ['same'], phys: ['same'] });
  for (const cut of cutPoints(buf.length, 512, [base, base + 8, base + 4096, l.dumpavail, l.bitmap, l.pmap, l.data])) {
    let open;
    if (cut === 0) open = 'BAD_FORMAT';
    else if (base && cut < 512) open = 'UNSUPPORTED';
    else if (cut - base < 8) open = base && cut === 512 ? 'BAD_FORMAT' : 'UNSUPPORTED';
    else if (cut < l.data) open = 'BAD_FORMAT';
    else open = 'ok';
    add(`cut-${cut}`, [{ truncate: cut }], { open, reads: ['same', 'TRUNCATED'], phys: ['same', 'TRUNCATED'], cut });
  }
  const fields = arch === 'amd64'
    ? [['version', 24, 4], ['msgbufsize', 28, 4], ['bitmapsize', 32, 4], ['pmapsize', 36, 4], ['kernbase', 40, 8], ['dmapbase', 48, 8], ['dmapend', 56, 8], ...(l.version === 3 ? [['dumpavailsize', 64, 4]] : [])]
    : [['version', 24, 4], ['msgbufsize', 28, 4], ['bitmapsize', 32, 4], ['pmapsize', 36, 4], ['kernbase', 40, 8], ['dmapphys', 48, 8], ['dmapbase', 56, 8], ['dmapend', 64, 8], ...(l.version >= 2 ? [['dumpavailsize', 72, 4]] : []), ...(l.version === 3 ? [['flags', 76, 4]] : [])];
  for (const [name, off, width] of fields) {
    const original = width === 8 ? buf.readBigUInt64LE(base + off) : BigInt(buf.readUInt32LE(base + off));
    fieldValues(width, original, off).forEach(({ value, v }, i) => {
      let expect = {};
      if (name === 'version') {
        expect = v >= 1n && v <= 3n ? {} : { open: 'UNSUPPORTED' };
      } else if (name.endsWith('size')) {
        const sizes = { msgbufsize: l.msgbufsize, dumpavailsize: l.dumpavailsize, bitmapsize: l.bitmapsize, pmapsize: l.pmapsize, [name]: Number(v) };
        if (name === 'bitmapsize' && v === 0n) expect = { open: 'BAD_FORMAT' };
        else if (!sizesFit(sizes, payload)) expect = { open: 'BAD_FORMAT' };
        else expect = { open: ['ok', 'BAD_FORMAT'] };
      } else if (name === 'flags') {
        const ps = v & 3n;
        expect = ps >= 2n ? { open: 'UNSUPPORTED' } : ps === 0n ? { open: 'ok', reads: ['same'], phys: ['same'] } : {};
      } else {
        expect = { open: 'ok' }; // addresses are not validated; reads may go anywhere in the file
      }
      add(`${name}=${value}#${i}`, [{ at: base + off, width, value }], expect);
    });
  }
  // The magic: gone entirely (no probe accepts) or naming the other architecture.
  add('magic-zero', [{ at: base, fill: 0, len: 24 }], { open: 'UNSUPPORTED' });
  add('magic-other-arch', [{ at: base + 17, bytes: Buffer.from(arch === 'amd64' ? 'arm64' : 'amd64').toString('hex') }], { open: 'BAD_FORMAT' });
  // Bitmaps: no page dumped; every page claimed (past the end of the file).
  add('bitmap-empty', [{ at: l.bitmap, fill: 0, len: l.bitmapsize }], { open: 'BAD_FORMAT' });
  add('bitmap-full', [{ at: l.bitmap, fill: 0xff, len: l.bitmapsize }], { open: 'ok' });
  // Page tables: all invalid, all pointing at a frame far outside the dump, all bytes set.
  const farEntry = arch === 'amd64' ? 0x000ffffffffff000n | 1n : 0x0000fffffffff000n | 3n;
  const far = Buffer.alloc(l.pmapsize);
  for (let o = 0; o + 8 <= far.length; o += 8) far.writeBigUInt64LE(farEntry, o);
  const kmapFault = img.probes.map((_, i) => (dmapSame[i] ? 'same' : 'FAULT'));
  add('pmap-zero', [{ at: l.pmap, fill: 0, len: l.pmapsize }], { open: 'ok', readsExact: kmapFault, phys: ['same'] });
  add('pmap-far', [{ at: l.pmap, bytes: far.toString('hex') }], { open: 'ok', readsExact: kmapFault, phys: ['same'] });
  add('pmap-ones', [{ at: l.pmap, fill: 0xff, len: l.pmapsize }], { open: 'ok', phys: ['same'] });
  if (l.dumpavailsize) {
    const da = (pairs) => {
      const b = Buffer.alloc(l.dumpavailsize);
      pairs.forEach(([lo, hi], i) => {
        b.writeBigUInt64LE(lo, 16 * i);
        b.writeBigUInt64LE(hi, 16 * i + 8);
      });
      return [{ at: l.dumpavail, bytes: b.toString('hex') }];
    };
    const first = [buf.readBigUInt64LE(l.dumpavail), buf.readBigUInt64LE(l.dumpavail + 8)];
    add('dumpavail-empty', da([]), { open: 'BAD_FORMAT' });
    add('dumpavail-backwards', da([[first[1], first[0]]]), { open: 'BAD_FORMAT' });
    add('dumpavail-overlap', da([first, first]), { open: 'BAD_FORMAT' });
    add('dumpavail-everything', da([[0n, 0xfffffffffffff000n]]), { open: 'ok' });
    add('dumpavail-many', da(Array.from({ length: Math.floor(l.dumpavailsize / 16) }, (_, i) => [BigInt(i) * 0x100000000n, BigInt(i) * 0x100000000n + 0x1000n])), { open: ['ok', 'BAD_FORMAT'] });
  }
  if (base) add('kdh-magic', [{ at: 0, bytes: Buffer.from('X').toString('hex') }], { open: 'UNSUPPORTED' });
  for (const c of randomFlips(60, base, base + 80, 1)) add(c.id, c.edits, {});
  for (const c of randomFlips(40, base, buf.length, 2)) add(c.id, c.edits, {});
  void kmap;
  return cases;
}

function elfCoreCases(img, buf) {
  const is64 = buf[4] === 2;
  const big = buf[5] === 2;
  const rd = (off, w) => (w === 8 ? (big ? buf.readBigUInt64BE(off) : buf.readBigUInt64LE(off)) : w === 4 ? BigInt(big ? buf.readUInt32BE(off) : buf.readUInt32LE(off)) : BigInt(big ? buf.readUInt16BE(off) : buf.readUInt16LE(off)));
  const E = is64
    ? { phoff: [32, 8], shoff: [40, 8], phentsize: [54, 2], phnum: [56, 2], shentsize: [58, 2], shnum: [60, 2], shstrndx: [62, 2] }
    : { phoff: [28, 4], shoff: [32, 4], phentsize: [42, 2], phnum: [44, 2], shentsize: [46, 2], shnum: [48, 2], shstrndx: [50, 2] };
  const P = is64
    ? { type: [0, 4], flags: [4, 4], offset: [8, 8], vaddr: [16, 8], paddr: [24, 8], filesz: [32, 8], memsz: [40, 8] }
    : { type: [0, 4], offset: [4, 4], vaddr: [8, 4], paddr: [12, 4], filesz: [16, 4], memsz: [20, 4], flags: [24, 4] };
  const phoff = Number(rd(...E.phoff));
  const phnum = Number(rd(...E.phnum));
  const phent = is64 ? 56 : 32;
  const phEnd = phoff + phnum * phent;
  const full = img.format === 'fulldump-amd64';
  const cases = [];
  const add = (id, edits, expect) => cases.push({ id, edits, expect });
  const same = { open: 'ok', reads: ['same'], phys: ['same', 'none'] };

  add('intact', [], same);
  for (const cut of cutPoints(buf.length, 256, [phoff, phEnd])) {
    let open;
    if (cut === 0) open = 'BAD_FORMAT';
    else if (cut < 18) open = 'UNSUPPORTED';
    else if (cut < phEnd) open = 'BAD_FORMAT';
    else open = full ? ['ok', 'BAD_FORMAT'] : 'ok';
    add(`cut-${cut}`, [{ truncate: cut }], { open, reads: ['same', 'TRUNCATED'], phys: ['same', 'TRUNCATED', 'none'] });
  }
  add('class-0', [{ at: 4, bytes: '00' }], { open: 'BAD_FORMAT' });
  add('class-3', [{ at: 4, bytes: '03' }], { open: 'BAD_FORMAT' });
  add('data-0', [{ at: 5, bytes: '00' }], { open: big ? 'UNSUPPORTED' : 'BAD_FORMAT' });
  add('data-3', [{ at: 5, bytes: '03' }], { open: big ? 'UNSUPPORTED' : 'BAD_FORMAT' });
  add('osabi-255', [{ at: 7, bytes: 'ff' }], {});
  add('osabi-0', [{ at: 7, bytes: '00' }], {});
  add('type-0', [{ at: 16, width: 2, value: '0x0' }], { open: 'UNSUPPORTED' });
  add('type-exec', [{ at: 16, width: 2, value: '0x2' }], { open: 'UNSUPPORTED' });
  add('machine-0', [{ at: 18, width: 2, value: '0x0' }], full ? { open: 'BAD_FORMAT' } : same);
  for (const [name, [off, width]] of Object.entries(E)) {
    fieldValues(width, rd(off, width), off).forEach(({ value, v }, i) => {
      let expect = {};
      // The section table is never needed to read a core.
      if (name.startsWith('sh')) expect = same;
      else if (name === 'phoff' && v === 0n) expect = full ? { open: 'BAD_FORMAT' } : { open: 'ok', reads: ['FAULT'] };
      else if (name === 'phnum' && v === 0n) expect = full ? { open: 'BAD_FORMAT' } : { open: 'ok', reads: ['FAULT'] };
      else if (name === 'phentsize' && v < BigInt(phent)) expect = { open: 'BAD_FORMAT' };
      else if (name === 'phnum' && v === 0xffffn) expect = {}; // PN_XNUM: the count is in section 0
      else if ((name === 'phoff' || name === 'phnum' || name === 'phentsize') && v > BigInt(buf.length)) expect = { open: 'BAD_FORMAT' };
      add(`${name}=${value}#${i}`, [{ at: off, width, value }], expect);
    });
  }
  for (let s = 0; s < phnum; s++) {
    const at = phoff + s * phent;
    for (const [name, [off, width]] of Object.entries(P)) {
      const original = rd(at + off, width);
      fieldValues(width, original, at + off).forEach(({ value, v }, i) => {
        let expect = {};
        if (name === 'flags') expect = same;
        else if (name === 'paddr' && !full) expect = same;
        else if (name === 'vaddr' && full) expect = same;
        else if (name === 'filesz' && v > rd(at + P.memsz[0], width)) expect = { open: 'BAD_FORMAT' };
        add(`ph${s}.${name}=${value}#${i}`, [{ at: at + off, width, value }], expect);
      });
    }
  }
  if (phnum >= 2) {
    // Segments at the same address: a vcore keeps the first; a full dump's RAM cannot overlap.
    const field = full ? P.paddr : P.vaddr;
    const first = rd(phoff + field[0], field[1]);
    add('overlap', [{ at: phoff + phent + field[0], width: field[1], value: '0x' + first.toString(16) }], full ? { open: 'BAD_FORMAT' } : { open: 'ok' });
  }
  if (!full && is64) {
    // A segment that wraps past the top of the address space.
    add('wrap', [{ at: phoff + P.vaddr[0], width: 8, value: '0xfffffffffffff000' }, { at: phoff + P.memsz[0], width: 8, value: '0x2000' }, { at: phoff + P.filesz[0], width: 8, value: '0x1000' }], { open: 'BAD_FORMAT' });
  }
  // Extended numbering: phnum 0xffff takes the count from section 0, here a huge one.
  if (is64) {
    const sh0 = Buffer.alloc(64);
    sh0.writeUInt32LE(0x7fffffff, 44); // sh_info = the real phnum
    add('pn-xnum', [{ at: E.phnum[0], width: 2, value: '0xffff' }, { at: E.shoff[0], width: 8, value: '0x' + (buf.length - 64).toString(16) }, { at: buf.length - 64, bytes: sh0.toString('hex') }], { open: 'BAD_FORMAT' });
  }
  for (const c of randomFlips(60, 0, phEnd, 3)) add(c.id, c.edits, {});
  for (const c of randomFlips(30, 0, buf.length, 4)) add(c.id, c.edits, {});
  return cases;
}

for (const img of images) {
  test(`${img.name}: truncated and corrupted copies give a KvmError or the right bytes, in bounded time and memory`, () => {
    const buf = fs.readFileSync(img.core);
    const intact = Kvm.open({ kernel: img.kernel, core: img.core });
    let dataOffset;
    try {
      assert.equal(intact.info.format, img.format);
      dataOffset = intact.info.fields.dataOffset;
    } finally {
      intact.close();
    }
    const cases = img.format.startsWith('minidump') ? minidumpCases(img, buf) : elfCoreCases(img, buf);
    if (dataOffset !== undefined) {
      // The layout this test computes is the one the reader found.
      const base = img.name.endsWith('-kdh') ? 512 : 0;
      assert.equal(BigInt(minidumpLayout(buf, base, img.format === 'minidump-amd64' ? 'amd64' : 'arm64').data), dataOffset);
    }
    const results = runCases(assert, {
      kernel: img.kernel,
      core: img.core,
      target: 'core',
      big: buf[5] === 2 && buf[0] === 0x7f,
      probes: probeJson(img.probes),
      names: ['kernbase', 'KPML4phys', 'version'],
      cases: cases.map(({ id, edits }) => ({ id, edits })),
    });
    let opened = 0;
    for (const c of cases) {
      const r = results.get(c.id);
      checkCase(assert, r, c.expect);
      if (c.expect.readsExact && r.open === 'ok') assert.deepEqual(r.reads, c.expect.readsExact, `case ${c.id}`);
      if (r.open === 'ok') opened++;
    }
    // Truncation: a probe that reads right at one cut reads right at every longer cut.
    const cuts = cases.filter((c) => c.id.startsWith('cut-')).map((c) => results.get(c.id)).filter((r) => r.open === 'ok');
    for (let i = 1; i < cuts.length; i++) {
      cuts[i - 1].reads.forEach((x, j) => {
        if (x === 'same') assert.equal(cuts[i].reads[j], 'same', `${cuts[i].id} probe ${j}`);
      });
    }
    assert.ok(opened > 0 && opened < cases.length, `${opened} of ${cases.length} opened`);
    if (process.env.KVM_TEST_VERBOSE) {
      const tally = {};
      for (const r of results.values()) {
        const k = r.open === 'ok' ? `ok:${[...new Set(r.reads)].sort().join('+')}` : r.open;
        tally[k] = (tally[k] ?? 0) + 1;
      }
      console.log(img.name, cases.length, JSON.stringify(tally));
    }
  });
}
