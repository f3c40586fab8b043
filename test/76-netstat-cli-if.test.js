'use strict';
// kvm-netstat -i on the demo image, run as a child process. Every option combination must print
// exactly what the renderer prints for the data expected.json says is in the dump, and one table
// is spelled out line by line with its values taken from expected.json.
const test = require('node:test');
const assert = require('node:assert/strict');
const { renderNetstat } = require('../dist/netstat');
const { simImage } = require('./helpers/sim-image');
const { viewOf, expectedVnet, netstat } = require('./helpers/netstat-expected');

let img;
const image = async () => (img ??= await simImage({ scenario: 'demo' }));
const core = (i) => ['-M', i.core, '-N', i.kernel];

function ok(args) {
  const r = netstat([...core(img), ...args]);
  assert.equal(r.stderr, '', `no stderr for ${args.join(' ')}`);
  assert.equal(r.status, 0, `exit 0 for ${args.join(' ')}`);
  return r.stdout;
}

test('-j web -i: the jail\'s table, line by line, values from expected.json', async () => {
  await image();
  const v = expectedVnet(img.expected, 1);
  const [lo, ep] = v.interfaces;
  // widths: Name 7 (epair0b), Network 17 (fe80::%epair0b/64), Address 31, packets max_num_len
  const n = (x) => String(x);
  const pk = Math.max(8, ...[lo, ep].flatMap((i) => [i.counters.ipackets, i.counters.opackets, ...i.addresses.flatMap((a) => [a.counters.ipackets, a.counters.opackets])]).map((x) => {
    let len = 2;
    for (let q = BigInt(x); q > 10n; q /= 10n) len++;
    return len;
  }));
  const row = (name, mtu, net, addr, ip, ie, id, op, oe, co) =>
    `${name.padEnd(7)} ${mtu.padStart(5)} ${net.padEnd(17)}  ${addr.padEnd(31)} ${n(ip).padStart(pk)} ${n(ie).padStart(5)} ${n(id).padStart(5)} ${n(op).padStart(pk)} ${n(oe).padStart(5)} ${n(co).padStart(5)}`;
  const link = (i, addr) => row(i.name, String(i.mtu), `<Link#${i.index}>`, addr, i.counters.ipackets, i.counters.ierrors, i.counters.iqdrops, i.counters.opackets, i.counters.oerrors, i.counters.collisions);
  const addr = (i, a, net, text) => row(i.name, '-', net, text, a.counters.ipackets, '-', '-', a.counters.opackets, '-', '-');
  const want = [
    `${'Name'.padEnd(7)}   Mtu ${'Network'.padEnd(17)}  ${'Address'.padEnd(31)} ${'Ipkts'.padStart(pk)} Ierrs Idrop ${'Opkts'.padStart(pk)} Oerrs  Coll`,
    link(lo, 'lo0'),
    addr(lo, lo.addresses[0], '127.0.0.0/8', '127.0.0.1'),
    link(ep, '02:d5:a0:3c:1e:0b'),
    addr(ep, ep.addresses[0], '192.168.10.0/24', '192.168.10.2'),
    addr(ep, ep.addresses[1], 'fe80::%epair0b/64', 'fe80::d5:a0ff:fe3c:1e0b%epair0b'),
  ].join('\n') + '\n';
  assert.equal(ok(['-j', 'web', '-i']), want);
  assert.equal(ok(['-i', '-j', 'web']), want, 'option order does not matter');
});

const VARIANTS = [
  ['-i'], ['-i', '-b'], ['-i', '-d'], ['-i', '-h'], ['-i', '-W'], ['-i', '-n'], ['-ibdhn'], ['-i', '-b', '-d', '-h', '-W'],
  ['-I', 'em0'], ['-Iem0', '-b'], ['-I', 'lo0', '-f', 'inet6'], ['-I', 'nosuch0'],
  ['-i', '-f', 'inet'], ['-i', '-f', 'inet6'], ['-i', '-f', 'link'], ['-i', '-4'], ['-i6'], ['-i', '-f', 'unix'],
  ['-i', '--compat', '13'], ['-i', '--compat', '13', '-W'], ['-i', '--compat', '13', '-b', '-d'], ['-i', '--compat', '13', '-h'],
];

function optsOf(args) {
  // the same options the CLI builds, written out by hand
  const o = { i: false, I: null, b: false, d: false, h: false, n: false, W: false, s: 0, p: null, f: null, compat: 14, libxo: null, allVnets: false };
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === '-I') o.I = args[++k];
    else if (a.startsWith('-I')) o.I = a.slice(2);
    else if (a === '-f') o.f = args[++k];
    else if (a === '--compat') o.compat = Number(args[++k]);
    else for (const c of a.slice(1)) {
      if (c === '4') o.f = 'inet';
      else if (c === '6') o.f = 'inet6';
      else o[c] = true;
    }
  }
  return o;
}

test('host -i: every -i option combination matches the rendering of expected.json', async () => {
  await image();
  const host = viewOf(img.expected, expectedVnet(img.expected, 0));
  for (const args of VARIANTS) {
    assert.equal(ok(args), renderNetstat(optsOf(args), [host]), args.join(' '));
  }
});

test('jail web -i variants; -j by name and jid, --vnet address and current pick the same stack', async () => {
  await image();
  const webV = expectedVnet(img.expected, 1);
  const web = viewOf(img.expected, webV);
  for (const args of [['-i'], ['-i', '-b', '-d'], ['-i', '-h'], ['-i', '--compat', '13', '-W'], ['-i', '-6']]) {
    assert.equal(ok(['-j', 'web', ...args]), renderNetstat(optsOf(args), [web]), `-j web ${args.join(' ')}`);
  }
  const text = renderNetstat(optsOf(['-i']), [web]);
  assert.equal(ok(['-j', '1', '-i']), text, '-j by jid');
  assert.equal(ok(['-j1', '-i']), text, '-j1');
  assert.equal(ok(['--vnet', webV.address, '-i']), text, '--vnet address');
  assert.equal(ok(['--vnet', 'current', '-i']), text, '--vnet current: the dump was written in web\'s network code');
  const host = renderNetstat(optsOf(['-i']), [viewOf(img.expected, expectedVnet(img.expected, 0))]);
  assert.equal(ok(['--vnet', 'vnet0', '-i']), host);
  assert.equal(ok(['-j', 'build', '-i']), host, 'a non-VNET jail shows its parent\'s (the host\'s) stack');
  assert.equal(ok(['-j', '0', '-i']), host, 'jid 0 is the host');
  assert.notEqual(text, host);
});

test('--all-vnets -i: one block per vnet, vnet0 first, headed by its jails', async () => {
  await image();
  const views = [0, 1, 2].map((jid) => viewOf(img.expected, expectedVnet(img.expected, jid)));
  for (const args of [['-i'], ['-i', '-b'], ['-i', '-f', 'inet']]) {
    const out = ok(['--all-vnets', ...args]);
    assert.equal(out, renderNetstat({ ...optsOf(args), allVnets: true }, views), args.join(' '));
  }
  const heads = ok(['--all-vnets', '-i']).split('\n').filter((l) => l.startsWith('vnet '));
  assert.deepEqual(heads, [
    `vnet ${expectedVnet(img.expected, 0).address} (jails: 0 host, 3 build)`,
    `vnet ${expectedVnet(img.expected, 1).address} (jails: 1 web)`,
    `vnet ${expectedVnet(img.expected, 2).address} (jails: 2 db)`,
  ]);
});

test('-M DIR reads DIR/vmcore.0 with DIR/kernel (the bundled sample)', async () => {
  const r = netstat(['-M', 'sample', '-j', 'web', '-I', 'epair0b', '-f', 'link'], { cwd: `${__dirname}/..` });
  assert.equal(r.status, 0, r.stderr);
  const e = require('../sample/expected.json');
  const ep = expectedVnet(e, 1).interfaces.find((i) => i.name === 'epair0b');
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[1], new RegExp(`^epair0b +${ep.mtu} <Link#${ep.index}> +02:d5:a0:3c:1e:0b +${ep.counters.ipackets} +${ep.counters.ierrors} +${ep.counters.iqdrops} +${ep.counters.opackets} +${ep.counters.oerrors} +${ep.counters.collisions}$`));
});
