'use strict';
// --libxo json[,pretty]: libxo 1.6's structure, keys and separators (contrib/libxo/libxo/libxo.c),
// checked as exact strings for small cases and field by field after parsing for larger ones.
const test = require('node:test');
const assert = require('node:assert/strict');
const { renderNetstat } = require('../dist/netstat');
const d = require('./helpers/netstat-data');

const JSON_ = { json: true, pretty: false };
const PRETTY = { json: true, pretty: true };
const M64 = (1n << 64n) - 1n;

function loOnly() {
  return d.vnet([
    d.iface('lo0', 2, {
      flags: 0x8049,
      mtu: 16384,
      link: d.link('lo0', null, 0x18),
      counters: { ipackets: 1212, opackets: 1212, ibytes: 96464, obytes: 96464, oqdrops: 3 },
      addresses: [d.inet('127.0.0.1', 8, { ipackets: 1212, opackets: 1212, ibytes: 96464, obytes: 96464 })],
    }),
  ]);
}

test('-i non-pretty: exact bytes, libxo separators, -d repeats dropped-packets', () => {
  assert.equal(
    renderNetstat({ i: true, d: true, libxo: JSON_ }, [loOnly()]),
    '{"statistics": {"interface": [' +
      '{"name":"lo0","flags":"0x8049","mtu":16384,"network":"<Link#2>","address":"lo0",' +
      '"received-packets":1212,"received-errors":0,"dropped-packets":0,"sent-packets":1212,' +
      '"send-errors":0,"collisions":0,"dropped-packets":3}, ' +
      '{"name":"lo0","flags":"0x8049","network":"127.0.0.0/8","address":"127.0.0.1",' +
      '"received-packets":1212,"sent-packets":1212}]}\n}\n',
  );
});

test('-ib pretty: exact bytes, two-space indentation', () => {
  assert.equal(
    renderNetstat({ i: true, b: true, libxo: PRETTY }, [loOnly()]),
    [
      '{',
      '  "statistics": {',
      '    "interface": [',
      '      {',
      '        "name": "lo0",',
      '        "flags": "0x8049",',
      '        "mtu": 16384,',
      '        "network": "<Link#2>",',
      '        "address": "lo0",',
      '        "received-packets": 1212,',
      '        "received-errors": 0,',
      '        "dropped-packets": 0,',
      '        "received-bytes": 96464,',
      '        "sent-packets": 1212,',
      '        "send-errors": 0,',
      '        "sent-bytes": 96464,',
      '        "collisions": 0',
      '      },',
      '      {',
      '        "name": "lo0",',
      '        "flags": "0x8049",',
      '        "network": "127.0.0.0/8",',
      '        "address": "127.0.0.1",',
      '        "received-packets": 1212,',
      '        "received-bytes": 96464,',
      '        "sent-packets": 1212,',
      '        "sent-bytes": 96464',
      '      }',
      '    ]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
});

test('-i: every row of the doc example, field by field', () => {
  const doc = JSON.parse(renderNetstat({ i: true, libxo: JSON_ }, [d.docExample()]));
  const rows = doc.statistics.interface;
  assert.equal(rows.length, 7);
  assert.deepEqual(rows[0], {
    name: 'em0',
    flags: '0x8843',
    mtu: 1500,
    network: '<Link#1>',
    address: '08:00:27:4f:3a:1c',
    'received-packets': 1523456,
    'received-errors': 3,
    'dropped-packets': 12,
    'sent-packets': 982310,
    'send-errors': 0,
    collisions: 0,
  });
  assert.deepEqual(rows[2], {
    name: 'em0',
    flags: '0x8843',
    network: 'fe80::%em0/64',
    address: 'fe80::a00:27ff:fe4f:3a1c%em0',
    'received-packets': 0,
    'sent-packets': 2,
  });
  assert.deepEqual(rows.map((r) => r.network), [
    '<Link#1>', '10.0.2.0/24', 'fe80::%em0/64', '<Link#2>', '::1/128', 'fe80::%lo0/64', '127.0.0.0/8',
  ]);
  assert.ok(rows.slice(1, 3).every((r) => !('mtu' in r) && !('received-errors' in r) && !('collisions' in r)));
  // the 13.x layout's JSON carries the full strings the text truncates
  const c13 = JSON.parse(renderNetstat({ i: true, compat: 13, libxo: JSON_ }, [d.docExample()]));
  assert.equal(c13.statistics.interface[2].address, 'fe80::a00:27ff:fe4f:3a1c%em0');
});

test('-h values are strings; counters past 2^53 keep all their digits', () => {
  const view = d.vnet([d.iface('ix0', 3, { counters: { ipackets: M64, opackets: (1n << 53n) + 1n } })]);
  const raw = renderNetstat({ i: true, libxo: JSON_ }, [view]);
  assert.match(raw, /"received-packets":18446744073709551615,/);
  assert.match(raw, /"sent-packets":9007199254740993,/);
  const h = JSON.parse(renderNetstat({ i: true, h: true, libxo: JSON_ }, [d.docExample()]));
  assert.equal(h.statistics.interface[0].mtu, '1.5K');
  assert.equal(h.statistics.interface[0]['received-packets'], '1.5M');
  assert.equal(h.statistics.interface[0]['sent-packets'], '982k');
  assert.equal(h.statistics.interface[0]['received-errors'], '3');
});

test('-i edge rows: no address key for an empty link, padded "none" for AF_UNSPEC, 13.x link truncation', () => {
  const ib = { type: 0xc7, nlen: 3, alen: 20, slen: 0, data: new Uint8Array([...Buffer.from('ib0'), ...Array(20).fill(0xab)]) };
  const view = d.vnet([
    d.iface('bridge0', 7, {
      link: { type: 0xd1, nlen: 0, alen: 0, slen: 0, data: new Uint8Array(0) },
      addresses: [{ family: 0, addr: new Uint8Array(16), netmask: null, dstaddr: null, counters: d.addrCounters({}) }],
    }),
    d.iface('ib0', 9, { link: ib }),
  ]);
  const rows = JSON.parse(renderNetstat({ i: true, libxo: JSON_ }, [view])).statistics.interface;
  assert.ok(!('address' in rows[0]));
  assert.equal(rows[1].network, 'none    '); // {:network/%-*.*s} has no trim modifier
  assert.equal(rows[2].address, Array(20).fill('ab').join(':'));
  const old = JSON.parse(renderNetstat({ i: true, compat: 13, libxo: JSON_ }, [view])).statistics.interface;
  assert.equal(old[2].address, 'ab:ab:ab:ab:ab:ab'); // %-17.17s applies to the encoding too
  assert.equal(old[1].network, 'none         ');
});

test('-s non-pretty: exact bytes, containers after values use ", "', () => {
  const tcp = d.record(d.TCPSTAT_14_2, () => 0);
  tcp.tcps_sndtotal = 5n;
  tcp.tcps_sc_added = 2n;
  tcp.tcps_rcvghostack = 1n;
  const states = d.zeros(11);
  states[1] = 3n;
  const udp = d.record(d.UDPSTAT, () => 0);
  udp.udps_ipackets = 7n;
  assert.equal(
    renderNetstat({ s: 2, libxo: JSON_ }, [d.vnet([], { tcp, tcpStates: states, udp })]),
    '{"statistics": {"tcp": {"sent-packets":5,"received-acks-for-data-never-been-sent":1, ' +
      '"syncache": {"entries-added":2}, "hostcache": {}, "sack": {}, "ecn": {}, "tcp-signature": {}, ' +
      '"pmtud": {}, "tw": {}, "TCP connection count by state": {"LISTEN":3}}, ' +
      '"udp": {"received-datagrams":7,"delivered-packets":7}}\n}\n',
  );
  // a value after a closed container is preceded by a bare ","
  const icmp6 = d.icmp6Record(() => 0);
  icmp6.icp6s_invlhlim = 1n;
  icmp6.icp6s_pmtuchg = 2n;
  assert.equal(
    renderNetstat({ s: 2, p: 'icmp6', libxo: JSON_ }, [d.vnet([], { icmp6 })]),
    '{"statistics": {"icmp6": {"errors": {"dropped-invalid-hop-limit":1},"path-mtu-changes":2}}\n}\n',
  );
});

test('-s pretty: histogram list, exact bytes; empty statistics', () => {
  const icmp = d.icmpRecord(() => 0);
  icmp.icps_inhist[0] = 2n;
  icmp.icps_inhist[8] = 3n;
  assert.equal(
    renderNetstat({ s: 2, p: 'icmp', libxo: PRETTY }, [d.vnet([], { icmp })]),
    [
      '{',
      '  "statistics": {',
      '    "icmp": {',
      '      "input-histogram": [',
      '        {',
      '          "name": "echo reply",',
      '          "count": 2',
      '        },',
      '        {',
      '          "name": "echo",',
      '          "count": 3',
      '        }',
      '      ]',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  assert.equal(renderNetstat({ s: 1, libxo: JSON_ }, [d.vnet([], {})]), '{"statistics": {}\n}\n');
  assert.equal(renderNetstat({ s: 1, libxo: PRETTY }, [d.vnet([], {})]), '{\n  "statistics": {\n\n  }\n}\n');
});

test('-s: nested containers, lists and keys of every protocol, field by field', () => {
  const seq = (m, i) => i + 1;
  const ip6 = d.ip6Record(seq);
  ip6.ip6s_nxthist[17] = 4n;
  ip6.ip6s_m2m[0] = 1n;
  ip6.ip6s_m2m[1] = 2n;
  ip6.ip6s_sources_sameif[2] = 5n;
  ip6.ip6s_sources_sameif[3] = 6n;
  ip6.ip6s_sources_otherif[0] = 7n;
  ip6.ip6s_sources_rule[14] = 8n;
  const icmp = d.icmpRecord(seq);
  icmp.icps_outhist[3] = 9n;
  const states = d.zeros(11);
  states[4] = 12n;
  const all = {
    tcp: d.record(d.TCPSTAT_14_1, seq),
    tcpStates: states,
    udp: d.record(d.UDPSTAT, seq),
    ip: d.record(d.IPSTAT, seq),
    icmp,
    ip6,
    icmp6: d.icmp6Record(seq),
    rip6: d.record(d.RIP6STAT, seq),
  };
  const s = JSON.parse(renderNetstat({ s: 1, libxo: JSON_ }, [d.vnet(d.docExample().interfaces, all)])).statistics;
  assert.deepEqual(Object.keys(s), ['tcp', 'udp', 'ip', 'icmp', 'ip6', 'icmp6', 'rip6']);
  assert.equal(s.tcp['sent-packets'], 18);
  assert.equal(s.tcp['received-acks-for-unsent-data'], 47); // 14.1 key
  assert.equal(s.tcp['connection-drops'], 4);
  assert.equal(s.tcp.syncache['receivd-cookies'], 80);
  assert.equal(s.tcp.hostcache['buffer-overflows'], 82);
  assert.equal(s.tcp.sack['lost-retransmissions'], 89);
  assert.equal(s.tcp.ecn['ace-ce-syn'], 115);
  assert.equal(s.tcp['tcp-signature']['no-signature-provided'], 100);
  assert.equal(s.tcp.pmtud['pmtud-failed'], 103);
  assert.equal(s.tcp.tw.tw_responds, 111);
  assert.deepEqual(s.tcp['TCP connection count by state'], {
    CLOSED: 0, LISTEN: 0, SYN_SENT: 0, SYN_RCVD: 0, ESTABLISHED: 12, CLOSE_WAIT: 0, FIN_WAIT_1: 0,
    CLOSING: 0, LAST_ACK: 0, FIN_WAIT_2: 0, TIME_WAIT: 0,
  });
  assert.equal(s.udp['delivered-packets'], 18446744073709552000); // parsed as a double; raw text is exact
  assert.equal(s.ip['fast-forwarded-packets'], 11);
  assert.deepEqual(s.icmp['output-histogram'], [{ name: 'destination unreachable', count: 9 }]);
  assert.ok(!('input-histogram' in s.icmp));
  assert.equal(s.icmp['discard-invalid-return-address'], 11);
  assert.deepEqual(s.ip6['input-histogram'], [{ name: 'UDP', count: 4 }]);
  assert.deepEqual(s.ip6['mbuf-statistics'], {
    'one-mbuf': 25,
    'mbuf-data': [{ name: '(null)', count: 1 }, { name: 'em0', count: 2 }],
    'one-extra-mbuf': 26,
    'two-or-more-extra-mbufs': 27,
  });
  assert.deepEqual(s.ip6['source-address-selection'], {
    'address-selection-failures': 31,
    'outgoing-interface': [{ name: 'link-locals', count: 5 }, { name: '0x3', count: 6 }],
    'non-outgoing-interface': [{ name: '0', count: 7 }],
    'rules-applied': [{ name: 'longest match', count: 8 }],
  });
  assert.equal(s.icmp6.errors['no-route'], 1);
  assert.equal(s.icmp6.errors.reflect, 9);
  assert.equal(s.icmp6.errors['dropped-invalid-hop-limit'], 22);
  assert.equal(s.icmp6['path-mtu-changes'], 11);
  assert.ok(!('path-mtu-changes' in s.icmp6.errors));
  assert.equal(s.rip6['sent-packets'], 7);
});

test('--all-vnets: headed text blocks and a top-level JSON list', () => {
  const a = loOnly();
  const b = d.vnet([d.iface('epair0b', 5, { link: d.link('epair0b', '02:00:00:00:00:0b') })], {}, {
    address: 0xfffff80012345600n,
    jails: [{ jid: 3, name: 'web' }, { jid: 4, name: 'db' }],
  });
  const orphan = d.vnet([], {}, { address: 0xfffff80000000100n, jails: [] });
  const text = renderNetstat({ i: true, allVnets: true }, [a, b, orphan]);
  assert.deepEqual(text.split('\n'), [
    'vnet 0xfffff80003a1b000 (jails: 0 host)',
    'Name    Mtu Network      Address      Ipkts Ierrs Idrop    Opkts Oerrs  Coll',
    'lo0   16384 <Link#2>     lo0           1212     0     0     1212     0     0',
    'lo0       - 127.0.0.0/8  127.0.0.1     1212     -     -     1212     -     -',
    '',
    'vnet 0xfffff80012345600 (jails: 3 web, 4 db)',
    'Name      Mtu Network   Address              Ipkts Ierrs Idrop    Opkts Oerrs  Coll',
    'epair0b  1500 <Link#5>  02:00:00:00:00:0b        0     0     0        0     0     0',
    '',
    'vnet 0xfffff80000000100 (jails: none)',
    'Name    Mtu Network   Address     Ipkts Ierrs Idrop    Opkts Oerrs  Coll',
    '',
  ]);
  const json = renderNetstat({ s: 2, allVnets: true, libxo: JSON_ }, [a, b]);
  assert.equal(
    json,
    '[{"vnet":"0xfffff80003a1b000", "jails": [{"jid":0,"name":"host"}], "statistics": {}}, ' +
      '{"vnet":"0xfffff80012345600", "jails": [{"jid":3,"name":"web"}, {"jid":4,"name":"db"}], "statistics": {}}]\n',
  );
  const parsed = JSON.parse(renderNetstat({ i: true, allVnets: true, libxo: PRETTY }, [a, b]));
  assert.equal(parsed.length, 2);
  assert.equal(parsed[1].statistics.interface[0].name, 'epair0b');
  assert.deepEqual(parsed[1].jails, [{ jid: 3, name: 'web' }, { jid: 4, name: 'db' }]);
  assert.equal(renderNetstat({ i: true, allVnets: true, libxo: JSON_ }, []), '[]\n');
});

test('renderNetstat refuses bad option sets with user-facing messages', () => {
  const v = [d.docExample()];
  assert.throws(() => renderNetstat({}, v), { name: 'RangeError', message: /nothing to show/ });
  assert.throws(() => renderNetstat({ i: true, s: 1 }, v), { name: 'RangeError', message: /-i with -s/ });
  assert.throws(() => renderNetstat({ i: true }, [...v, ...v]), { name: 'RangeError', message: /one vnet/ });
  assert.throws(() => renderNetstat({ i: true, compat: 12 }, v), { name: 'RangeError', message: /--compat/ });
});
