'use strict';
// kvm-netstat --libxo json parsed and compared field by field with expected.json; a scenario of
// 10 interfaces x 3 addresses per vnet with counters near 2^64 (column widths, exact bigints);
// a kernel without VIMAGE.
const test = require('node:test');
const assert = require('node:assert/strict');
const { renderNetstat } = require('../dist/netstat');
const { simImage } = require('./helpers/sim-image');
const { viewOf, expectedVnet, netstat } = require('./helpers/netstat-expected');

const M64 = (1n << 64n) - 1n;

function ok(i, args) {
  const r = netstat(['-M', i.core, '-N', i.kernel, ...args]);
  assert.equal(r.stderr, '', `no stderr for ${args.join(' ')}`);
  assert.equal(r.status, 0, `exit 0 for ${args.join(' ')}`);
  return r.stdout;
}

test('-i --libxo json: one object per row, fields equal expected.json', async () => {
  const img = await simImage({ scenario: 'demo' });
  const v = expectedVnet(img.expected, 1);
  for (const spelling of [['--libxo', 'json'], ['--libxo=json'], ['--libxo', 'json,pretty']]) {
    const doc = JSON.parse(ok(img, ['-j', 'web', '-i', '-b', ...spelling]));
    const rows = doc.statistics.interface;
    const want = v.interfaces.flatMap((i) => [
      {
        name: i.name, flags: `0x${i.flags.toString(16)}`, mtu: i.mtu, network: `<Link#${i.index}>`, address: i.mac ?? i.name,
        'received-packets': Number(i.counters.ipackets), 'received-errors': Number(i.counters.ierrors),
        'dropped-packets': Number(i.counters.iqdrops), 'received-bytes': Number(i.counters.ibytes),
        'sent-packets': Number(i.counters.opackets), 'send-errors': Number(i.counters.oerrors),
        'sent-bytes': Number(i.counters.obytes), collisions: Number(i.counters.collisions),
      },
      ...i.addresses.map((a) => ({
        name: i.name, flags: `0x${i.flags.toString(16)}`,
        network: a.family === 'inet' ? `${a.address.split('.').slice(0, 3).join('.')}.0/${a.prefixlen}` : `fe80::%${i.name}/${a.prefixlen}`,
        address: a.family === 'inet' ? a.address : `${a.address}%${i.name}`,
        'received-packets': Number(a.counters.ipackets), 'received-bytes': Number(a.counters.ibytes),
        'sent-packets': Number(a.counters.opackets), 'sent-bytes': Number(a.counters.obytes),
      })),
    ]);
    assert.deepEqual(rows, want, spelling.join(' '));
  }
});

test('-s --libxo json: protocol containers keyed as netstat, values equal expected.json', async () => {
  const img = await simImage({ scenario: 'demo' });
  const v = expectedVnet(img.expected, 2);
  const doc = JSON.parse(ok(img, ['-j', 'db', '-s', '--libxo', 'json']));
  assert.deepEqual(Object.keys(doc.statistics), ['tcp', 'udp', 'ip', 'icmp', 'ip6', 'icmp6']);
  const t = v.stats.tcpstat;
  assert.equal(doc.statistics.tcp['sent-packets'], Number(t.tcps_sndtotal));
  assert.equal(doc.statistics.tcp['connection-requests'], Number(t.tcps_connattempt));
  assert.equal(doc.statistics.udp['dropped-no-socket'], Number(v.stats.udpstat.udps_noport));
  assert.equal(doc.statistics.ip['received-packets'], Number(v.stats.ipstat.ips_total));
  const states = doc.statistics.tcp['TCP connection count by state'];
  assert.deepEqual(Object.values(states), v.tcpStates.map(Number));
  assert.equal(states.LISTEN, Number(v.tcpStates[1]));
});

test('--all-vnets --libxo json: a list of vnets with their jails and statistics', async () => {
  const img = await simImage({ scenario: 'demo' });
  const doc = JSON.parse(ok(img, ['--all-vnets', '-s', '-p', 'ip', '--libxo', 'json']));
  assert.deepEqual(doc.map((x) => [x.vnet, x.jails]), [
    [expectedVnet(img.expected, 0).address, [{ jid: 0, name: 'host' }, { jid: 3, name: 'build' }]],
    [expectedVnet(img.expected, 1).address, [{ jid: 1, name: 'web' }]],
    [expectedVnet(img.expected, 2).address, [{ jid: 2, name: 'db' }]],
  ]);
  doc.forEach((x, k) => assert.equal(x.statistics.ip['received-packets'], Number(expectedVnet(img.expected, k).stats.ipstat.ips_total)));
});

/** 10 interfaces x 3 addresses, counters counting down from 2^64-1. */
function wideStack(tag, k) {
  return Array.from({ length: 10 }, (_, i) => ({
    name: `${tag}${i}`,
    mac: `02:00:00:00:${k.toString(16).padStart(2, '0')}:${i.toString(16).padStart(2, '0')}`,
    up: i !== 9,
    counters: {
      ipackets: (M64 - BigInt(i)).toString(), ierrors: (M64 - 100n).toString(), opackets: (M64 - 1000n * BigInt(i)).toString(),
      oerrors: '0', collisions: '12345678901234567890', ibytes: M64.toString(), obytes: (1n << 63n).toString(),
      imcasts: '0', omcasts: '0', iqdrops: (M64 - 7n).toString(), oqdrops: (M64 - 3n).toString(), noproto: '0',
    },
    addresses: [
      { address: `10.${k}.${i}.1/24`, counters: { ipackets: (M64 - 1n).toString(), opackets: '1', ibytes: M64.toString(), obytes: '0' } },
      { address: `2001:db8:${k}:${i}::1/64` },
      { address: `fe80::${k}:${i}/64`, counters: { ipackets: '9007199254740993', opackets: '18446744073709551614', ibytes: '0', obytes: '1' } },
    ],
  }));
}

const WIDE = {
  name: 'wide',
  cpus: [0, 1, 2, 3, 5, 8],
  host: { interfaces: wideStack('ix', 0), stats: { tcpstat: { tcps_sndtotal: M64.toString(), tcps_connattempt: '1' }, udpstat: { udps_ipackets: (M64 - 1n).toString() } } },
  jails: [{ jid: 7, name: 'wide', vnet: true, interfaces: wideStack('vtnet', 1) }],
};

test('wide scenario: 10 interfaces x 3 addresses, counters near 2^64 (widths and exact values)', async () => {
  const img = await simImage({ scenario: WIDE });
  for (const [jid, sel] of [[0, []], [7, ['-j', 'wide']]]) {
    const view = viewOf(img.expected, expectedVnet(img.expected, jid));
    for (const args of [['-i'], ['-i', '-b', '-d'], ['-i', '-h'], ['-i', '--compat', '13'], ['-i', '--compat', '13', '-W', '-b']]) {
      const o = { i: true, b: args.includes('-b'), d: args.includes('-d'), h: args.includes('-h'), W: args.includes('-W'), compat: args.includes('--compat') ? 13 : 14 };
      assert.equal(ok(img, [...sel, ...args]), renderNetstat(o, [view]), `${sel.join(' ')} ${args.join(' ')}`);
    }
  }
  const lines = ok(img, ['-i', '-b']).split('\n');
  // max_num_len(2^64-1) is 21 (its `> 10` test counts one more than the 20 digits): every counter
  // column is 21 wide; Name 5, Network 17 (2001:db8:0:9::/64), Address 17 (a MAC)
  const row = (name, mtu, net, addr, cols) => `${name.padEnd(5)} ${mtu.padStart(5)} ${net.padEnd(17)}  ${addr.padEnd(17)} ${cols.map((c) => String(c).padStart(21)).join(' ')}`;
  assert.equal(lines[0], row('Name', 'Mtu', 'Network', 'Address', ['Ipkts', 'Ierrs', 'Idrop', 'Ibytes', 'Opkts', 'Oerrs', 'Obytes', 'Coll']));
  assert.equal(lines[1], row('ix0', '1500', '<Link#1>', '02:00:00:00:00:00',
    [M64, M64 - 100n, M64 - 7n, M64, M64, 0, 1n << 63n, '12345678901234567890']));
  assert.equal(lines[2], row('ix0', '-', '10.0.0.0/24', '10.0.0.1', [M64 - 1n, '-', '-', M64, 1, '-', 0, '-']));
  assert.match(lines[3], /^ix0 {7}- 2001:db8::\/64 {6}2001:db8::1 {7}/);
  assert.equal(lines[4], row('ix0', '-', 'fe80::%ix0/64', 'fe80::%ix0', ['9007199254740993', '-', '-', 0, M64 - 1n, '-', 1, '-']));
  assert.equal(lines.filter((l) => l.startsWith('ix9*')).length, 4, 'a down interface: name with * on its 4 rows');
  // JSON keeps every digit
  const json = ok(img, ['-i', '-I', 'ix0', '--libxo', 'json']);
  assert.match(json, /"received-packets":18446744073709551615,"received-errors":18446744073709551515,"dropped-packets":18446744073709551608,/);
  assert.match(json, /"received-packets":9007199254740993,"sent-packets":18446744073709551614\}/);
  // explicit statistics near 2^64
  const s = ok(img, ['-s', '-p', 'tcp']).split('\n');
  assert.equal(s[1], '\t18446744073709551615 packets sent');
  assert.ok(s.includes('\t1 connection request'));
  assert.ok(ok(img, ['-s', '-p', 'udp']).split('\n').includes('\t18446744073709551614 datagrams received'));
});

const NOVIMAGE = {
  name: 'novimage-cli',
  host: { interfaces: [{ name: 'em0', mac: '08:00:27:00:00:01', addresses: [{ address: '192.0.2.10/24' }] }, { name: 'lo0', type: 'loop', mtu: 16384, addresses: [{ address: '127.0.0.1/8' }] }] },
  jails: [{ jid: 2, name: 'mail', vnet: false }],
};

test('a kernel without VIMAGE: -i and -s of its one stack; -j names a jail of it', async () => {
  const img = await simImage({ scenario: NOVIMAGE, flavour: 'novimage' });
  const view = viewOf(img.expected, img.expected.vnets[0]);
  const i = ok(img, ['-i']);
  assert.equal(i, renderNetstat({ i: true }, [view]));
  assert.equal(ok(img, ['-j', 'mail', '-i']), i);
  assert.equal(ok(img, ['-s']), renderNetstat({ s: 1 }, [view]));
  assert.match(i, /^em0 +1500 <Link#1> +08:00:27:00:00:01 /m);
});
