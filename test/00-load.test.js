'use strict';
// The package loads through require and import, and exposes its public API.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const { execFileSync } = require('child_process');

test('require exposes the API', () => {
  const lib = require('..');
  for (const name of ['Kvm', 'KvmError', 'kvm_open', 'kvm_openfiles', 'kvm_open2', 'kvm_close', 'kvm_geterr',
    'kvm_nlist', 'kvm_nlist2', 'kvm_read', 'kvm_read2', 'kvm_write', 'kvm_native', 'kvm_kerndisp', 'listFormats']) {
    assert.equal(typeof lib[name], 'function', name);
  }
  assert.equal(lib.O_RDONLY, 0);
  assert.equal(lib.N_TEXT, 4);
  assert.equal(lib.N_DATA, 6);
  assert.equal(lib.N_BSS, 8);
  assert.ok(lib.listFormats().some((f) => f.name === 'elf-vcore'));
});

test('import works from an ES module', () => {
  const root = path.join(__dirname, '..');
  const out = execFileSync(process.execPath, ['--input-type=module', '-e',
    "import { Kvm, kvm_openfiles, N_DATA } from 'libkvm'; import lib from 'libkvm'; " +
    "console.log(typeof Kvm, typeof kvm_openfiles, N_DATA, typeof lib.Kvm);"], { cwd: root, encoding: 'utf8',
    env: { ...process.env, NODE_PATH: '' } });
  assert.equal(out.trim(), 'function function 6 function');
});

test('type declarations ship with the package', () => {
  const pkg = require('../package.json');
  assert.equal(pkg.types, 'dist/index.d.ts');
  const dts = require('fs').readFileSync(path.join(__dirname, '..', 'dist', 'index.d.ts'), 'utf8');
  assert.match(dts, /Kvm/);
});
