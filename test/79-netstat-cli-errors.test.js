'use strict';
// kvm-netstat's error paths, run as a child process: exact messages on stderr, nothing on stdout,
// and the sysexits(3) status of lib/cli/common.ts (64 usage, 66 no input, 1 not found).
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { simImage } = require('./helpers/sim-image');
const { expectedVnet, netstat } = require('./helpers/netstat-expected');

function fails(args, status, message, opts) {
  const r = netstat(args, opts);
  assert.equal(r.stdout, '', `no output for ${args.join(' ')}`);
  if (message instanceof RegExp) assert.match(r.stderr, message, args.join(' '));
  else assert.equal(r.stderr, `kvm-netstat: ${message}\n`, args.join(' '));
  assert.equal(r.status, status, `exit status of ${args.join(' ')}`);
}

test('usage errors: exit 64 with one line', async () => {
  const img = await simImage({ scenario: 'demo' });
  const M = ['-M', img.core, '-N', img.kernel];
  fails(['-i'], 64, 'no crash dump given: use -M vmcore -N kernel (this tool reads dumps only; try -M sample)');
  fails([], 64, 'no crash dump given: use -M vmcore -N kernel (this tool reads dumps only; try -M sample)');
  fails([...M], 64, 'nothing to show: use -i, -I interface or -s (socket lists are not available from a crash dump)');
  fails([...M, '-i', '-z'], 64, '-z: counters cannot be zeroed in a crash dump (a dump is a read-only snapshot)');
  fails([...M, '-w', '1'], 64, '-w: interval output needs a running system; a crash dump holds a single moment (use -i)');
  fails([...M, '-i', '-s'], 64, 'per-interface protocol statistics (-i with -s) are not available from a crash dump');
  fails([...M, '-s', '-p', 'arp'], 64, 'arp: unknown or uninstrumented protocol');
  fails([...M, '-i', '-f', 'bogus'], 64, 'bogus: unknown address family');
  fails([...M, '-i', '-4', '-6'], 64, '-4, -6 and -f name different families (inet, inet6); give one');
  fails([...M, '-i', '--libxo', 'xml'], 64, '--libxo xml: only text and json are supported');
  fails([...M, '-i', '--libxo=fancy'], 64, "--libxo: unknown style or modifier 'fancy' (use json, json,pretty or text)");
  fails([...M, '-i', '--compat', '12'], 64, '--compat: expected 13 or 14');
  fails([...M, '-i', '--vnet', 'zzz'], 64, "--vnet: expected an address, vnet0 or current, not 'zzz'");
  fails([...M, '-i', '-j', 'web', '--all-vnets'], 64, '-j, --vnet and --all-vnets each choose the network stack; give one of them');
  fails([...M, '-i', '-a'], 64, 'Unknown argument: a');
  fails(['-M', img.core, '-i'], 64, 'no kernel given: use -N kernel (the kernel that wrote the dump)');
});

test('unknown jail lists the jails; a non-vnet address lists the vnets (exit 1)', async () => {
  const img = await simImage({ scenario: 'demo' });
  const M = ['-M', img.core, '-N', img.kernel];
  fails([...M, '-j', 'nope', '-i'], 1, 'no jail "nope" in this image; jails: 0 (host), 1 (web), 2 (db), 3 (build)');
  fails([...M, '-j', '9', '-s'], 1, 'no jail "9" in this image; jails: 0 (host), 1 (web), 2 (db), 3 (build)');
  const a = (jid) => expectedVnet(img.expected, jid).address;
  fails([...M, '--vnet', '0x1234', '-i'], 1, `no vnet at 0x1234 on vnet_head; vnets: ${a(2)} (db), ${a(1)} (web), ${a(0)} (host, build)`);
});

test('missing files: exit 66 naming the path', () => {
  const missing = path.join(__dirname, 'no-such-dir', 'kernel');
  fails(['-M', path.join(__dirname, 'no-such-dir', 'vmcore.0'), '-N', missing, '-i'], 66, /^kvm-netstat: cannot open .*no-such-dir\/kernel: No such file or directory\n$/);
});

test('--all-vnets on a kernel without VIMAGE says so (exit 1)', async () => {
  const img = await simImage({ scenario: { name: 'novimage-err', host: { interfaces: [{ name: 'em0' }] } }, flavour: 'novimage' });
  fails(['-M', img.core, '-N', img.kernel, '--all-vnets', '-i'], 1, `${img.kernel} is not a VIMAGE kernel: it has a single network stack (drop --all-vnets)`);
  fails(['-M', img.core, '-N', img.kernel, '--vnet', 'vnet0', '-i'], 1, `${img.kernel} is not a VIMAGE kernel: it has one network stack and no vnets to choose`);
});
