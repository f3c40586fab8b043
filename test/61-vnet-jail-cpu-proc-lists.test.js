'use strict';
// Enumerations: kd.vnets(), kd.jails(), kd.cpus()/cpuGlobals(), kd.procs() and kd.dumpThread()
// equal expected.json on both flavours, arm64, and a machine with sparse CPU ids.
const test = require('node:test');
const assert = require('node:assert/strict');
const { Kvm } = require('..');
const { simImage } = require('./helpers/sim-image');
const { big, demoWith } = require('./helpers/sim-vnet');

const CASES = [
  { label: 'fbsd14 amd64', opts: { scenario: 'demo' } },
  { label: 'fbsd12 amd64', opts: { scenario: 'demo', flavour: 'fbsd12' } },
  { label: 'fbsd14 arm64', opts: { scenario: 'demo', arch: 'arm64' } },
  { label: 'sparse CPUs 0,2,5,7', opts: { scenario: demoWith({ cpus: [0, 2, 5, 7], dump: { jail: 'db', cpu: 5, inNetworkCode: true } }) } },
];

for (const c of CASES) {
  test(`${c.label}: vnets, jails, CPUs, processes and the dumping thread`, async () => {
    const { kernel, core, expected: e } = await simImage(c.opts);
    const kd = Kvm.open({ kernel, core });
    try {
      const vnets = kd.vnets();
      assert.deepEqual(vnets.map((v) => v.address), e.vnets.map((v) => big(v.address)));
      e.vnets.forEach((x, i) => {
        const v = vnets[i];
        assert.equal(v.dataMem, big(x.dataMem));
        assert.equal(v.dataBase, big(x.dataBase));
        assert.equal('0x' + v.magic.toString(16), x.magic);
        assert.equal(v.magicKind, c.opts.flavour === 'fbsd12' ? 'old' : 'current');
        assert.equal(v.ifcnt, x.ifcnt);
        assert.equal(v.problem, null);
        assert.equal(v.isVnet0, i === e.vnets.length - 1);
        assert.deepEqual(v.jails.map((j) => j.jid).sort(), [...x.jails].sort(), `jails of vnet ${x.address}`);
        assert.ok(v.jails.some((j) => j.jid === x.ownerJid && j.ownsVnet));
      });
      assert.deepEqual(kd.vnetList().map((v) => v.address), vnets.map((v) => v.address));

      assert.deepEqual(kd.jails().map((j) => ({ ...j, address: '0x' + j.address.toString(16), vnet: j.vnet === 0n ? null : '0x' + j.vnet.toString(16) })), e.jails);

      const cpus = kd.cpus();
      assert.deepEqual(cpus.map((x) => [x.id, x.dpcpuOff, x.pcpu]), e.cpus.map((x) => [x.id, big(x.dpcpuOff), big(x.pcpu)]));
      assert.deepEqual(kd.cpuList(), cpus);
      const g = kd.cpuGlobals();
      assert.equal(g.ncpus, e.mp.ncpus);
      assert.equal(g.maxId, e.mp.maxid);
      assert.ok(g.maxCpus > g.maxId);

      const jidOf = new Map(kd.jails().map((j) => [j.address, j.jid]));
      const procs = kd.procs().map((p) => ({
        pid: p.pid, comm: p.comm, address: '0x' + p.address.toString(16), jid: jidOf.get(p.prison),
        threads: p.threads.map((t) => ({ tid: t.tid, address: '0x' + t.address.toString(16), name: t.name, cpu: t.cpu, vnet: t.vnet === 0n ? null : '0x' + t.vnet.toString(16) })),
      }));
      const byPid = (a, b) => a.pid - b.pid;
      assert.deepEqual([...procs].sort(byPid), [...e.procs].sort(byPid));

      const d = kd.dumpThread();
      assert.deepEqual([d.thread.tid, d.proc.pid, d.thread.cpu], [e.dump.tid, e.dump.pid, e.dump.cpu]);
      assert.equal(d.thread.vnet, big(e.dump.tdVnet) ?? 0n);
    } finally {
      kd.close();
    }
  });
}
