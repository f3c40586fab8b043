'use strict';
// Shared bits of the 6x tests (vnet/pcpu/jails): scenario variants of `demo` and expected.json
// values turned into what the library returns.
const fs = require('node:fs');
const path = require('node:path');
const { Kvm } = require('../..');
const { demoScenario } = require('../../dist/sim/scenario.js');
const { simImage } = require('./sim-image');
const { scratch } = require('./tmp');

const big = (h) => (h === null || h === undefined ? null : BigInt(h));

/** demo with other dump settings, sparse CPUs, or no VNET jails (for the novimage kernel). */
function demoWith({ dump, cpus, noVnetJails, destroyedVnet } = {}) {
  const s = demoScenario();
  if (dump) s.dump = dump;
  if (cpus) s.cpus = cpus;
  if (noVnetJails) s.jails = s.jails.map(({ interfaces, ...j }) => ({ ...j, vnet: false }));
  if (destroyedVnet) s.destroyedVnet = true;
  s.name = 'demo-variant';
  return s;
}

/** A pcpuStat record with bigints as decimal strings, the way expected.json writes them. */
function statStrings(v) {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(statStrings);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, statStrings(x)]));
}

/** File offset of kernel virtual address `va` in an ELF core of virtual segments. */
function fileOffset(kd, va) {
  for (const p of kd.walkPages()) {
    if (p.kmapVaddr !== 0n && va >= p.kmapVaddr && va < p.kmapVaddr + p.len && p.offset >= 0n) {
      return Number(p.offset + (va - p.kmapVaddr)) + kd.info.payloadOffset;
    }
  }
  throw new Error(`0x${va.toString(16)} is not in the image`);
}

/** A copy of the demo ELF vcore with `patches` ([va, 8-byte value | 4-byte {u32}]) applied. */
async function patched(name, patchesOf) {
  const img = await simImage({ scenario: 'demo', format: 'elf-vcore-amd64' });
  const kd = Kvm.open({ kernel: img.kernel, core: img.core });
  const buf = fs.readFileSync(img.core);
  try {
    for (const [va, value] of patchesOf(kd, img.expected)) {
      const off = fileOffset(kd, va);
      if (typeof value === 'bigint') buf.writeBigUInt64LE(value, off);
      else buf.writeUInt32LE(value.u32, off);
    }
  } finally {
    kd.close();
  }
  const core = path.join(scratch(`corrupt-${name}`), 'vmcore.0');
  fs.writeFileSync(core, buf);
  return { kernel: img.kernel, core, expected: img.expected };
}

module.exports = { big, demoWith, statStrings, patched, fileOffset };
