'use strict';
// A large simulated machine (200 network stacks x 16 CPUs x 2 interfaces, ~55 MB of core) is
// built in a child process whose peak RSS stays under RSS_BOUND_MIB and which finishes within
// TIME_BOUND_MS (killed otherwise); the image opens and lists every vnet, vnet0 last.
// Measured on 2 cores: ~2.5 s and ~130 MiB peak RSS.
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const SANITIZED = /asan/.test(process.env.LD_PRELOAD ?? '');
const RSS_BOUND_MIB = SANITIZED ? 1536 : 512;
const TIME_BOUND_MS = SANITIZED ? 300_000 : 120_000;
const VNETS = 200; // stacks: the host's and 199 VNET jails'
const CPUS = 16;

test(`large scenario (${VNETS} vnets x ${CPUS} CPUs x 2 interfaces): bounded memory and time`, { timeout: TIME_BOUND_MS + 30_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'libkvm-large-'));
  try {
    const r = spawnSync(process.execPath, [path.join(__dirname, 'helpers', 'sim-large-child.js'), dir, String(VNETS), String(CPUS), '2'], {
      encoding: 'utf8',
      timeout: TIME_BOUND_MS,
      maxBuffer: 16 << 20,
    });
    assert.ifError(r.error);
    assert.equal(r.signal, null, `child killed by ${r.signal} (time bound ${TIME_BOUND_MS} ms)`);
    assert.equal(r.status, 0, r.stderr);
    const rep = JSON.parse(r.stdout);
    assert.ok(rep.maxRssKiB / 1024 < RSS_BOUND_MIB, `peak RSS ${Math.round(rep.maxRssKiB / 1024)} MiB >= ${RSS_BOUND_MIB} MiB`);
    assert.ok(rep.buildMs < TIME_BOUND_MS);
    assert.equal(rep.vnets, VNETS);
    assert.deepEqual(rep.vnetAddresses, rep.expectedVnets);
    assert.equal(rep.vnet0Last, true);
    assert.equal(rep.problems, 0);
    assert.equal(rep.cpus, CPUS);
    // The core holds every stack's data: well over a page per vnet.
    assert.ok(rep.coreBytes > VNETS * 4096, `core is ${rep.coreBytes} bytes`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
