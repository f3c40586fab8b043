'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Kvm, KvmError, KVM_ERROR_CODES, isKvmError } = require('..');

test('KvmError carries a code from the closed set and its fields', () => {
  const e = new KvmError('FAULT', 'no page', { address: 0x1000n, path: '/x' });
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'KvmError');
  assert.equal(e.code, 'FAULT');
  assert.equal(e.address, 0x1000n);
  assert.equal(e.path, '/x');
  assert.ok(isKvmError(e, 'FAULT'));
  assert.ok(!isKvmError(e, 'OS'));
  assert.deepEqual([...KVM_ERROR_CODES].sort(), ['BAD_FORMAT', 'CLOSED', 'CORRUPT', 'FAULT', 'NO_CPU', 'NO_SYMBOL',
    'NO_TYPE', 'NO_TYPES', 'NO_VNET', 'OS', 'READ_ONLY', 'TRUNCATED', 'UNSUPPORTED'].sort());
});

test('errors from the addon are KvmError instances with path and errno', () => {
  const missing = path.join(os.tmpdir(), 'libkvm-definitely-missing-kernel');
  assert.throws(() => Kvm.open({ kernel: missing, core: missing }), (e) => {
    assert.ok(e instanceof KvmError);
    assert.equal(e.code, 'OS');
    assert.equal(e.path, missing);
    assert.equal(e.errno, 2);
    assert.match(e.message, /cannot open .*libkvm-definitely-missing-kernel: No such file or directory/);
    return true;
  });
});

test('misuse is a TypeError, not a KvmError', () => {
  assert.throws(() => Kvm.open(), TypeError);
  assert.throws(() => Kvm.open({ kernel: 1, core: 'x' }), TypeError);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'libkvm-err-'));
  assert.throws(() => Kvm.open({ kernel: dir, core: dir }), (e) => e.code === 'OS' && /Is a directory/.test(e.message));
});
