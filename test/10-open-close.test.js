'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { Kvm, KvmError } = require('..');
const { syntheticImage } = require('./helpers/synthetic');
const { scratch } = require('./helpers/tmp');

const img = syntheticImage();

test('open reports format, arch, pointer size, byte order and the version string', () => {
  const kd = Kvm.open({ kernel: img.kernel, core: img.core });
  assert.equal(kd.info.format, 'elf-vcore');
  assert.equal(kd.info.arch, 'amd64');
  assert.equal(kd.info.pointerSize, 8);
  assert.equal(kd.info.byteOrder, 'little');
  assert.equal(kd.info.version, 'FreeBSD 14.1-RELEASE synthetic');
  assert.equal(kd.info.symbolSource, '.symtab');
  assert.equal(kd.info.symbolCount, 9);
  kd.close();
});

test('close is idempotent and every later call throws CLOSED', () => {
  const kd = Kvm.open({ kernel: img.kernel, core: img.core });
  kd.close();
  kd.close();
  assert.equal(kd.closed, true);
  const calls = [
    () => kd.read(img.dataVa, 4), () => kd.readU8(img.dataVa), () => kd.readU64(img.dataVa),
    () => kd.readPointer(img.dataVa), () => kd.readCString(img.dataVa), () => kd.nlist(['counter']),
    () => kd.symbol('counter'), () => kd.symbolize(img.dataVa), () => kd.readMany(new BigUint64Array([img.dataVa]), 4),
    () => kd.readInto(img.dataVa, Buffer.alloc(4)),
  ];
  for (const call of calls) {
    assert.throws(call, (e) => e instanceof KvmError && e.code === 'CLOSED' && e.message === 'the kvm handle is closed');
  }
});

test('negative open cases', () => {
  const dir = scratch('open');
  const empty = path.join(dir, 'empty');
  const text = path.join(dir, 'text');
  fs.writeFileSync(empty, '');
  fs.writeFileSync(text, 'this is not a core file\n'.repeat(100));
  const missing = path.join(dir, 'missing');
  const cases = [
    [{ kernel: missing, core: img.core }, 'OS', /cannot open .*missing: No such file/],
    [{ kernel: img.kernel, core: missing }, 'OS', /cannot open .*missing: No such file/],
    [{ kernel: img.kernel, core: empty }, 'BAD_FORMAT', /core .*empty is an empty file/],
    [{ kernel: img.kernel, core: text }, 'UNSUPPORTED', /is not a format we read for a amd64 kernel \(64-bit, first bytes "this is "\)/],
    [{ kernel: text, core: img.core }, 'BAD_FORMAT', /kernel .*text is not an ELF file/],
    [{ kernel: empty, core: img.core }, 'BAD_FORMAT', /kernel .*empty is an empty file/],
  ];
  for (const [opts, code, re] of cases) {
    assert.throws(() => Kvm.open(opts), (e) => {
      assert.ok(e instanceof KvmError, e.message);
      assert.equal(e.code, code, e.message);
      assert.match(e.message, re);
      return true;
    });
  }
});

test('compressed cores get a clear error saying how to decompress them', () => {
  const dir = scratch('compressed');
  const gz = path.join(dir, 'vmcore.0.gz');
  fs.writeFileSync(gz, require('zlib').gzipSync(fs.readFileSync(img.core)));
  assert.throws(() => Kvm.open({ kernel: img.kernel, core: gz }), (e) => e.code === 'UNSUPPORTED' && /gzip-compressed; decompress it first \(gunzip -k /.test(e.message));
  const zst = path.join(dir, 'vmcore.0.zst');
  fs.writeFileSync(zst, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]));
  assert.throws(() => Kvm.open({ kernel: img.kernel, core: zst }), (e) => e.code === 'UNSUPPORTED' && /zstd-compressed; decompress it first \(zstd -d /.test(e.message));
});

test('files are opened read-only and never modified', () => {
  const crypto = require('crypto');
  const hash = (f) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
  const before = [hash(img.kernel), hash(img.core)];
  fs.chmodSync(img.core, 0o444);
  const kd = Kvm.open({ kernel: img.kernel, core: img.core });
  kd.read(img.dataVa, 8192);
  kd.close();
  fs.chmodSync(img.core, 0o644);
  assert.deepEqual([hash(img.kernel), hash(img.core)], before);
});

test('a kernel opens alone: symbols work, reads fault, its PT_LOADs are listed', () => {
  const kd = Kvm.open({ kernel: img.kernel });
  assert.equal(kd.info.format, 'none');
  assert.equal(kd.corePath, null);
  assert.equal(kd.symbol('counter').value, img.dataVa + 0x10n);
  assert.throws(() => kd.readU64(img.dataVa), (e) => e.code === 'FAULT' && /no memory image is open/.test(e.message));
  assert.deepEqual(kd.native.kernelSegments(), []);
  kd.close();
});
