'use strict';
// netstat -i text: the example tables of docs/freebsd-netstat.md (§2.3 for 14.x, §2.6 for 13.x)
// rebuilt from model data, plus width, filter and edge cases worked by hand from if.c.
const test = require('node:test');
const assert = require('node:assert/strict');
const { renderNetstat } = require('../dist/netstat');
const d = require('./helpers/netstat-data');

const render = (opts, view) => renderNetstat(opts, [view]);
const lines = (text) => {
  assert.ok(text.endsWith('\n'), 'output ends with a newline');
  return text.slice(0, -1).split('\n');
};
const M64 = (1n << 64n) - 1n;

test('§2.3 netstat -in, exact', () => {
  assert.deepEqual(lines(render({ i: true, n: true }, d.docExample())), [
    'Name    Mtu Network        Address                         Ipkts Ierrs Idrop    Opkts Oerrs  Coll',
    'em0    1500 <Link#1>       08:00:27:4f:3a:1c             1523456     3    12   982310     0     0',
    'em0       - 10.0.2.0/24    10.0.2.15                     1500120     -     -   980001     -     -',
    'em0       - fe80::%em0/64  fe80::a00:27ff:fe4f:3a1c%em0        0     -     -        2     -     -',
    'lo0   16384 <Link#2>       lo0                              1212     0     0     1212     0     0',
    'lo0       - ::1/128        ::1                                 0     -     -        0     -     -',
    'lo0       - fe80::%lo0/64  fe80::1%lo0                         0     -     -        0     -     -',
    'lo0       - 127.0.0.0/8    127.0.0.1                        1212     -     -     1212     -     -',
  ]);
  // -n is accepted but changes nothing: output is always numeric
  assert.equal(render({ i: true }, d.docExample()), render({ i: true, n: true }, d.docExample()));
});

test('§2.3 netstat -ibn: byte columns, max_num_len widens Ibytes to 11', () => {
  const out = lines(render({ i: true, b: true, n: true }, d.docExample()));
  assert.deepEqual(out.slice(0, 5), [
    'Name    Mtu Network        Address                         Ipkts Ierrs Idrop      Ibytes    Opkts Oerrs      Obytes  Coll',
    'em0    1500 <Link#1>       08:00:27:4f:3a:1c             1523456     3    12  2012345678   982310     0   123456789     0',
    'em0       - 10.0.2.0/24    10.0.2.15                     1500120     -     -  2000012345   980001     -   123000000     -',
    'em0       - fe80::%em0/64  fe80::a00:27ff:fe4f:3a1c%em0        0     -     -           0        2     -         152     -',
    'lo0   16384 <Link#2>       lo0                              1212     0     0       96464     1212     0       96464     0',
  ]);
});

test('§2.3 netstat -idn: Drop column with its trailing space on every row', () => {
  const out = lines(render({ i: true, d: true, n: true }, d.docExample()));
  assert.equal(out[0], 'Name    Mtu Network        Address                         Ipkts Ierrs Idrop    Opkts Oerrs  Coll  Drop');
  assert.equal(out[1], 'em0    1500 <Link#1>       08:00:27:4f:3a:1c             1523456     3    12   982310     0     0     7 ');
  assert.equal(out[2], 'em0       - 10.0.2.0/24    10.0.2.15                     1500120     -     -   980001     -     -     - ');
  for (const row of out.slice(1)) assert.ok(row.endsWith(' '), `row ends with a space: ${JSON.stringify(row)}`);
  assert.ok(!out[0].endsWith(' '), 'the header has no trailing space');
});

test('§2.3 netstat -ihn: humanized values, 1024 for Mtu, 1000 for counts, widths not grown', () => {
  const out = lines(render({ i: true, h: true, n: true }, d.docExample()));
  assert.equal(out[0], 'Name    Mtu Network        Address                         Ipkts Ierrs Idrop    Opkts Oerrs  Coll');
  assert.equal(out[1], 'em0    1.5K <Link#1>       08:00:27:4f:3a:1c                1.5M     3    12     982k     0     0');
  assert.equal(out[2], 'em0       - 10.0.2.0/24    10.0.2.15                        1.5M     -     -     980k     -     -');
  assert.equal(out[4], 'lo0     16K <Link#2>       lo0                              1.2k     0     0     1.2k     0     0');
  // -h keeps the minimum widths even for counters that would widen them
  const big = d.vnet([d.iface('ix0', 3, { counters: { ipackets: M64, ierrors: 123456789 } })]);
  assert.deepEqual(lines(render({ i: true, h: true }, big)), [
    'Name    Mtu Network   Address              Ipkts Ierrs Idrop    Opkts Oerrs  Coll',
    'ix0    1.5K <Link#3>  00:00:00:00:00:00       -1  123M     0        0     0     0',
  ]);
});

test('§2.6 --compat 13: fixed widths with truncation', () => {
  assert.deepEqual(lines(render({ i: true, n: true, compat: 13 }, d.docExample())), [
    'Name    Mtu Network       Address              Ipkts Ierrs Idrop    Opkts Oerrs  Coll',
    'em0    1500 <Link#1>      08:00:27:4f:3a:1c  1523456     3    12   982310     0     0',
    'em0       - 10.0.2.0/24   10.0.2.15          1500120     -     -   980001     -     -',
    'em0       - fe80::%em0/64 fe80::a00:27ff:fe        0     -     -        2     -     -',
    'lo0   16384 <Link#2>      lo0                   1212     0     0     1212     0     0',
    'lo0       - ::1/128       ::1                      0     -     -        0     -     -',
    'lo0       - fe80::%lo0/64 fe80::1%lo0              0     -     -        0     -     -',
    'lo0       - 127.0.0.0/8   127.0.0.1             1212     -     -     1212     -     -',
  ]);
});

test('--compat 13 -W: 24/39 with IPv6 rows, 18/17 without, names not truncated', () => {
  const w6 = lines(render({ i: true, compat: 13, W: true }, d.docExample()));
  assert.equal(w6[0], 'Name    Mtu Network                  Address                                    Ipkts Ierrs Idrop    Opkts Oerrs  Coll');
  assert.equal(w6[3], 'em0       - fe80::%em0/64            fe80::a00:27ff:fe4f:3a1c%em0                   0     -     -        2     -     -');
  assert.deepEqual(lines(render({ i: true, compat: 13, W: true, f: 'inet' }, d.docExample())), [
    'Name    Mtu Network            Address              Ipkts Ierrs Idrop    Opkts Oerrs  Coll',
    'em0       - 10.0.2.0/24        10.0.2.15          1500120     -     -   980001     -     -',
    'lo0       - 127.0.0.0/8        127.0.0.1             1212     -     -     1212     -     -',
  ]);
  const long = d.vnet([d.iface('vtnet10', 1, { link: d.link('vtnet10', 'aa:bb:cc:dd:ee:ff'), flags: 0x8802 })]);
  assert.equal(lines(render({ i: true, compat: 13 }, long))[1],
    'vtnet  1500 <Link#1>      aa:bb:cc:dd:ee:ff        0     0     0        0     0     0');
  assert.deepEqual(lines(render({ i: true, compat: 13, W: true }, long)), [
    'Name       Mtu Network            Address              Ipkts Ierrs Idrop    Opkts Oerrs  Coll',
    'vtnet10*  1500 <Link#1>           aa:bb:cc:dd:ee:ff        0     0     0        0     0     0',
  ]);
});

test('counters near 2^64 widen Ipkts/Ibytes; Oerrs is not measured; the > 10 quirk', () => {
  const view = d.vnet([
    d.iface('ix0', 3, {
      mtu: 9000,
      link: d.link('ix0', '00:1b:21:aa:bb:cc'),
      counters: { ipackets: M64, ierrors: 109999, opackets: 5, oerrors: 110000, ibytes: M64, obytes: 1, oqdrops: 110000 },
      addresses: [d.inet('192.0.2.1', 30, { ipackets: 1, opackets: M64, ibytes: 2, obytes: 3 })],
    }),
  ]);
  // ierrors 109999 -> width 6 (max_num_len divides while > 10: 109999 ends at 10); oerrors
  // 110000 is 6 digits too but not measured, so it fills its column exactly.
  assert.deepEqual(lines(render({ i: true }, view)), [
    'Name    Mtu Network       Address                           Ipkts  Ierrs  Idrop                 Opkts  Oerrs   Coll',
    'ix0    9000 <Link#3>      00:1b:21:aa:bb:cc  18446744073709551615 109999      0                     5 110000      0',
    'ix0       - 192.0.2.0/30  192.0.2.1                             1      -      -  18446744073709551615      -      -',
  ]);
  // with -d the output drops (110000 -> 7) are measured too
  assert.deepEqual(lines(render({ i: true, b: true, d: true }, view)), [
    'Name    Mtu Network       Address                           Ipkts   Ierrs   Idrop                Ibytes                 Opkts   Oerrs                Obytes    Coll    Drop',
    'ix0    9000 <Link#3>      00:1b:21:aa:bb:cc  18446744073709551615  109999       0  18446744073709551615                     5  110000                     1       0  110000 ',
    'ix0       - 192.0.2.0/30  192.0.2.1                             1       -       -                     2  18446744073709551615       -                     3       -       - ',
  ]);
});

test('10 interfaces x 3 addresses: 40 rows, one width for all, zones per interface', () => {
  const ifs = [];
  for (let i = 0; i < 10; i++) {
    const name = i < 9 ? `vtnet${i}` : 'vlan1000';
    ifs.push(d.iface(name, i + 1, {
      link: d.link(name, `58:9c:fc:00:00:0${i}`),
      counters: { ipackets: 1000 * i, opackets: 2000 * i },
      addresses: [
        d.inet(`10.${i}.0.1`, 16, { ipackets: i }),
        d.inet6(`2001:db8:${i}::1`, 64, { opackets: i }),
        d.inet6(`fe80::5a9c:fcff:fe00:${i}`, 64, {}, i + 1),
      ],
    }));
  }
  const out = lines(render({ i: true }, d.vnet(ifs)));
  assert.equal(out.length, 41);
  assert.equal(out[0], 'Name       Mtu Network             Address                            Ipkts Ierrs Idrop    Opkts Oerrs  Coll');
  for (const row of out) assert.equal(row.length, out[0].length);
  assert.equal(out[4], 'vtnet0       - fe80::%vtnet0/64    fe80::5a9c:fcff:fe00:0%vtnet0          0     -     -        0     -     -');
  assert.equal(out[37], 'vlan1000  1500 <Link#10>           58:9c:fc:00:00:09                   9000     0     0    18000     0     0');
  assert.equal(out[40], 'vlan1000     - fe80::%vlan1000/64  fe80::5a9c:fcff:fe00:9%vlan1000        0     -     -        0     -     -');
});

test('-I and -f filters', () => {
  const v = d.docExample();
  assert.deepEqual(lines(render({ I: 'lo0' }, v)).map((l) => l.slice(0, 30)), [
    'Name    Mtu Network        Add',
    'lo0   16384 <Link#2>       lo0',
    'lo0       - ::1/128        ::1',
    'lo0       - fe80::%lo0/64  fe8',
    'lo0       - 127.0.0.0/8    127',
  ]);
  assert.deepEqual(lines(render({ I: 'nope0' }, v)), [
    'Name    Mtu Network   Address     Ipkts Ierrs Idrop    Opkts Oerrs  Coll',
  ]);
  assert.deepEqual(lines(render({ i: true, f: 'link' }, v)), [
    'Name    Mtu Network   Address              Ipkts Ierrs Idrop    Opkts Oerrs  Coll',
    'em0    1500 <Link#1>  08:00:27:4f:3a:1c  1523456     3    12   982310     0     0',
    'lo0   16384 <Link#2>  lo0                   1212     0     0     1212     0     0',
  ]);
  assert.deepEqual(lines(render({ i: true, f: 'inet6' }, v)).slice(1).map((l) => l.slice(0, 12) + l.slice(12, 27).trim()), [
    'em0       - fe80::%em0/64',
    'lo0       - ::1/128',
    'lo0       - fe80::%lo0/64',
  ]);
  assert.equal(lines(render({ i: true, f: 'inet' }, v)).length, 3);
  assert.equal(lines(render({ i: true, f: 'unix' }, v)).length, 1);
});

test('down interfaces, empty link addresses, MTU quirks, AF_UNSPEC and unknown families', () => {
  const view = d.vnet([
    d.iface('bridge0', 7, {
      flags: 0x8842,
      mtu: 65536, // show_stat() gets the MTU as a C short: 65536 -> 0 -> '-'
      link: { type: 0xd1, nlen: 0, alen: 0, slen: 0, data: new Uint8Array(0) },
      addresses: [
        { family: 0, addr: new Uint8Array(16), netmask: null, dstaddr: null, counters: d.addrCounters({ ipackets: 4 }) },
        { family: 17, addr: new Uint8Array(16), netmask: null, dstaddr: null, counters: d.addrCounters({}) },
      ],
    }),
    d.iface('tun0', 8, { flags: 0x8010, mtu: 0, link: d.link('tun0', null, 0x35) }),
  ]);
  assert.deepEqual(lines(render({ i: true }, view)), [
    'Name       Mtu Network   Address     Ipkts Ierrs Idrop    Opkts Oerrs  Coll',
    'bridge0*     - <Link#7>                  0     0     0        0     0     0',
    'bridge0*     - none      none            -     -     -        -     -     -',
    'bridge0*     -        -     -     -        -     -     -',
    'tun0*        - <Link#8>  tun0            0     0     0        0     0     0',
  ]);
  // a link that could not be read shows as an empty link address
  const noLink = d.vnet([d.iface('epair0a', 4, { link: null })]);
  assert.equal(lines(render({ i: true }, noLink))[1], 'epair0a  1500 <Link#4>                  0     0     0        0     0     0');
});
