'use strict';
// Child process of the malformed-input tests (8x): applies each corruption of a job to a base
// file, writes the result to one scratch file, opens it and reads it every way the public API
// reads, and prints one JSON report: the outcome of every case and this process's peak RSS.
// Running the cases here means a crash, a hang or a runaway allocation shows as a signal, a
// timeout or a large maxRSS in the parent, never as a dead test runner.
//
// Job (JSON file, argv[2]): { kernel, core, target: 'core' | 'kernel', scratch, probes:
// [{ va, pa?, bytes }] (hex strings), names: [symbol names to look up], cases: [{ id, edits }] }.
// An edit is { truncate } | { at, width, value } (little or big endian per job.big) | { at, fill,
// len } | { at, bytes }.
const fs = require('node:fs');
const { Kvm, KvmError } = require('../..');

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const base = fs.readFileSync(job.target === 'kernel' ? job.kernel : job.core);
const probes = job.probes.map((p) => ({ va: BigInt(p.va), pa: p.pa === undefined ? undefined : BigInt(p.pa), bytes: Buffer.from(p.bytes, 'hex') }));

function outcome(e) {
  if (e instanceof KvmError) return e.code;
  return `NOT_KVM ${e && e.name}: ${e && e.message}`;
}

function apply(buf, edits) {
  let out = Buffer.from(buf);
  for (const e of edits) {
    if (e.truncate !== undefined) {
      out = out.subarray(0, e.truncate);
    } else if (e.fill !== undefined) {
      out.fill(e.fill, e.at, Math.min(out.length, e.at + e.len));
    } else if (e.bytes !== undefined) {
      Buffer.from(e.bytes, 'hex').copy(out, e.at);
    } else {
      const v = BigInt(e.value);
      const b = Buffer.alloc(e.width);
      for (let i = 0; i < e.width; i++) {
        const byte = Number((v >> BigInt(8 * i)) & 0xffn);
        b[job.big ? e.width - 1 - i : i] = byte;
      }
      if (e.at + e.width <= out.length) b.copy(out, e.at);
    }
  }
  return out;
}

/** 'same', 'other' or the error code of reading `len` bytes. */
function readOutcome(fn, want) {
  try {
    const got = fn();
    return got.equals(want) ? 'same' : 'other';
  } catch (e) {
    return outcome(e);
  }
}

function runCase(c) {
  const r = { id: c.id };
  fs.writeFileSync(job.scratch, apply(base, c.edits));
  const kernel = job.target === 'kernel' ? job.scratch : job.kernel;
  const core = job.target === 'kernel' ? job.core : job.scratch;
  let kd;
  try {
    kd = Kvm.open({ kernel, core });
  } catch (e) {
    r.open = outcome(e);
    return r;
  }
  r.open = 'ok';
  try {
    r.format = kd.info.format;
    r.reads = probes.map((p) => readOutcome(() => kd.read(p.va, p.bytes.length), p.bytes));
    // A partial read stops where a whole read fails, and agrees with it on the bytes before.
    r.partial = probes.map((p) => {
      const buf = Buffer.alloc(p.bytes.length);
      const pr = kd.readPartial(p.va, buf);
      return pr.fault ? pr.fault.code : buf.equals(p.bytes) ? 'same' : 'other';
    });
    r.phys = probes.map((p) => (p.pa === undefined ? 'none' : readOutcome(() => kd.readPhys(p.pa, p.bytes.length), p.bytes)));
    r.scalars = probes.map((p) => {
      try {
        kd.readU64(p.va);
        kd.readPointer(p.va + 4092n);
        kd.readCString(p.va, 8192);
        kd.readArray(p.va, 16, 8);
        return 'ok';
      } catch (e) {
        return outcome(e);
      }
    });
    try {
      let n = 0;
      for (const page of kd.walkPages({ batch: 100 })) {
        if (page.len <= 0n && page.offset < -1n) throw new Error('impossible page record');
        if (++n >= 20000) break;
      }
      r.walk = 'ok';
    } catch (e) {
      r.walk = outcome(e);
    }
    kd.msgbuf();
    r.names = (job.names || []).map((n) => {
      const s = kd.resolve(n);
      if (s) kd.readPartial(s.value, Buffer.alloc(16));
      return s ? 'found' : 'missing';
    });
  } catch (e) {
    r.unexpected = outcome(e);
  } finally {
    kd.close();
  }
  try {
    kd.readU8(probes[0].va);
    r.afterClose = 'no error';
  } catch (e) {
    r.afterClose = outcome(e);
  }
  return r;
}

const results = job.cases.map(runCase);
fs.rmSync(job.scratch, { force: true });
process.stdout.write(JSON.stringify({ results, maxRssKiB: process.resourceUsage().maxRSS }));
