'use strict';
// kvm-netstat -s on simulated images, run as a child process: every protocol, -s -s, -f/-4/-6,
// -p, jails and --all-vnets, compared with the rendering of expected.json's values, plus lines
// spelled out with expected.json's numbers.
const test = require('node:test');
const assert = require('node:assert/strict');
const { renderNetstat } = require('../dist/netstat');
const { simImage } = require('./helpers/sim-image');
const { viewOf, expectedVnet, netstat } = require('./helpers/netstat-expected');

let img;
const image = async () => (img ??= await simImage({ scenario: 'demo' }));

function ok(i, args) {
  const r = netstat(['-M', i.core, '-N', i.kernel, ...args]);
  assert.equal(r.stderr, '', `no stderr for ${args.join(' ')}`);
  assert.equal(r.status, 0, `exit 0 for ${args.join(' ')}`);
  return r.stdout;
}

const base = { s: 1, p: null, f: null, libxo: null, allVnets: false };

test('-s -p tcp: lines carry expected.json\'s counters and the state table', async () => {
  await image();
  const v = expectedVnet(img.expected, 1);
  const t = v.stats.tcpstat;
  const out = ok(img, ['-j', 'web', '-s', '-p', 'tcp']).split('\n');
  assert.equal(out[0], 'tcp:');
  const plural = (n, w) => `${n} ${w}${n === '1' ? '' : 's'}`;
  assert.equal(out[1], `\t${plural(t.tcps_sndtotal, 'packet')} sent`);
  assert.equal(out[2], `\t\t${plural(t.tcps_sndpack, 'data packet')} (${t.tcps_sndbyte} byte${t.tcps_sndbyte === '1' ? '' : 's'})`);
  assert.ok(out.includes(`\t${plural(t.tcps_connattempt, 'connection request')}`));
  // 14.2+ kernel (has tcps_rcvghostack): the three ack rows
  assert.ok(out.includes(`\t\t${t.tcps_rcvghostack} ack${t.tcps_rcvghostack === '1' ? '' : 's'} for data never been sent (ghost acks)`));
  const states = ['CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RCVD', 'ESTABLISHED', 'CLOSE_WAIT', 'FIN_WAIT_1', 'CLOSING', 'LAST_ACK', 'FIN_WAIT_2', 'TIME_WAIT'];
  const at = out.indexOf('TCP connection count by state:');
  assert.ok(at > 0);
  const stateLines = v.tcpStates.map((n, k) => (n === '1' ? `\t1 connection  in ${states[k]} state` : `\t${n} connections in ${states[k]} state`));
  assert.deepEqual(out.slice(at + 1, at + 1 + 11), stateLines);
});

test('-s -s hides zero lines; -ss is the same', async () => {
  await image();
  const v = expectedVnet(img.expected, 0);
  const a = ok(img, ['-s', '-s', '-p', 'udp']);
  assert.equal(ok(img, ['-ss', '-pudp']), a);
  const u = v.stats.udpstat;
  const lines = a.split('\n');
  assert.equal(lines.includes(`\t${u.udps_badsum} with bad checksum`), u.udps_badsum !== '0');
  for (const l of lines.slice(1)) if (l) assert.doesNotMatch(l, /^\t+0 /, `zero line shown under -s -s: ${l}`);
  assert.ok(ok(img, ['-s', '-p', 'udp']).split('\n').length >= lines.length);
});

test('host: -s with every protocol, family and -s -s matches the rendering of expected.json', async () => {
  await image();
  const host = viewOf(img.expected, expectedVnet(img.expected, 0));
  const cases = [
    [['-s'], {}], [['-s', '-s'], { s: 2 }],
    ...['tcp', 'udp', 'ip', 'icmp', 'ip6', 'icmp6'].flatMap((p) => [[['-s', '-p', p], { p }], [['-ss', '-p', p], { s: 2, p }]]),
    [['-s', '-p', 'TCP'], { p: 'TCP' }], [['-s', '-p', 'rip6'], { p: 'rip6' }],
    [['-s', '-f', 'inet'], { f: 'inet' }], [['-s', '-f', 'inet6'], { f: 'inet6' }], [['-s4'], { f: 'inet' }], [['-s', '-6', '-s'], { s: 2, f: 'inet6' }],
    [['-s', '-f', 'link'], { f: 'link' }],
  ];
  for (const [args, o] of cases) {
    const want = renderNetstat({ ...base, ...o }, [host]);
    assert.equal(ok(img, args), want, args.join(' '));
  }
  // the IPv6 table names interfaces of this vnet by index (ip6s_m2m)
  assert.match(ok(img, ['-s', '-p', 'ip6']), /^ip6:\n/);
});

test('jails: -s for web by name and db by jid; --all-vnets -s -s', async () => {
  await image();
  const views = [0, 1, 2].map((jid) => viewOf(img.expected, expectedVnet(img.expected, jid)));
  assert.equal(ok(img, ['-j', 'web', '-s']), renderNetstat(base, [views[1]]));
  assert.equal(ok(img, ['-j', '2', '-s', '-p', 'icmp6']), renderNetstat({ ...base, p: 'icmp6' }, [views[2]]));
  assert.equal(ok(img, ['--all-vnets', '-s', '-s']), renderNetstat({ ...base, s: 2, allVnets: true }, views));
  assert.notEqual(renderNetstat(base, [views[1]]), renderNetstat(base, [views[2]]));
});

test('fbsd12 kernel: the 12.x tcpstat (acks for unsent data), values from expected.json', async () => {
  const i = await simImage({ scenario: 'demo', flavour: 'fbsd12' });
  const v = expectedVnet(i.expected, 2);
  const out = ok(i, ['-j', 'db', '-s', '-p', 'tcp']);
  const n = v.stats.tcpstat.tcps_rcvacktoomuch;
  assert.ok(out.split('\n').includes(`\t\t${n} ack${n === '1' ? '' : 's'} for unsent data`));
  assert.doesNotMatch(out, /ghost acks/);
  assert.equal(out, renderNetstat({ ...base, p: 'tcp' }, [viewOf(i.expected, v)]));
  assert.equal(ok(i, ['-s']), renderNetstat(base, [viewOf(i.expected, expectedVnet(i.expected, 0))]));
});
