'use strict';
// DWARF bench: a generated C program with tens of thousands of types, spread over many units that
// each repeat a shared header (as kernel units do), compiled once with gcc -g into a cached
// scratch directory. Measures opening + indexing its DWARF (plain and zlib-compressed), and the
// time to the first full layout of one named struct, against gdb -batch (and drgn when the
// python3-drgn package is installed) doing the same from a cold start.
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { addon } = require('../dist/binding');
const { TypeRegistry } = require('../dist/types/registry');

const STRUCTS = 6000;
const ENUMS = 1500;
const TYPEDEFS = 3000;
const UNITS = 12;
const TARGET = `s_${Math.floor(STRUCTS * 0.73)}`;

const scratch = path.join(os.tmpdir(), 'libkvm-bench', 'dwarf');

function header() {
  const out = ['#include <stdint.h>'];
  for (let i = 0; i < STRUCTS; i++) out.push(`struct s_${i};`);
  for (let i = 0; i < ENUMS; i++) out.push(`enum e_${i} { E${i}_A, E${i}_B = ${i}, E${i}_C = ${i * 3 + 7} };`);
  for (let i = 0; i < STRUCTS; i++) {
    const a = (i * 7 + 1) % STRUCTS;
    const b = (i * 13 + 5) % STRUCTS;
    out.push(
      `struct s_${i} { int id; struct s_${a} *next; struct s_${b} *peer; enum e_${i % ENUMS} kind; ` +
        `char name[${8 + (i % 24)}]; uint64_t bits_${i} : ${1 + (i % 40)}; union { long l; void *p; } u; ` +
        `struct { short x, y; } pos; unsigned long counters[${1 + (i % 5)}][2]; };`,
    );
  }
  for (let i = 0; i < TYPEDEFS; i++) out.push(`typedef struct s_${(i * 3) % STRUCTS} t_${i};`);
  return out.join('\n') + '\n';
}

function build() {
  fs.mkdirSync(scratch, { recursive: true });
  const plain = path.join(scratch, 'big');
  const gz = path.join(scratch, 'big-gz');
  if (fs.existsSync(plain) && fs.existsSync(gz)) return { plain, gz };
  fs.writeFileSync(path.join(scratch, 'big.h'), header());
  const sources = [];
  for (let u = 0; u < UNITS; u++) {
    const src = path.join(scratch, `unit${u}.c`);
    const main = u === 0 ? 'int main(void) { return g0.id; }\n' : '';
    fs.writeFileSync(src, `#include "big.h"\nstruct s_${u} g${u};\n${main}`);
    sources.push(src);
  }
  const flags = ['-g', '-O0', '-fno-eliminate-unused-debug-types', '-I', scratch];
  execFileSync('gcc', [...flags, '-o', `${plain}.tmp`, ...sources]);
  execFileSync('gcc', [...flags, '-gz=zlib', '-o', `${gz}.tmp`, ...sources]);
  fs.renameSync(`${plain}.tmp`, plain);
  fs.renameSync(`${gz}.tmp`, gz);
  return { plain, gz };
}

function seconds(fn) {
  const t0 = process.hrtime.bigint();
  const r = fn();
  return [Number(process.hrtime.bigint() - t0) / 1e9, r];
}

function best(reps, fn) {
  let min = Infinity;
  for (let i = 0; i < reps; i++) min = Math.min(min, seconds(fn)[0]);
  return min;
}

// Every member of the struct with its type spelled out: a full layout, as ptype/o needs.
function layout(file) {
  const d = new addon.NativeDwarf(file);
  const reg = new TypeRegistry(d, 8);
  const t = reg.parse(`struct ${TARGET}`);
  const lines = t.members.map((m) => `${m.offset} ${m.type.declare(m.name ?? '')}`);
  d.close();
  return lines;
}

function gdbLayout(file) {
  const r = spawnSync('gdb', ['-nx', '-batch', '-ex', `ptype/o struct ${TARGET}`, file], { encoding: 'utf8' });
  if (r.status !== 0 || !/total size/.test(r.stdout)) throw new Error(`gdb failed: ${r.stderr}`);
}

function drgnPython() {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import drgn'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

function drgnLayout(py, file) {
  const script =
    'import sys, drgn\n' +
    'p = drgn.Program()\n' +
    'p.load_debug_info([sys.argv[1]])\n' +
    `t = p.type("struct ${TARGET}")\n` +
    'print(sum(1 for m in t.members if m.type is not None))\n';
  const r = spawnSync(py, ['-c', script, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`drgn failed: ${r.stderr}`);
}

module.exports = async function dwarfBench() {
  const { plain, gz } = build();
  const probe = new addon.NativeDwarf(plain);
  const s = probe.stats();
  probe.close();
  const probeGz = new addon.NativeDwarf(gz);
  const sGz = probeGz.stats();
  probeGz.close();
  const types = s.names.struct + s.names.union + s.names.enum + s.names.typedef + s.names.base;
  const mb = (s.infoBytes / 1048576).toFixed(1);
  const rows = [];
  const openPlain = best(5, () => new addon.NativeDwarf(plain).close());
  const openGz = best(5, () => new addon.NativeDwarf(gz).close());
  rows.push({ name: `open+index DWARF (${s.units} units, ${mb} MiB .debug_info)`, value: openPlain * 1e3, unit: 'ms' });
  rows.push({ name: `open+index, zlib-compressed (${sGz.compressedSections} sections, ${(sGz.inflatedBytes / 1048576).toFixed(1)} MiB inflated)`, value: openGz * 1e3, unit: 'ms', baseline: openPlain * 1e3, baselineName: 'uncompressed' });
  rows.push({ name: 'index throughput (uncompressed)', value: s.infoBytes / 1048576 / openPlain, unit: 'MiB/s' });
  rows.push({ name: `distinct named types indexed`, value: types, unit: 'names' });
  const ours = best(5, () => layout(plain));
  let gdbTime = null;
  try {
    gdbLayout(plain); // warm the page cache
    gdbTime = best(3, () => gdbLayout(plain));
  } catch {
    gdbTime = null;
  }
  rows.push({ name: `first layout of struct ${TARGET} (cold open, in-process)`, value: ours * 1e3, unit: 'ms', baseline: gdbTime === null ? undefined : gdbTime * 1e3, baselineName: 'gdb -batch ptype/o' });
  if (gdbTime !== null) rows.push({ name: 'gdb -batch ptype/o (process start included)', value: gdbTime * 1e3, unit: 'ms' });
  const py = drgnPython();
  if (py) {
    try {
      drgnLayout(py, plain);
      const drgnTime = best(3, () => drgnLayout(py, plain));
      rows.push({ name: `first layout of struct ${TARGET} vs drgn`, value: ours * 1e3, unit: 'ms', baseline: drgnTime * 1e3, baselineName: 'drgn (python3)' });
    } catch (e) {
      rows.push({ name: `drgn: ${String(e.message).split('\n')[0].slice(0, 60)}`, value: NaN, unit: '' });
    }
  }
  return rows;
};

if (require.main === module) {
  module.exports().then((rows) => {
    for (const r of rows) {
      const ratio = r.baseline ? ` (${r.baselineName}: ${r.baseline.toFixed(1)} ${r.unit}, ratio ${(r.value / r.baseline).toFixed(2)}x)` : '';
      console.log(`${r.name}: ${Number.isFinite(r.value) ? r.value.toFixed(2) : ''} ${r.unit}${ratio}`);
    }
  });
}
