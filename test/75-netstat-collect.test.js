'use strict';
// kvm-netstat's data collection (lib/netstat/collect.ts) on simulated images: every interface,
// address, counter and statistics member must equal what the simulator wrote (expected.json).
const test = require('node:test');
const assert = require('node:assert/strict');
const { Kvm } = require('..');
const { collectVnet, selectTarget, allTargets } = require('../dist/netstat/collect.js');
const { simImage } = require('./helpers/sim-image');
const { big, viewOf, expectedVnet, STAT_KEYS } = require('./helpers/netstat-expected');

const ALL = ['tcp', 'udp', 'ip', 'icmp', 'ip6', 'icmp6', 'rip6'];
const FULL = { interfaces: 'full', protocols: ALL };

function open(img) {
  return Kvm.open({ kernel: img.kernel, core: img.core });
}

/** Compare a collected view with the one derived from expected.json, naming the first difference. */
function assertSameView(got, want, label) {
  assert.equal(got.address, want.address, `${label}: vnet address`);
  assert.deepEqual(got.jails, want.jails, `${label}: jails`);
  assert.deepEqual(got.interfaces.map((i) => i.name), want.interfaces.map((i) => i.name), `${label}: interface names in list order`);
  got.interfaces.forEach((gi, k) => {
    const wi = want.interfaces[k];
    const l = `${label} ${gi.name}`;
    assert.equal(gi.index, wi.index, `${l}: if_index`);
    assert.equal(gi.flags, wi.flags, `${l}: if_flags | if_drv_flags`);
    assert.equal(gi.mtu, wi.mtu, `${l}: mtu`);
    assert.deepEqual(gi.counters, wi.counters, `${l}: if_counters sums`);
    assert.equal(gi.link.type, wi.link.type, `${l}: sdl_type`);
    assert.equal(gi.link.nlen, wi.link.nlen, `${l}: sdl_nlen`);
    assert.equal(gi.link.alen, wi.link.alen, `${l}: sdl_alen`);
    assert.deepEqual(Buffer.from(gi.link.data), Buffer.from(wi.link.data), `${l}: sdl_data (name + MAC)`);
    assert.equal(gi.addresses.length, wi.addresses.length, `${l}: address count`);
    gi.addresses.forEach((ga, j) => {
      const wa = wi.addresses[j];
      assert.equal(ga.family, wa.family, `${l} addr ${j}: family`);
      assert.deepEqual(Buffer.from(ga.addr), Buffer.from(wa.addr), `${l} addr ${j}: sockaddr bytes`);
      // netmask: the bytes that matter (address part), widened to the family's length
      const span = wa.family === 'inet' ? [4, 8] : [8, 24];
      assert.deepEqual(Buffer.from(ga.netmask.subarray(...span)), Buffer.from(wa.netmask.subarray(...span)), `${l} addr ${j}: netmask`);
      assert.deepEqual(ga.counters, wa.counters, `${l} addr ${j}: ifa_ counters`);
    });
  });
  for (const k of Object.values(STAT_KEYS)) {
    assert.deepEqual(got.stats[k] ?? null, want.stats[k] ?? null, `${label}: ${k} statistics`);
  }
  assert.deepEqual(got.stats.tcpStates ?? null, want.stats.tcpStates ?? null, `${label}: tcps_states`);
}

test('demo (fbsd14): host and each jail, every value from expected.json', async () => {
  const img = await simImage({ scenario: 'demo' });
  const kd = open(img);
  try {
    const host = collectVnet(kd, selectTarget(kd), FULL);
    assert.deepEqual(host.warnings, []);
    assertSameView(host.view, viewOf(img.expected, expectedVnet(img.expected, 0)), 'host');
    // the host vnet is shared with the non-VNET jail build (jid 3)
    assert.deepEqual(host.view.jails, [{ jid: 0, name: 'host' }, { jid: 3, name: 'build' }]);
    for (const [key, jid] of [['web', 1], ['2', 2], [3, 0]]) {
      const v = collectVnet(kd, selectTarget(kd, { jail: key }), FULL).view;
      assertSameView(v, viewOf(img.expected, expectedVnet(img.expected, jid)), `jail ${key}`);
    }
    // --vnet by address and 'current' (the dump was taken in jail web's network code)
    const web = expectedVnet(img.expected, 1);
    assert.equal(selectTarget(kd, { vnet: BigInt(web.address) }).address, BigInt(web.address));
    assert.equal(selectTarget(kd, { vnet: 'current' }).address, BigInt(img.expected.dump.tdVnet));
    assert.equal(selectTarget(kd, { vnet: 'vnet0' }).address, BigInt(expectedVnet(img.expected, 0).address));
  } finally {
    kd.close();
  }
});

test('demo: what is read follows the options (names only for -s, one protocol for -p)', async () => {
  const img = await simImage({ scenario: 'demo' });
  const kd = open(img);
  try {
    const t = selectTarget(kd, { jail: 'web' });
    const names = collectVnet(kd, t, { interfaces: 'names', protocols: ['tcp'] }).view;
    assert.deepEqual(names.interfaces.map((i) => [i.name, i.index, i.addresses.length]), [['lo0', 6, 0], ['epair0b', 7, 0]]);
    assert.deepEqual(Object.keys(names.stats).sort(), ['tcp', 'tcpStates']);
    const none = collectVnet(kd, t, { interfaces: 'none', protocols: [] }).view;
    assert.deepEqual(none.interfaces, []);
    assert.deepEqual(none.stats, {});
    assert.equal(names.stats.tcp.tcps_sndtotal, BigInt(expectedVnet(img.expected, 1).stats.tcpstat.tcps_sndtotal));
  } finally {
    kd.close();
  }
});

test('allTargets: vnet0 first, then every VNET jail in creation order, with their jails', async () => {
  const img = await simImage({ scenario: 'demo' });
  const kd = open(img);
  try {
    const { targets, problems } = allTargets(kd);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      targets.map((t) => [t.address, t.jails]),
      [
        [BigInt(expectedVnet(img.expected, 0).address), [{ jid: 0, name: 'host' }, { jid: 3, name: 'build' }]],
        [BigInt(expectedVnet(img.expected, 1).address), [{ jid: 1, name: 'web' }]],
        [BigInt(expectedVnet(img.expected, 2).address), [{ jid: 2, name: 'db' }]],
      ],
    );
  } finally {
    kd.close();
  }
});

test('fbsd12 flavour: 12.x ifnet/ifaddr layouts (ifa_rtrequest), old tcpstat, absolute counters', async () => {
  const img = await simImage({ scenario: 'demo', flavour: 'fbsd12' });
  const kd = open(img);
  try {
    for (const jid of [0, 1, 2]) {
      const v = collectVnet(kd, selectTarget(kd, jid === 0 ? {} : { jail: jid }), FULL).view;
      assertSameView(v, viewOf(img.expected, expectedVnet(img.expected, jid)), `fbsd12 jid ${jid}`);
    }
    const tcp = collectVnet(kd, selectTarget(kd), { interfaces: 'none', protocols: ['tcp'] }).view.stats.tcp;
    assert.equal(tcp.tcps_rcvghostack, undefined, '12.x has no ghost-ack counter: absent, not invented');
  } finally {
    kd.close();
  }
});

const NOVIMAGE = {
  name: 'novimage',
  host: {
    interfaces: [
      { name: 'vtnet0', mac: '52:54:00:12:34:56', addresses: [{ address: '10.1.1.5/24' }, { address: 'fe80::5054:ff:fe12:3456/64' }] },
      { name: 'lo0', type: 'loop', mtu: 16384, addresses: [{ address: '127.0.0.1/8' }] },
    ],
  },
  jails: [{ jid: 4, name: 'plain', vnet: false }],
};

test('novimage kernel: the single stack from plain globals; -j checks the jail and shows that stack', async () => {
  const img = await simImage({ scenario: NOVIMAGE, flavour: 'novimage' });
  const kd = open(img);
  try {
    const t = selectTarget(kd);
    assert.equal(t.dataBase, null);
    const want = viewOf(img.expected, img.expected.vnets[0]);
    want.jails = [{ jid: 0, name: 'host' }, { jid: 4, name: 'plain' }];
    assertSameView(collectVnet(kd, t, FULL).view, want, 'novimage');
    assertSameView(collectVnet(kd, selectTarget(kd, { jail: 'plain' }), FULL).view, want, 'novimage -j plain');
    assert.throws(() => selectTarget(kd, { jail: 'nope' }), { code: 'NO_VNET', message: 'no jail "nope" in this image; jails: 0 (host), 4 (plain)' });
    assert.throws(() => allTargets(kd), { code: 'NO_VNET', message: /is not a VIMAGE kernel: it has a single network stack \(drop --all-vnets\)$/ });
    assert.throws(() => selectTarget(kd, { vnet: 'vnet0' }), { code: 'NO_VNET', message: /is not a VIMAGE kernel/ });
  } finally {
    kd.close();
  }
});

test('statistics equal kd.pcpuStat() for every protocol array', async () => {
  const img = await simImage({ scenario: 'demo' });
  const kd = open(img);
  try {
    const v = collectVnet(kd, selectTarget(kd, { jail: 'db' }), { interfaces: 'none', protocols: ALL }).view;
    const vnet = BigInt(expectedVnet(img.expected, 2).address);
    for (const [arr, key] of Object.entries(STAT_KEYS)) {
      if (img.expected.vnets[0].stats[arr] === undefined) continue;
      assert.deepEqual(v.stats[key], kd.pcpuStat(arr, { vnet }).record, arr);
      assert.deepEqual(v.stats[key], big(expectedVnet(img.expected, 2).stats[arr]), `${arr} vs expected.json`);
    }
  } finally {
    kd.close();
  }
});
