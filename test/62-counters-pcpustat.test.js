'use strict';
// counter(9): both handle encodings (amd64 pcpu-offset on fbsd14, absolute on fbsd12 and arm64),
// sparse CPU ids, and every VNET_PCPUSTAT record of every vnet against expected.json; a
// non-VIMAGE kernel reads its plain stat arrays.
const test = require('node:test');
const assert = require('node:assert/strict');
const { Kvm } = require('..');
const { simImage } = require('./helpers/sim-image');
const { big, demoWith, statStrings } = require('./helpers/sim-vnet');

const CASES = [
  { label: 'fbsd14 amd64', opts: { scenario: 'demo' } },
  { label: 'fbsd12 amd64', opts: { scenario: 'demo', flavour: 'fbsd12' } },
  { label: 'fbsd14 arm64', opts: { scenario: 'demo', arch: 'arm64' } },
  { label: 'sparse CPUs 0,2,5,7', opts: { scenario: demoWith({ cpus: [0, 2, 5, 7], dump: { jail: 'db', cpu: 5, inNetworkCode: true } }) } },
  { label: 'novimage amd64', opts: { scenario: demoWith({ noVnetJails: true }), flavour: 'novimage' } },
];

for (const c of CASES) {
  test(`${c.label}: counter sums and per-vnet statistics records`, async () => {
    const { kernel, core, expected: e } = await simImage(c.opts);
    const kd = Kvm.open({ kernel, core });
    try {
      const enc = kd.counterEncoding();
      assert.equal(enc.kind, e.counterEncoding);
      assert.deepEqual(enc.cpus.map((x) => x.id), e.cpus.map((x) => x.id));
      let records = 0;
      for (const v of e.vnets) {
        const sel = v.address === null ? {} : { vnet: big(v.address) };
        for (const [name, want] of Object.entries(v.stats)) {
          const st = kd.pcpuStat(name, sel);
          assert.equal(st.address, big(v.translated[name]), `${name} address`);
          assert.deepEqual(statStrings(st.record), want, `${name} of vnet ${v.address}`);
          records++;
        }
        // One handle three ways: the sum, the per-CPU copies, the batch form.
        const handles = kd.readArray(big(v.translated.tcpstat), 4, 8);
        const sums = kd.counters(handles);
        handles.forEach((h, i) => {
          const per = kd.counterPerCpu(h);
          assert.deepEqual(per.map((p) => p.cpu), e.cpus.map((x) => x.id));
          assert.equal(per.reduce((a, p) => a + p.value, 0n), sums[i]);
          assert.equal(kd.counter(h), sums[i]);
        });
        if (v.tcpStates) {
          const states = kd.counters(kd.readArray(big(v.translated.tcps_states), v.tcpStates.length, 8));
          assert.deepEqual(Array.from(states, String), v.tcpStates);
        }
      }
      assert.equal(records, e.vnets.length * Object.keys(e.vnets[0].stats).length);
      assert.ok(records >= e.vnets.length * 6);
      assert.equal(kd.counter(0n), 0n, 'a NULL handle (the reference copy) sums to 0');
      assert.throws(() => kd.counter(1), TypeError);
    } finally {
      kd.close();
    }
  });
}
