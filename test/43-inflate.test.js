'use strict';
// Our DEFLATE/zlib decoder (native/inflate.cc) against Node's zlib as the encoder: every block
// type and strategy round-trips, and bad streams are refused with BAD_FORMAT, never a crash.
const test = require('node:test');
const assert = require('node:assert/strict');
const zlib = require('node:zlib');
const { addon } = require('../dist/binding');
const { KvmError } = require('..');

const inflate = (buf, size) => addon.NativeDwarf.inflate(buf, size);

// Deterministic pseudo-random bytes (xorshift32).
function prng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function randomBytes(n, seed) {
  const r = prng(seed);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = r() & 0xff;
  return b;
}

function textLike(n, seed) {
  const r = prng(seed);
  const words = ['struct', 'ifnet', 'if_addrhead', 'tqh_first', 'vnet', 'DW_TAG_member', '0x', 'int', ' ', '\n'];
  const parts = [];
  let len = 0;
  while (len < n) {
    const w = words[r() % words.length];
    parts.push(w);
    len += w.length;
  }
  return Buffer.from(parts.join('')).subarray(0, n);
}

const inputs = {
  empty: Buffer.alloc(0),
  one: Buffer.from('x'),
  random64k: randomBytes(65536, 7),
  text300k: textLike(300000, 3),
  zeros1m: Buffer.alloc(1 << 20),
  // Short repeating pattern: matches whose distance is shorter than their length.
  pattern: Buffer.from('abc'.repeat(50000)),
  mixed: Buffer.concat([textLike(50000, 9), randomBytes(20000, 11), Buffer.alloc(70000, 0x41)]),
};

const settings = {
  'level 0 (stored blocks)': { level: 0 },
  'level 1': { level: 1 },
  'level 9': { level: 9 },
  'fixed Huffman': { strategy: zlib.constants.Z_FIXED },
  'Huffman only': { strategy: zlib.constants.Z_HUFFMAN_ONLY },
  'run-length': { strategy: zlib.constants.Z_RLE },
  'small window': { windowBits: 9, level: 9 },
};

for (const [sname, opts] of Object.entries(settings)) {
  test(`inflates zlib streams: ${sname}`, () => {
    for (const [iname, data] of Object.entries(inputs)) {
      const z = zlib.deflateSync(data, opts);
      const out = inflate(z, data.length);
      assert.equal(out.length, data.length, iname);
      assert.ok(out.equals(data), `${iname} round-trips`);
    }
  });
}

function adler32(buf) {
  let a = 1;
  let b = 0;
  for (const byte of buf) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

test('streams of many blocks (flushed pieces, empty stored blocks between) inflate', () => {
  const data = Buffer.concat([textLike(60000, 5), randomBytes(3000, 6), Buffer.alloc(9000, 7)]);
  const pieces = [];
  for (let i = 0; i < data.length; i += 7000) {
    const last = i + 7000 >= data.length;
    const chunk = data.subarray(i, i + 7000);
    const level = [0, 1, 9][(i / 7000) % 3];
    pieces.push(zlib.deflateRawSync(chunk, { level, finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_FULL_FLUSH }));
  }
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(adler32(data));
  const stream = Buffer.concat([Buffer.from([0x78, 0x9c]), ...pieces, trailer]);
  assert.ok(inflate(stream, data.length).equals(data));
});

function badFormat(fn, pattern) {
  assert.throws(fn, (e) => e instanceof KvmError && e.code === 'BAD_FORMAT' && pattern.test(e.message));
}

test('a stream that inflates to more or fewer bytes than declared is refused', () => {
  const data = textLike(10000, 1);
  const z = zlib.deflateSync(data);
  badFormat(() => inflate(z, data.length - 1), /more than the expected 0x270f bytes/);
  badFormat(() => inflate(z, data.length + 1), /inflates to 0x2710 bytes, expected 0x2711/);
});

test('a declared size beyond what DEFLATE can produce is refused before allocating', () => {
  const z = zlib.deflateSync(Buffer.alloc(100));
  badFormat(() => inflate(z, 1e12), /implausible/);
  badFormat(() => inflate(z, 50 * 1024 * 1024), /implausible/);
});

test('bad zlib headers, checksums and truncated streams are refused', () => {
  const data = textLike(5000, 2);
  const z = zlib.deflateSync(data);
  const badHeader = Buffer.from(z);
  badHeader[0] = 0x79;
  badFormat(() => inflate(badHeader, data.length), /bad zlib header/);
  const badSum = Buffer.from(z);
  badSum[badSum.length - 1] ^= 1;
  badFormat(() => inflate(badSum, data.length), /Adler-32/);
  badFormat(() => inflate(z.subarray(0, z.length - 4), data.length), /trailer/);
  badFormat(() => inflate(z.subarray(0, z.length >> 1), data.length), /past end of input|invalid/);
  badFormat(() => inflate(Buffer.from([0x78, 0x9c]), 0), /too short/);
  // Block type 3 is reserved.
  badFormat(() => inflate(Buffer.from([0x78, 0x9c, 0x07, 0, 0, 0, 0, 1]), 1), /reserved block type/);
  // A stored block whose length and complement disagree.
  badFormat(() => inflate(Buffer.from([0x78, 0x9c, 0x01, 0x05, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5]), 5), /complement/);
});

test('random corruption of real streams never crashes (KvmError or the right bytes)', () => {
  const data = textLike(20000, 4);
  const z = zlib.deflateSync(data, { level: 9 });
  const r = prng(1234);
  let refused = 0;
  for (let i = 0; i < 400; i++) {
    const bad = Buffer.from(z);
    const flips = 1 + (r() % 4);
    for (let k = 0; k < flips; k++) bad[2 + (r() % (bad.length - 2))] ^= 1 << (r() % 8);
    try {
      const out = inflate(bad, data.length);
      assert.equal(out.length, data.length);
    } catch (e) {
      assert.ok(e instanceof KvmError, `iteration ${i}: ${e}`);
      assert.equal(e.code, 'BAD_FORMAT');
      refused++;
    }
  }
  assert.ok(refused > 350, `most corruptions are caught (${refused}/400)`);
});

test('random bytes after a valid header never crash', () => {
  const r = prng(99);
  for (let i = 0; i < 300; i++) {
    const body = randomBytes(1 + (r() % 200), r());
    const buf = Buffer.concat([Buffer.from([0x78, 0x9c]), body]);
    try {
      inflate(buf, r() % 5000);
    } catch (e) {
      assert.ok(e instanceof KvmError, String(e));
    }
  }
});
