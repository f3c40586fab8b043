'use strict';
// Shared by the hostile-input tests (8x): running cases in a child process under a time and
// memory bound, building corruption cases, and checking their outcomes.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { tmpFile, prng } = require('./dumpgen');

/** Wall-clock bound for one child (one batch of cases); generous for sanitizer builds. */
const CHILD_TIMEOUT_MS = 120_000;
/** Peak RSS bound for a child: inputs are < 64 KiB, so anything near this is a runaway allocation. */
const CHILD_MAX_RSS_MIB = process.env.LD_PRELOAD && /asan/.test(process.env.LD_PRELOAD) ? 1536 : 512;

/**
 * Runs `script` with `args` in a child Node process and returns its JSON report. Asserts that it
 * exited normally within CHILD_TIMEOUT_MS (no signal, no hang) and stayed under the RSS bound.
 */
function runChild(assert, script, args = []) {
  const r = spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 256 << 20,
  });
  assert.ifError(r.error);
  assert.equal(r.signal, null, `child killed by ${r.signal}; stderr:\n${r.stderr}`);
  assert.equal(r.status, 0, `child exited with ${r.status}; stderr:\n${r.stderr}`);
  const report = JSON.parse(r.stdout);
  assert.ok(report.maxRssKiB / 1024 < CHILD_MAX_RSS_MIB, `child peak RSS ${Math.round(report.maxRssKiB / 1024)} MiB`);
  return report;
}

/** Runs the cases of one job through test/helpers/malformed-runner.js; returns id -> result. */
function runCases(assert, job) {
  const file = tmpFile('job.json');
  const scratch = tmpFile('case');
  fs.writeFileSync(file, JSON.stringify({ ...job, scratch }));
  const report = runChild(assert, path.join(__dirname, 'malformed-runner.js'), [file]);
  assert.equal(report.results.length, job.cases.length);
  const byId = new Map();
  for (const r of report.results) byId.set(r.id, r);
  return byId;
}

/** Probes as the runner takes them (hex strings). */
function probeJson(probes) {
  return probes.map((p) => ({ va: '0x' + p.va.toString(16), pa: p.pa === undefined ? undefined : '0x' + p.pa.toString(16), bytes: Buffer.from(p.bytes).toString('hex') }));
}

/** Values a numeric field is set to: 0, all ones, one above/below the original, and random. */
function fieldValues(width, original, seed) {
  const max = (1n << BigInt(8 * width)) - 1n;
  const rng = prng(seed);
  const random = () => {
    let v = 0n;
    for (let i = 0; i < width; i++) v = (v << 8n) | BigInt(rng.int(256));
    return v;
  };
  const vals = [0n, max, (original + 1n) & max, (original - 1n) & max, max >> 1n, random(), random()];
  return [...new Set(vals)].map((v) => ({ value: '0x' + v.toString(16), v }));
}

/** Truncation points: every `step` bytes, plus the first bytes, odd places and the named `marks`. */
function cutPoints(size, step, marks = []) {
  const pts = new Set([0, 1, 3, 4, 7, 15, 16, 17, 23, 31, 51, 52, 63, 64, 65, size - 1]);
  for (let i = 0; i < size; i += step) pts.add(i);
  for (const m of marks) for (const d of [-1, 0, 1]) pts.add(m + d);
  return [...pts].filter((p) => p >= 0 && p < size).sort((a, b) => a - b);
}

/** `n` cases that overwrite 1-8 random bytes each (seeded), inside [lo, hi). */
function randomFlips(n, lo, hi, seed) {
  const rng = prng(seed);
  const cases = [];
  for (let i = 0; i < n; i++) {
    const edits = [];
    const k = 1 + rng.int(8);
    for (let j = 0; j < k; j++) edits.push({ at: lo + rng.int(hi - lo), bytes: rng.bytes(4).subarray(0, 1 + rng.int(4)).toString('hex') });
    cases.push({ id: `flip-${seed}-${i}`, edits });
  }
  return cases;
}

/** Codes a corrupt file may legitimately produce at open. */
const OPEN_CODES = new Set(['ok', 'BAD_FORMAT', 'UNSUPPORTED']);
/** Outcomes of a read of a probe in an image that opened. */
const READ_CODES = new Set(['same', 'other', 'FAULT', 'TRUNCATED']);

/**
 * The checks every case gets: a KvmError (or success) everywhere, reads that agree with partial
 * reads, CLOSED after close. `expect` may narrow it: { open: code | [codes], reads: [outcomes],
 * phys: [outcomes] }.
 */
function checkCase(assert, r, expect = {}) {
  const where = `case ${r.id}: ${JSON.stringify(r)}`;
  const open = expect.open === undefined ? OPEN_CODES : new Set([].concat(expect.open));
  assert.ok(open.has(r.open), `open outcome ${r.open} not in ${[...open]}; ${where}`);
  if (r.open !== 'ok') return;
  assert.equal(r.unexpected, undefined, where);
  const reads = new Set(expect.reads ?? READ_CODES);
  for (const x of r.reads) assert.ok(reads.has(x), `read outcome ${x} not in ${[...reads]}; ${where}`);
  // readPartial reports the same code a whole read throws ('other' bytes aside).
  r.reads.forEach((x, i) => {
    if (x === 'FAULT' || x === 'TRUNCATED') assert.equal(r.partial[i], x, where);
    if (x === 'same') assert.equal(r.partial[i], 'same', where);
  });
  const phys = new Set(expect.phys ?? [...READ_CODES, 'UNSUPPORTED', 'none']);
  for (const x of r.phys) assert.ok(phys.has(x), `physical read outcome ${x}; ${where}`);
  for (const x of r.scalars) assert.ok(['ok', 'FAULT', 'TRUNCATED'].includes(x), `scalar reads: ${x}; ${where}`);
  assert.ok(['ok', 'CORRUPT', 'UNSUPPORTED'].includes(r.walk), `walk: ${r.walk}; ${where}`);
  assert.equal(r.afterClose, 'CLOSED', where);
}

module.exports = { runChild, runCases, probeJson, fieldValues, cutPoints, randomFlips, checkCase, OPEN_CODES, READ_CODES, CHILD_TIMEOUT_MS };
