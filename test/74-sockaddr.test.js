'use strict';
// Sockaddr decoding (KAME embedded scopes) and the address strings of inet_ntop, getnameinfo
// and netstat's netname(): hand-worked expectations.
const test = require('node:test');
const assert = require('node:assert/strict');
const ns = require('../dist/netstat');
const { parse6, sin6, link } = require('./helpers/netstat-data');

const ntop6 = (s) => ns.inetNtop6(parse6(s));
const noNames = () => null;

test('inet_ntop6: RFC 5952 zero compression, lowercase, first longest run', () => {
  assert.equal(ntop6('2001:0db8:0000:0000:0000:0000:0002:0001'), '2001:db8::2:1');
  assert.equal(ntop6('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1'); // a single zero word stays
  assert.equal(ntop6('2001:0:0:1:0:0:0:1'), '2001:0:0:1::1'); // the longer run wins
  assert.equal(ntop6('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1'); // equal runs: the first
  assert.equal(ntop6('FE80::A00:27FF:FE4F:3A1C'), 'fe80::a00:27ff:fe4f:3a1c');
  assert.equal(ntop6('::'), '::');
  assert.equal(ntop6('::1'), '::1');
  assert.equal(ntop6('1::'), '1::');
  assert.equal(ntop6('1:2:3:4:5:6:7:8'), '1:2:3:4:5:6:7:8');
});

test('inet_ntop6: embedded IPv4 forms of libc', () => {
  assert.equal(ntop6('::ffff:c000:0280'), '::ffff:192.0.2.128');
  assert.equal(ntop6('::c000:0280'), '::192.0.2.128'); // IPv4-compatible
  // libc's seven-zero-word IPv4 case is unreachable (word 6 is inside the :: run): plain ::2
  assert.equal(ntop6('::2'), '::2');
  assert.equal(ntop6('::1:0:0'), '::1:0:0');
});

test('KAME scope recovery: zone from bytes 2-3, bytes cleared', () => {
  const s = ns.decodeSin6(sin6('fe80::1', 5));
  assert.equal(s.scopeId, 5);
  assert.equal(ns.inetNtop6(s.addr), 'fe80::1');
  const m = ns.decodeSin6(sin6('ff02::1', 0x102));
  assert.equal(m.scopeId, 0x102);
  assert.equal(ns.inetNtop6(m.addr), 'ff02::1');
  const nodeLocal = ns.decodeSin6(sin6('ff01::1', 3));
  assert.equal(nodeLocal.scopeId, 3);
  // a global address keeps its bytes: no embedded zone
  const g = ns.decodeSin6(sin6('2001:db8:1:2::1'));
  assert.equal(g.scopeId, 0);
  assert.equal(ns.inetNtop6(g.addr), '2001:db8:1:2::1');
  // an explicit scope id wins, the embedded bytes are still cleared
  const both = ns.decodeSin6(sin6('fe80::1', 7, 9));
  assert.equal(both.scopeId, 9);
  assert.equal(ns.inetNtop6(both.addr), 'fe80::1');
  // big-endian dumps store sin6_scope_id in their own order
  const be = new Uint8Array(sin6('fe80::1'));
  be.set([0, 0, 0, 4], 24);
  assert.equal(ns.decodeSin6(be, 'big').scopeId, 4);
  // short buffers read as zero
  assert.deepEqual(ns.decodeSin6(new Uint8Array(3)), { addr: new Uint8Array(16), scopeId: 0 });
});

test('getnameinfo zones: interface name for link-local, number otherwise', () => {
  const names = (i) => (i === 1 ? 'em0' : null);
  assert.equal(ns.inet6HostName(ns.decodeSin6(sin6('fe80::1', 1)), names), 'fe80::1%em0');
  assert.equal(ns.inet6HostName(ns.decodeSin6(sin6('fe80::1', 9)), names), 'fe80::1%9');
  assert.equal(ns.inet6HostName(ns.decodeSin6(sin6('ff02::1', 1)), names), 'ff02::1%em0');
  assert.equal(ns.inet6HostName({ addr: parse6('fec0::1'), scopeId: 1 }, names), 'fec0::1%1');
});

test('netname for IPv4: masked network, /len, &0x for non-contiguous, default', () => {
  const a = (s) => new Uint8Array(s.split('.').map(Number));
  assert.equal(ns.inetNetName(a('10.0.2.15'), a('255.255.255.0')), '10.0.2.0/24');
  assert.equal(ns.inetNetName(a('192.168.7.129'), a('255.255.255.128')), '192.168.7.128/25');
  assert.equal(ns.inetNetName(a('10.1.2.3'), a('255.255.255.255')), '10.1.2.3/32');
  assert.equal(ns.inetNetName(a('10.1.2.3'), a('255.0.255.0')), '10.0.2.0&0xff00ff00');
  assert.equal(ns.inetNetName(a('0.0.0.0'), a('0.0.0.0')), 'default');
  assert.equal(ns.inetNetName(a('10.1.2.3'), null), '0.0.0.0'); // mask 0: no suffix
  assert.equal(ns.inetNetName(a('0.0.0.0'), null), 'default');
});

test('netname for IPv6: masked, zone kept, /len summed per byte, default', () => {
  const m6 = (len) => {
    const b = new Uint8Array(16);
    for (let i = 0; i < 16; i++) b[i] = (0xff00 >> Math.max(0, Math.min(8, len - 8 * i))) & 0xff;
    return b;
  };
  const names = (i) => (i === 1 ? 'em0' : null);
  const ll = ns.decodeSin6(sin6('fe80::a00:27ff:fe4f:3a1c', 1));
  assert.equal(ns.inet6NetName(ll, m6(64), names), 'fe80::%em0/64');
  assert.equal(ns.inet6NetName(ns.decodeSin6(sin6('2001:db8:1:2::7')), m6(48), noNames), '2001:db8:1::/48');
  assert.equal(ns.inet6NetName(ns.decodeSin6(sin6('::1')), m6(128), noNames), '::1/128');
  assert.equal(ns.inet6NetName(ns.decodeSin6(sin6('2001:db8::1')), m6(0), noNames), 'default');
  assert.equal(ns.inet6NetName(ns.decodeSin6(sin6('2001:db8::1')), null, noNames), '2001:db8::1/128');
  // netstat sums per-byte lengths; an illegal byte (0x0f) counts nothing but still masks
  const odd = m6(64);
  odd[8] = 0x0f;
  assert.equal(ns.inet6NetName(ns.decodeSin6(sin6('2001:db8::ffff:1')), odd, noNames), '2001:db8::/64');
});

test('link addresses as getnameinfo prints them', () => {
  assert.equal(ns.linkAddressName(link('em0', '08:00:27:4f:3a:1c')), '08:00:27:4f:3a:1c');
  assert.equal(ns.linkAddressName(link('lo0', null, 0x18)), 'lo0');
  assert.equal(ns.linkAddressName(link('', '0a:0b')), '0a:0b');
  // FireWire (IFT_IEEE1394): only the 8-byte EUI-64 of the 16-byte address
  const fw = link('fwe0', '00:11:22:33:44:55:66:77:de:ad:be:ef:00:00:00:01', 0x90);
  assert.equal(ns.linkAddressName(fw), '00:11:22:33:44:55:66:77');
});
