'use strict';
// Corrupt kernel data: a cyclic vnet_head, a cyclic allprison, a vnet with a bad magic and a
// destroyed vnet. Walks end in KvmError('CORRUPT') naming the list; a bad vnet is listed with its
// problem rather than ending the listing, and selecting it is CORRUPT.
const test = require('node:test');
const assert = require('node:assert/strict');
const { Kvm, KvmError } = require('..');
const { simImage } = require('./helpers/sim-image');
const { big, demoWith, patched } = require('./helpers/sim-vnet');

const corrupt = (list) => (e) => e instanceof KvmError && e.code === 'CORRUPT' && e.name === 'KvmError' && e.message.includes(list);

test('a cyclic vnet_head is CORRUPT naming vnet_head', async () => {
  // vnet0 (last on the list) points back to the first vnet.
  const img = await patched('vnet-cycle', (kd, e) => [[big(e.vnets[e.vnets.length - 1].address), big(e.vnets[0].address)]]);
  const kd = Kvm.open({ kernel: img.kernel, core: img.core });
  try {
    for (const call of [() => kd.vnets(), () => kd.vnetList(), () => kd.perVnet('tcpstat')]) {
      assert.throws(call, (x) => corrupt('vnet_head')(x) && x.symbol === 'vnet_head' && /loops back to 0x/.test(x.message));
    }
    // Selection by pointer does not walk the list and still works.
    assert.equal(kd.setVnet({ jail: 'db' }).how, 'jail db (jid 2)');
  } finally {
    kd.close();
  }
});

test('a cyclic allprison is CORRUPT naming allprison', async () => {
  const img = await patched('jail-cycle', (kd, e) => {
    const last = e.jails[e.jails.length - 1];
    const next = BigInt(kd.offsetof('struct prison', 'pr_list.tqe_next'));
    return [[big(last.address) + next, big(e.jails[1].address)]];
  });
  const kd = Kvm.open({ kernel: img.kernel, core: img.core });
  try {
    assert.throws(() => kd.jails(), (x) => corrupt('allprison')(x) && x.symbol === 'allprison');
    assert.throws(() => kd.setVnet({ jail: 'web' }), corrupt('allprison'));
    // vnets() still lists the vnets, without jail names.
    assert.equal(kd.vnets().length, img.expected.vnets.length);
  } finally {
    kd.close();
  }
});

test('a vnet with a bad magic is listed with its problem; choosing it is CORRUPT', async () => {
  const img = await patched('bad-magic', (kd, e) => [[big(e.vnets[0].address) + 16n, { u32: 0x12345678 }]]);
  const bad = big(img.expected.vnets[0].address);
  const kd = Kvm.open({ kernel: img.kernel, core: img.core });
  try {
    const list = kd.vnets();
    assert.equal(list.length, img.expected.vnets.length);
    assert.equal(list[0].problem, 'bad magic 0x12345678');
    assert.equal(list[0].magicKind, 'bad');
    assert.ok(list.slice(1).every((v) => v.problem === null));
    const isBad = (x) => x instanceof KvmError && x.code === 'CORRUPT' && x.address === bad && /magic 0x12345678/.test(x.message);
    assert.throws(() => kd.setVnet(bad), isBad);
    assert.throws(() => kd.setVnet({ jail: 'db' }), isBad);
    assert.throws(() => kd.perVnet('tcpstat'), isBad);
    assert.throws(() => kd.pcpuStat('tcpstat', { vnet: bad }), isBad);
    // The others still read.
    assert.equal(kd.setVnet({ jail: 'web' }).how, 'jail web (jid 1)');
  } finally {
    kd.close();
  }
});

test('a destroyed vnet (magic 0xdeadbeef, off the list) is refused by name', async () => {
  const img = await simImage({ scenario: demoWith({ destroyedVnet: true }) });
  const dead = big(img.expected.destroyedVnet);
  assert.ok(dead);
  const kd = Kvm.open({ kernel: img.kernel, core: img.core });
  try {
    assert.ok(!kd.vnets().some((v) => v.address === dead));
    assert.throws(() => kd.setVnet(dead), (x) => x instanceof KvmError && x.code === 'CORRUPT' && /destroyed vnet \(magic 0xdeadbeef\)/.test(x.message));
  } finally {
    kd.close();
  }
});
