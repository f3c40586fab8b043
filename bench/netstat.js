'use strict';
// Issue 7 bench: kvm-netstat --all-vnets -s and -i on a `large` image (1000 vnets x 64 CPUs x 3
// interfaces), in-process and as a child (wall time, peak RSS), against the floor: reading the
// same counter(9) slot bytes with kd.readMany in the same run.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { Kvm } = require('..');
const { buildScenario } = require('../dist/sim/builder.js');
const { normalizeScenario, largeScenario } = require('../dist/sim/scenario.js');
const { allTargets, collectVnet } = require('../dist/netstat/collect.js');
const { renderNetstat } = require('../dist/netstat/render.js');
const { scratch, time, best } = require('./util');

const SHAPE = { vnets: 1000, cpus: 64, ifaces: 3 };
const ALL = ['tcp', 'udp', 'ip', 'icmp', 'ip6', 'icmp6', 'rip6'];

async function image() {
  const dir = path.join(scratch, `netstat-large-${SHAPE.vnets}x${SHAPE.cpus}x${SHAPE.ifaces}`);
  if (!fs.existsSync(path.join(dir, '.done'))) {
    await buildScenario({ scenario: normalizeScenario(largeScenario(SHAPE), { seed: 1 }), outDir: dir });
    fs.writeFileSync(path.join(dir, '.done'), '');
  }
  return { dir, kernel: path.join(dir, 'kernel'), core: path.join(dir, 'vmcore.0') };
}

/** In-process: collect + render every vnet as the CLI does (text, vnet by vnet). */
function inProcess(kd, mode) {
  const what = mode === 's' ? { interfaces: 'names', protocols: ALL } : { interfaces: 'full', protocols: [] };
  const opts = mode === 's' ? { s: 1, allVnets: true } : { i: true, allVnets: true };
  const { targets } = allTargets(kd);
  let len = 0;
  for (const t of targets) len += renderNetstat(opts, [collectVnet(kd, t, what).view]).length;
  return len;
}

/** Every per-CPU slot address of the counters -s reads (stat arrays and tcps_states), per vnet. */
function slotAddresses(kd) {
  const enc = kd.counterEncoding();
  const offs = enc.cpus.map((c) => enc.base + enc.stride * BigInt(c.id));
  const mask = (1n << 64n) - 1n;
  const out = [];
  for (const t of allTargets(kd).targets) {
    const handles = [];
    for (const name of ['tcpstat', 'udpstat', 'ipstat', 'icmpstat', 'ip6stat', 'icmp6stat', 'tcps_states']) {
      const r = kd.native.resolve(name, 0, t.dataBase, null, false);
      if (r) handles.push(...kd.readArray(r[0], Number(r[1] / 8n), 8));
    }
    const a = new BigUint64Array(handles.length * offs.length);
    let k = 0;
    for (const h of handles) for (const o of offs) a[k++] = (h + o) & mask;
    out.push(a);
  }
  return out;
}

function child(img, args) {
  const bin = path.join(__dirname, '..', 'bin', 'kvm-netstat');
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, bin, '-M', img.core, '-N', img.kernel, ...args], {
    encoding: 'utf8', maxBuffer: 1 << 30,
  });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`kvm-netstat ${args.join(' ')}: ${r.stderr}`);
  const rssKb = Number(r.stderr.trim().split('\n').pop());
  return { secs, rssMb: rssKb / 1024, lines: r.stdout.split('\n').length };
}

module.exports = async function run() {
  const img = await image();
  const kd = Kvm.open({ kernel: img.kernel, core: img.core });
  inProcess(kd, 's'); // warm: DWARF, page cache
  const tS = best(3, () => inProcess(kd, 's'));
  const tI = best(3, () => inProcess(kd, 'i'));
  const addrs = slotAddresses(kd);
  const slots = addrs.reduce((n, a) => n + a.length, 0);
  const buf = Buffer.allocUnsafe(Math.max(...addrs.map((a) => a.length)) * 8);
  const tFloor = best(3, () => {
    for (const a of addrs) kd.readMany(a, 8, buf);
  });
  const [tOpen] = time(() => Kvm.open({ kernel: img.kernel, core: img.core }).close());
  kd.close();
  const cs = child(img, ['--all-vnets', '-s']);
  const ci = child(img, ['--all-vnets', '-i']);
  return [
    { name: `netstat --all-vnets -s in-process (${SHAPE.vnets} vnets x ${SHAPE.cpus} CPUs, ${(slots / 1e6).toFixed(1)}M slots)`, value: tS * 1000, unit: 'ms', baseline: tFloor * 1000, baselineName: 'readMany of the same slots', target: '< 1000 ms' },
    { name: 'netstat --all-vnets -i in-process', value: tI * 1000, unit: 'ms' },
    { name: 'kvm-netstat --all-vnets -s (child, wall)', value: cs.secs * 1000, unit: 'ms', baseline: tFloor * 1000, baselineName: 'readMany of the same slots', target: '< 1000 ms' },
    { name: 'kvm-netstat --all-vnets -s peak RSS (core mapped)', value: cs.rssMb, unit: 'MB' },
    { name: 'kvm-netstat --all-vnets -i (child, wall)', value: ci.secs * 1000, unit: 'ms' },
    { name: 'kvm-netstat --all-vnets -i peak RSS', value: ci.rssMb, unit: 'MB' },
    { name: 'Kvm.open of the large image', value: tOpen * 1000, unit: 'ms' },
  ];
};
