'use strict';
// Choosing a vnet (jail name, jid, pid, address, vnet0, 'current' and how it was found), choosing
// a CPU, libkvm's vs DDB's lookup order, and a kernel without VIMAGE.
const test = require('node:test');
const assert = require('node:assert/strict');
const { Kvm, KvmError } = require('..');
const { simImage } = require('./helpers/sim-image');
const { big, demoWith } = require('./helpers/sim-vnet');

const isCode = (code) => (e) => e instanceof KvmError && e.code === code;

function open(img) {
  return Kvm.open({ kernel: img.kernel, core: img.core });
}

test('setVnet by jail name, jid, pid, address and vnet0 translates into that vnet', async () => {
  const img = await simImage({ scenario: 'demo' });
  const e = img.expected;
  const vnetOfJail = (jid) => e.vnets.find((v) => v.jails.includes(jid));
  const kd = open(img);
  try {
    const cases = [
      [{ jail: 'web' }, 1, 'jail web (jid 1)'],
      [{ jail: 2 }, 2, 'jail db (jid 2)'],
      [{ jail: '2' }, 2, 'jail db (jid 2)'],
      [{ jail: 'build' }, 3, 'jail build (jid 3)'],
      [{ jail: 0 }, 0, 'host (jid 0)'],
      [{ pid: 3001 }, 2, 'pid 3001 in jail db (jid 2)'],
      [{ pid: 4001 }, 3, 'pid 4001 in jail build (jid 3)'],
      [{ pid: 412 }, 0, 'pid 412 in host (jid 0)'],
    ];
    for (const [sel, jid, how] of cases) {
      const v = vnetOfJail(jid);
      const choice = kd.setVnet(sel);
      assert.equal(choice.vnet.address, big(v.address), JSON.stringify(sel));
      assert.equal(choice.how, how);
      assert.equal(kd.symbol('tcpstat').value, big(v.translated.tcpstat));
      assert.equal(kd.selection.vnet.how, how);
    }
    const db = vnetOfJail(2);
    assert.equal(kd.setVnet(big(db.address)).how, 'address');
    assert.equal(kd.symbol('udpstat').value, big(db.translated.udpstat));
    const v0 = kd.setVnet('vnet0');
    assert.equal(v0.vnet.address, big(e.vnets[e.vnets.length - 1].address));
    // Per-call options do not change the selection.
    assert.equal(kd.resolve('ipstat', { vnet: { jail: 'db' } }).value, big(db.translated.ipstat));
    assert.equal(kd.selection.vnet.how, 'vnet0');

    assert.throws(() => kd.setVnet(Number(db.address)), TypeError);
    assert.throws(() => kd.setVnet({ jail: 'nosuch' }), (x) => isCode('NO_VNET')(x) && /no jail "nosuch".*1 \(web\)/.test(x.message));
    assert.throws(() => kd.setVnet({ pid: 999 }), (x) => isCode('NO_VNET')(x) && /pid 999/.test(x.message));
    assert.throws(() => kd.setVnet(0n), isCode('NO_VNET'));
    assert.throws(() => kd.setCpu(4), (x) => isCode('NO_CPU')(x) && /present: 0, 1, 2, 3/.test(x.message));
    assert.throws(() => kd.resolve('pcputicks', { cpu: 9 }), isCode('NO_CPU'));
  } finally {
    kd.close();
  }
});

test("'current' is the dumping thread's td_vnet, else its process's jail's vnet, else vnet0", async () => {
  const cases = [
    { dump: { jail: 'web', cpu: 2, inNetworkCode: true }, how: (e) => `dumping thread ${e.dump.tid}'s td_vnet`, jid: 1 },
    { dump: { jail: 'db', cpu: 1, inNetworkCode: false }, how: (e) => `dumping thread ${e.dump.tid}'s process (pid ${e.dump.pid}) in jail db (jid 2)`, jid: 2 },
    { dump: { jail: 'build', cpu: 3 }, how: (e) => `dumping thread ${e.dump.tid}'s process (pid ${e.dump.pid}) in jail build (jid 3)`, jid: 3 },
    { dump: { jail: 'web', noDumptid: true }, how: () => 'vnet0: no dumping thread (dumptid is 0)', jid: 0 },
  ];
  for (const c of cases) {
    const img = await simImage({ scenario: demoWith({ dump: c.dump }) });
    const e = img.expected;
    const kd = open(img);
    try {
      const choice = kd.setVnet('current');
      const want = e.vnets.find((v) => v.jails.includes(c.jid));
      assert.equal(choice.vnet.address, big(want.address), JSON.stringify(c.dump));
      assert.equal(choice.how, c.how(e));
      if (!c.dump.noDumptid) {
        assert.equal(choice.vnet.address, big(e.dump.tdVnet ?? e.dump.procVnet));
        assert.equal(kd.dumpThread().thread.cpu, c.dump.cpu ?? null);
      } else {
        assert.equal(kd.dumpThread(), null);
      }
    } finally {
      kd.close();
    }
  }
});

test('libkvm order (plain, vnet, per-CPU) and DDB order (plain, per-CPU, vnet) differ for modspace', async () => {
  // The kernel has both vnet_entry_modspace and pcpu_entry_modspace (the module reserves).
  const img = await simImage({ scenario: 'demo' });
  const kd = open(img);
  try {
    const vsym = kd.lookupPlain('vnet_entry_modspace');
    const psym = kd.lookupPlain('pcpu_entry_modspace');
    assert.ok(vsym && psym);
    const web = kd.jails().find((j) => j.name === 'web');
    const vnet = kd.vnets().find((v) => v.address === web.vnet);
    const cpu1 = kd.cpus().find((c) => c.id === 1);
    const opts = { vnet: { jail: 'web' }, cpu: 1 };
    const lib = kd.resolve('modspace', { ...opts, order: 'libkvm' });
    const ddb = kd.resolve('modspace', { ...opts, order: 'ddb' });
    assert.deepEqual([lib.kind, lib.symbol, lib.value], ['vnet', 'vnet_entry_modspace', BigInt.asUintN(64, vsym.value + vnet.dataBase)]);
    assert.deepEqual([ddb.kind, ddb.symbol, ddb.value], ['pcpu', 'pcpu_entry_modspace', BigInt.asUintN(64, psym.value + cpu1.dpcpuOff)]);
    assert.equal(kd.resolve('modspace').kind, 'vnet', 'libkvm order is the default');
    // Names in only one set resolve the same in both orders; plain symbols win in both.
    for (const name of ['tcpstat', 'pcputicks', 'hz']) {
      assert.deepEqual(kd.resolve(name, { ...opts, order: 'ddb' }), kd.resolve(name, { ...opts, order: 'libkvm' }), name);
    }
    assert.equal(kd.resolve('hz', { order: 'ddb' }).kind, 'plain');
    assert.throws(() => kd.resolve('hz', { order: 'gdb' }), RangeError);
    assert.equal(kd.resolve('nosuch', { order: 'ddb' }), null);
  } finally {
    kd.close();
  }
});

test('a kernel without VIMAGE: names resolve plainly, vnet calls say NO_VNET, CPUs still work', async () => {
  const img = await simImage({ scenario: demoWith({ noVnetJails: true, dump: { jail: 'web', cpu: 1 } }), flavour: 'novimage' });
  const e = img.expected;
  assert.equal(e.kernel.vimage, false);
  const kd = open(img);
  try {
    assert.equal(kd.selection.vnet, null);
    for (const [name, addr] of Object.entries(e.vnets[0].translated)) {
      if (addr === null) continue;
      const r = kd.resolve(name);
      assert.deepEqual([r.kind, r.value], ['plain', BigInt(addr)], name);
    }
    for (const call of [() => kd.setVnet('vnet0'), () => kd.setVnet('current'), () => kd.setVnet({ jail: 'web' }), () => kd.setVnet({ pid: 1 }),
      () => kd.vnets(), () => kd.vnetList(), () => kd.perVnet('tcpstat'), () => kd.resolve('tcpstat', { vnet: 'vnet0' })]) {
      assert.throws(call, (x) => isCode('NO_VNET')(x) && /not a VIMAGE kernel/.test(x.message));
    }
    assert.ok(kd.jails().every((j) => j.vnet === 0n));
    const c = e.cpus.find((x) => x.id === 1);
    assert.equal(kd.resolve('pcputicks', { cpu: 1 }).value, big(c.pcputicksAddress));
    assert.equal(kd.dumpThread().thread.cpu, 1);
  } finally {
    kd.close();
  }
});
