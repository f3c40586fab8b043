'use strict';
// libkvm's C API adapted to JS: return conventions and messages.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const lib = require('..');
const { syntheticImage } = require('./helpers/synthetic');
const { EM } = require('./helpers/elf-writer');

const img = syntheticImage();

function captureStderr(fn) {
  const orig = process.stderr.write;
  let text = '';
  process.stderr.write = (chunk) => { text += chunk; return true; };
  try {
    return [fn(), text];
  } finally {
    process.stderr.write = orig;
  }
}

test('kvm_openfiles returns a handle, or null with the message in errbuf', () => {
  const errbuf = { message: '' };
  const kd = lib.kvm_openfiles(img.kernel, img.core, null, lib.O_RDONLY, errbuf);
  assert.ok(kd);
  assert.equal(errbuf.message, '');
  assert.equal(lib.kvm_close(kd), 0);
  const bad = lib.kvm_openfiles(img.kernel, path.join(img.dir, 'nope'), null, lib.O_RDONLY, errbuf);
  assert.equal(bad, null);
  assert.match(errbuf.message, /cannot open .*nope: No such file or directory/);
  assert.equal(lib.kvm_openfiles(img.kernel, img.core, null, 0x100, errbuf), null);
  assert.equal(errbuf.message, 'bad flags arg');
  assert.equal(lib.kvm_openfiles(img.kernel, null, null, lib.O_RDONLY, errbuf), null);
  assert.match(errbuf.message, /live kernels are not supported/);
});

test('kvm_open prints failures to stderr with the errstr prefix', () => {
  const [kd, err] = captureStderr(() => lib.kvm_open(img.kernel, path.join(img.dir, 'nope'), null, lib.O_RDONLY, 'netstat'));
  assert.equal(kd, null);
  assert.match(err, /^netstat: cannot open .*nope: No such file or directory\n$/);
  const [quiet, none] = captureStderr(() => lib.kvm_open(img.kernel, path.join(img.dir, 'nope'), null, lib.O_RDONLY, null));
  assert.equal(quiet, null);
  assert.equal(none, '');
  // Later errors of a handle opened with a prefix are printed too.
  const h = lib.kvm_open(img.kernel, img.core, null, lib.O_RDONLY, 'prog');
  const [n, text] = captureStderr(() => lib.kvm_read(h, 0x10n, Buffer.alloc(4), 4));
  assert.equal(n, -1);
  assert.equal(text, 'prog: invalid address (0x10)\n');
  lib.kvm_close(h);
});

test('kvm_nlist fills n_value/n_type, stops at an empty name, returns the miss count', () => {
  const kd = lib.kvm_openfiles(img.kernel, img.core, null, lib.O_RDONLY, null);
  const nl = [{ n_name: '_counter' }, { n_name: 'zeroes' }, { n_name: '_missing' }, { n_name: '' }, { n_name: 'version' }];
  assert.equal(lib.kvm_nlist(kd, nl), 1);
  assert.equal(nl[0].n_value, img.dataVa + 0x10n);
  assert.equal(nl[0].n_type, lib.N_DATA | lib.N_EXT);
  assert.equal(nl[1].n_type, lib.N_BSS | lib.N_EXT);
  assert.equal(nl[2].n_type, lib.N_UNDF);
  assert.equal(nl[2].n_value, 0n);
  assert.equal(nl[4].n_value, undefined, 'entries after the terminator are untouched');
  assert.equal(lib.kvm_nlist2(kd, [{ n_name: 'counter' }, { n_name: 'version' }]), 0);
  lib.kvm_close(kd);
});

test('kvm_nlist refuses a non-native core; kvm_nlist2 works', () => {
  const big = syntheticImage({ is64: true, big: true, machine: EM.PPC64 });
  const kd = lib.kvm_openfiles(big.kernel, big.core, null, lib.O_RDONLY, null);
  assert.equal(lib.kvm_native(kd), 0);
  const nl = [{ n_name: 'counter' }];
  assert.equal(lib.kvm_nlist(kd, nl), -1);
  assert.equal(lib.kvm_geterr(kd), 'kvm_nlist of non-native vmcore');
  assert.equal(lib.kvm_nlist2(kd, nl), 0);
  assert.equal(nl[0].n_value, big.dataVa + 0x10n);
  lib.kvm_close(kd);
});

test('kvm_open2 uses the resolver for plain names', () => {
  const seen = [];
  const kd = lib.kvm_open2(img.kernel, img.core, lib.O_RDONLY, null, (name) => {
    seen.push(name);
    return name === '_counter' ? 0x1234n : null;
  });
  const nl = [{ n_name: '_counter' }, { n_name: 'version' }];
  assert.equal(lib.kvm_nlist2(kd, nl), 1);
  assert.deepEqual(seen, ['_counter', 'version']);
  assert.equal(nl[0].n_value, 0x1234n);
  assert.equal(nl[0].n_type, lib.N_DATA | lib.N_EXT);
  assert.equal(nl[1].n_type, lib.N_UNDF);
  lib.kvm_close(kd);
});

test('kvm_read/kvm_read2: n, or -1 when any page is missing; kvm_write: -1 on dumps', () => {
  const kd = lib.kvm_openfiles(img.kernel, img.core, null, lib.O_RDONLY, null);
  const buf = Buffer.alloc(64);
  assert.equal(lib.kvm_read(kd, img.dataVa, buf, 64), 64);
  assert.ok(buf.equals(img.data.subarray(0, 64)));
  assert.equal(lib.kvm_read2(kd, img.dataVa + 8192n - 16n, buf, 64), -1, 'no partial result');
  assert.equal(lib.kvm_geterr(kd), `invalid address (0x${(img.dataVa + 8192n).toString(16)})`);
  assert.throws(() => lib.kvm_read(kd, 0x1000, buf, 4), TypeError);
  assert.equal(lib.kvm_write(kd, img.dataVa, buf, 4), -1);
  assert.equal(lib.kvm_geterr(kd), 'kvm_write not implemented for dead kernels');
  assert.equal(lib.kvm_native(kd), 1);
  assert.equal(lib.kvm_kerndisp(kd), 0n);
  lib.kvm_close(kd);
});

test('kvm_close and kvm_geterr on a null handle', () => {
  assert.equal(lib.kvm_close(null), -1);
  assert.equal(lib.kvm_geterr(null), '');
});
