'use strict';
// Oracle test for the simulated kernels: gdb's `ptype/o` of the key kernel structs equals the
// layout our DWARF reader reports (sizes, offsets, bit positions, member spellings) for each
// amd64 flavour. gdb runs with toolEnv() (it hangs under the sanitizer preload).
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');

const { Kvm } = require('..');
const { simImage } = require('./helpers/sim-image');
const { parsePtypeO, layoutLines } = require('./helpers/gdb-layout');
const { toolEnv } = require('./helpers/tmp');
const { tools } = require('./helpers/cbuild');

const STRUCTS = ['vnet', 'prison', 'proc', 'thread', 'ifnet', 'ifaddr', 'tcpstat', 'pcpu'];
const skip = tools.gdb ? false : 'needs gdb';

function ptype(kernel, names) {
  const args = ['-nx', '-batch', '-ex', 'set width 0', '-ex', 'set height 0'];
  for (const n of names) args.push('-ex', `ptype/o ${n}`);
  args.push(kernel);
  const r = spawnSync(tools.gdb, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120_000, env: toolEnv() });
  assert.ifError(r.error);
  assert.equal(r.signal, null, `gdb killed by ${r.signal}`);
  return r.stdout;
}

for (const flavour of ['fbsd14', 'fbsd12', 'novimage']) {
  test(`${flavour} amd64 kernel: struct layouts equal gdb ptype/o`, { skip, timeout: 120_000 }, async () => {
    const scenario = flavour === 'novimage' ? { name: 'plain', cpus: [0, 1] } : 'demo';
    const img = await simImage({ scenario, flavour, arch: 'amd64', format: 'elf-vcore-amd64' });
    const kd = Kvm.open({ kernel: img.kernel });
    try {
      const names = STRUCTS.map((s) => `struct ${s}`);
      const gdbLayouts = parsePtypeO(ptype(img.kernel, names));
      assert.equal(gdbLayouts.length, names.length, `gdb printed ${gdbLayouts.length} of ${names.length} layouts`);
      names.forEach((name, i) => {
        const ours = layoutLines(kd.type(name));
        assert.ok(ours.length > 2, `${name} has members`);
        assert.deepEqual(ours, gdbLayouts[i], `${name} (${flavour})`);
      });
    } finally {
      kd.close();
    }
  });
}
