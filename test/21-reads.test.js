'use strict';
// Reads: typed, batch, partial, C strings; zero fill; faults; argument checking.
const test = require('node:test');
const assert = require('node:assert/strict');
const { Kvm, KvmError } = require('..');
const { syntheticImage } = require('./helpers/synthetic');

const img = syntheticImage();
const kd = Kvm.open({ kernel: img.kernel, core: img.core });
test.after(() => kd.close());

test('p_filesz < p_memsz reads as zeros, and reads span the file/zero boundary', () => {
  assert.ok(kd.read(img.bssVa, 4096).equals(img.bssFile));
  assert.ok(kd.read(img.bssVa + 4096n, 8192).equals(Buffer.alloc(8192)));
  const span = kd.read(img.bssVa + 4000n, 200);
  assert.ok(span.subarray(0, 96).equals(img.bssFile.subarray(4000)));
  assert.ok(span.subarray(96).equals(Buffer.alloc(104)));
  assert.equal(kd.readU64(img.bssVa + 4096n + 8n), 0n);
});

test('a read running off the end of a segment faults at the first unmapped byte', () => {
  const end = img.dataVa + 8192n;
  assert.throws(() => kd.read(end - 4n, 8), (e) => e instanceof KvmError && e.code === 'FAULT' && e.address === end);
  assert.throws(() => kd.readU64(end - 4n), (e) => e.code === 'FAULT' && e.address === end);
  assert.throws(() => kd.readU8(0n), (e) => e.code === 'FAULT' && e.address === 0n && /0x0 is not in any segment/.test(e.message));
});

test('typed reads decode little-endian values and sign', () => {
  const off = 0x40;
  const va = img.dataVa + BigInt(off);
  const b = img.data;
  assert.equal(kd.readU8(va), b[off]);
  assert.equal(kd.readS8(va), b.readInt8(off));
  assert.equal(kd.readU16(va), b.readUInt16LE(off));
  assert.equal(kd.readS16(va), b.readInt16LE(off));
  assert.equal(kd.readU32(va), b.readUInt32LE(off));
  assert.equal(kd.readS32(va), b.readInt32LE(off));
  assert.equal(kd.readU64(va), b.readBigUInt64LE(off));
  assert.equal(kd.readS64(va), b.readBigInt64LE(off));
  // Unaligned and page-crossing values.
  const cross = img.dataVa + 4093n;
  assert.equal(kd.readU64(cross), b.readBigUInt64LE(4093));
  assert.equal(kd.readU32(img.dataVa + 4095n), b.readUInt32LE(4095));
});

test('number addresses are a TypeError; out-of-range bigints a RangeError', () => {
  for (const f of ['read', 'readU8', 'readU16', 'readU32', 'readU64', 'readS64', 'readPointer', 'readCString', 'symbolize']) {
    assert.throws(() => kd[f](0x1000, 4), TypeError, f);
  }
  assert.throws(() => kd.readU64(-1n), RangeError);
  assert.throws(() => kd.readU64(1n << 64n), RangeError);
  assert.throws(() => kd.read(img.dataVa, -1), RangeError);
  assert.throws(() => kd.readMany([img.dataVa], 8), TypeError);
});

test('readMany returns element i at i*size, and throws for the first unreadable element', () => {
  const offs = [0, 8, 4093, 100, 8184];
  const addrs = BigUint64Array.from(offs.map((o) => img.dataVa + BigInt(o)));
  const out = kd.readMany(addrs, 8);
  assert.equal(out.length, 40);
  offs.forEach((o, i) => assert.ok(out.subarray(i * 8, i * 8 + 8).equals(img.data.subarray(o, o + 8))));
  const target = new Uint8Array(16);
  kd.readMany(BigUint64Array.from([img.dataVa, img.dataVa + 8n]), 8, target);
  assert.deepEqual(Buffer.from(target), img.data.subarray(0, 16));
  assert.throws(() => kd.readMany(BigUint64Array.from([img.dataVa, 0x10n]), 8), (e) => e.code === 'FAULT' && e.address === 0x10n);
  assert.throws(() => kd.readMany(BigUint64Array.from([img.dataVa]), 8, new Uint8Array(4)), RangeError);
});

test('readPartial copies what it can and says where it stopped', () => {
  const buf = Buffer.alloc(32);
  const end = img.dataVa + 8192n;
  const r = kd.readPartial(end - 10n, buf);
  assert.equal(r.bytes, 10);
  assert.equal(r.fault.code, 'FAULT');
  assert.equal(r.fault.address, end);
  assert.ok(buf.subarray(0, 10).equals(img.data.subarray(8182)));
  assert.deepEqual(kd.readPartial(img.dataVa, buf), { bytes: 32, fault: null });
});

test('readCString stops at NUL or max, and faults only before them', () => {
  assert.equal(kd.readCString(kd.symbol('version').value), 'FreeBSD 14.1-RELEASE synthetic');
  assert.equal(kd.readCString(kd.symbol('version').value, 7), 'FreeBSD');
  // A string that runs into an unmapped page before any NUL faults at that page.
  const tailEnd = img.tailVa + 4096n;
  const lastNul = img.tail.lastIndexOf(0);
  const start = img.tailVa + BigInt(lastNul + 1);
  assert.throws(() => kd.readCString(start, 100000), (e) => e.code === 'FAULT' && e.address === tailEnd);
  assert.throws(() => kd.readCString(0x10n), (e) => e.code === 'FAULT' && e.address === 0x10n);
});

test('readInto fills a caller buffer', () => {
  const buf = new Uint8Array(64);
  assert.equal(kd.readInto(img.dataVa, buf), 64);
  assert.deepEqual(Buffer.from(buf), img.data.subarray(0, 64));
  assert.equal(kd.readInto(img.dataVa, buf, 8), 8);
  assert.throws(() => kd.readInto(img.dataVa, buf, 65), RangeError);
});
