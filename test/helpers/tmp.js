'use strict';
// Per-user scratch directories for test fixtures, and a content-hash cache so that a fixture
// compiled by one test file is reused by the others in the same run.
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { compilerEnv } = require('../../dist/sim/kernel-build.js');

const root = path.join(os.tmpdir(), `libkvm-test-${process.getuid ? process.getuid() : 'u'}`);

function scratch(name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `libkvm-${name}-`));
  return dir;
}

/** A directory keyed by the hash of `key`; `build(dir)` runs once to fill it (atomic rename). */
function cached(name, key, build) {
  const hash = crypto.createHash('sha256').update(key).digest('hex').slice(0, 16);
  const dir = path.join(root, `${name}-${hash}`);
  if (fs.existsSync(path.join(dir, '.done'))) return dir;
  fs.mkdirSync(root, { recursive: true });
  const work = fs.mkdtempSync(path.join(root, `${name}-tmp-`));
  build(work);
  fs.writeFileSync(path.join(work, '.done'), '');
  try {
    fs.renameSync(work, dir);
  } catch (e) {
    // Another test process won the race; use its copy.
    fs.rmSync(work, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, '.done'))) throw e;
  }
  return dir;
}

// Environment for external tools (gcc, gdb, ...): the simulator's, without the sanitizer runtime
// a sanitizer test run preloads into node (gdb hangs under it).
const toolEnv = compilerEnv;

module.exports = { scratch, cached, root, toolEnv };
