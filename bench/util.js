'use strict';
// Shared bench helpers: timing, a scratch dir, compiling the C baseline once.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const scratch = path.join(os.tmpdir(), 'libkvm-bench');
fs.mkdirSync(scratch, { recursive: true });

function time(fn) {
  const t0 = process.hrtime.bigint();
  const r = fn();
  return [Number(process.hrtime.bigint() - t0) / 1e9, r];
}

/** Best of `reps` timings (seconds) of fn. */
function best(reps, fn) {
  let min = Infinity;
  for (let i = 0; i < reps; i++) min = Math.min(min, time(fn)[0]);
  return min;
}

function rawBaseline() {
  const exe = path.join(scratch, 'raw-baseline');
  const src = path.join(__dirname, 'raw-baseline.c');
  if (!fs.existsSync(exe) || fs.statSync(exe).mtimeMs < fs.statSync(src).mtimeMs) {
    execFileSync('gcc', ['-O2', '-o', exe, src]);
  }
  return (file, off, len, nrand, seq) => {
    const out = execFileSync(exe, [file, String(off), String(len), String(nrand), String(seq)], { encoding: 'utf8' });
    const [rand, seqRate] = out.trim().split(' ').map(Number);
    return { rand, seq: seqRate };
  };
}

function peakRssMb() {
  return process.resourceUsage().maxRSS / 1024;
}

module.exports = { scratch, time, best, rawBaseline, peakRssMb };
