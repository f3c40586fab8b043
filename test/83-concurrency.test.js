'use strict';
// Concurrency: the addon loads in worker_threads (it is context-aware: per-environment data, no
// globals), several workers reading the same dump at once get identical results, workers ended
// mid-read do not take the process down, and close() while work on a handle is still pending
// (page walks, list walks, typed objects, libkvm handles) gives CLOSED, never a crash.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { Worker } = require('node:worker_threads');

const { Kvm, KvmError } = require('..');
const { readDigest } = require('./helpers/read-digest');
const { simImage } = require('./helpers/sim-image');

const SAMPLE = { kernel: path.join(__dirname, '..', 'sample', 'kernel'), core: path.join(__dirname, '..', 'sample', 'vmcore.0') };
const DIGEST = path.join(__dirname, 'helpers', 'read-digest.js');
const WORKERS = 4;

/** Runs readDigest `rounds` times in a worker; resolves with the digests. */
function digestInWorker(image, rounds) {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { readDigest } = require(workerData.helper);
    const out = [];
    for (let i = 0; i < workerData.rounds; i++) out.push(readDigest(workerData.kernel, workerData.core));
    parentPort.postMessage(out);`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { helper: DIGEST, rounds, ...image } });
    let result = null;
    w.on('message', (m) => (result = m));
    w.on('error', reject);
    w.on('exit', (c) => (c === 0 && result ? resolve(result) : reject(new Error(`worker exited with ${c}`))));
  });
}

function closedError(e) {
  assert.ok(e instanceof KvmError, `not a KvmError: ${e && e.stack}`);
  assert.equal(e.code, 'CLOSED', e.message);
  return true;
}

test('workers reading the same dump at once get what the main thread gets', { timeout: 120_000 }, async () => {
  const sim = await simImage({ scenario: 'demo', format: 'elf-vcore-amd64' });
  for (const image of [SAMPLE, { kernel: sim.kernel, core: sim.core }]) {
    const want = readDigest(image.kernel, image.core);
    const runs = await Promise.all(Array.from({ length: WORKERS }, () => digestInWorker(image, 3)));
    for (const digests of runs) assert.deepEqual(digests, [want, want, want]);
  }
});

test('the addon loads in a worker while the main thread holds an open handle', { timeout: 60_000 }, async () => {
  const kd = Kvm.open(SAMPLE);
  try {
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { Kvm } = require(workerData.pkg);
      const kd = Kvm.open({ kernel: workerData.kernel, core: workerData.core });
      parentPort.postMessage(kd.readCString(kd.symbol('version').value));
      kd.close();`;
    const version = await new Promise((resolve, reject) => {
      const w = new Worker(code, { eval: true, workerData: { pkg: path.join(__dirname, '..'), ...SAMPLE } });
      w.on('message', resolve);
      w.on('error', reject);
    });
    assert.equal(version, kd.readCString(kd.symbol('version').value));
    assert.match(version, /^FreeBSD /);
  } finally {
    kd.close();
  }
});

test('workers terminated in the middle of reads leave the process and other handles intact', { timeout: 60_000 }, async () => {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { Kvm } = require(workerData.pkg);
    const kd = Kvm.open({ kernel: workerData.kernel, core: workerData.core });
    const v = kd.symbol('version').value;
    parentPort.postMessage('reading');
    for (;;) { kd.read(v, 4096); for (const p of kd.walkPages({ batch: 16 })) void p; }`;
  const kd = Kvm.open(SAMPLE);
  const before = kd.read(kd.symbol('version').value, 4096);
  const workers = Array.from({ length: 3 }, () => new Worker(code, { eval: true, workerData: { pkg: path.join(__dirname, '..'), ...SAMPLE } }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const codes = await Promise.all(workers.map((w) => w.terminate()));
  assert.deepEqual(codes, [1, 1, 1]);
  assert.deepEqual(kd.read(kd.symbol('version').value, 4096), before);
  kd.close();
});

test('close() with a page walk, a list walk and typed objects pending: each later step is CLOSED', () => {
  const kd = Kvm.open(SAMPLE);
  const pages = kd.walkPages({ batch: 8 });
  for (let i = 0; i < 8; i++) pages.next(); // the first batch is consumed; the next needs the addon
  const procs = require('../dist/helpers/queue.js').walkList(kd, {
    name: 'allproc',
    first: kd.readPointer(kd.symbol('allproc').value),
    nextOffset: kd.offsetof('struct proc', 'p_list'),
  });
  assert.equal(typeof procs.next().value, 'bigint');
  const prison0 = kd.variable('prison0');
  const text = prison0.format();
  kd.close();
  assert.equal(kd.closed, true);
  assert.throws(() => pages.next(), closedError);
  assert.throws(() => procs.next(), closedError);
  // Bytes already read stay readable; anything that needs the files again is CLOSED.
  assert.throws(() => prison0.member('pr_children').member('lh_first').deref().format(), closedError);
  assert.throws(() => kd.read(0n, 1), closedError);
  assert.throws(() => kd.vnets(), closedError);
  assert.throws(() => kd.symbol('version'), closedError);
  assert.ok(text.startsWith('{pr_list = '));
  kd.close(); // idempotent
});

test('close() from inside a walk callback: the walk stops with CLOSED', () => {
  const kd = Kvm.open(SAMPLE);
  let seen = 0;
  assert.throws(() => {
    for (const p of kd.walkPages({ batch: 4 })) {
      void p;
      if (++seen === 2) kd.close();
    }
  }, closedError);
  assert.ok(seen >= 2 && seen <= 4, `walk continued after close: ${seen} pages`);
});

test('libkvm C-style handles: kvm_close with reads pending gives CLOSED', () => {
  const lib = require('..');
  const kd = lib.kvm_open(SAMPLE.kernel, SAMPLE.core, null, 0, 'test');
  const nl = [{ n_name: 'version' }];
  assert.equal(lib.kvm_nlist(kd, nl), 0);
  const buf = Buffer.alloc(16);
  assert.equal(lib.kvm_read(kd, nl[0].n_value, buf, 16), 16);
  assert.equal(buf.subarray(0, 8).toString('latin1'), 'FreeBSD ');
  assert.equal(lib.kvm_close(kd), 0);
  assert.throws(() => lib.kvm_read(kd, nl[0].n_value, buf, 16), closedError);
});
