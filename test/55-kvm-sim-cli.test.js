'use strict';
// kvm-sim as users run it: the format list, a scenario file built into each kind of image that
// then opens with the values expected.json promises, and usage errors with their exit codes.
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Kvm } = require('..');

const BIN = path.join(__dirname, '..', 'bin', 'kvm-sim');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-sim-cli-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

function sim(...args) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('--list-formats lists every writer with its architecture', () => {
  const r = sim('--list-formats');
  assert.equal(r.code, 0);
  const rows = r.out.trim().split('\n');
  assert.match(rows[0], /^FORMAT\s+ARCH\s+DESCRIPTION$/);
  const formats = rows.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' '));
  assert.deepEqual(formats, [
    'minidump-amd64-v3 amd64', 'minidump-amd64-v2 amd64', 'minidump-amd64-v1 amd64', 'fulldump-amd64 amd64',
    'minidump-arm64-v3 arm64', 'minidump-arm64-v2 arm64', 'minidump-arm64-v1 arm64',
    'elf-vcore-amd64 amd64', 'elf-vcore-arm64 arm64',
  ]);
});

test('a scenario file builds into an image whose jails, vnets and counters read back', () => {
  const scenario = path.join(dir, 'scenario.json');
  fs.writeFileSync(scenario, JSON.stringify({ seed: 7, jails: [{ jid: 5, name: 'edge', vnet: true }, { jid: 6, name: 'ro', vnet: false }] }));
  for (const [format, header, name] of [['minidump-amd64-v2', true, 'minidump-amd64'], ['elf-vcore-amd64', false, 'elf-vcore']]) {
    const out = path.join(dir, format);
    const r = sim('--scenario', scenario, '--format', format, '--out', out, ...(header ? ['--dump-header'] : []));
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.out.trim().split('\n'), ['kernel', 'vmcore.0', 'expected.json'].map((f) => path.join(out, f)));
    const expected = JSON.parse(fs.readFileSync(path.join(out, 'expected.json'), 'utf8'));
    assert.equal(expected.seed, 7);
    assert.equal(expected.format, format);
    const kd = Kvm.open({ kernel: path.join(out, 'kernel'), core: path.join(out, 'vmcore.0') });
    try {
      assert.equal(kd.info.format, name);
      assert.deepEqual(kd.jails().map((j) => [j.jid, j.name, j.ownsVnet]), [[0, '0', true], [5, 'edge', true], [6, 'ro', false]]);
      assert.equal(kd.vnets().length, 2);
      for (const v of expected.vnets) {
        const tcp = kd.pcpuStat('tcpstat', { vnet: BigInt(v.address) }).record;
        assert.equal(String(tcp.tcps_sndtotal), v.stats.tcpstat.tcps_sndtotal);
      }
    } finally {
      kd.close();
    }
  }
});

test('usage errors exit 64 with one line saying what to do', () => {
  const cases = [
    [['--format', 'nope', '--out', dir], 'kvm-sim: unknown dump format nope; kvm-sim --list-formats lists them'],
    [[], 'kvm-sim: give --out DIR'],
    [['--arch', 'arm64', '--format', 'minidump-amd64-v2', '--out', dir], 'kvm-sim: format minidump-amd64-v2 is for amd64 kernels, not arm64'],
    [['--scenario', path.join(dir, 'missing.json'), '--out', dir], /^kvm-sim: cannot read scenario .*missing\.json: ENOENT/],
  ];
  for (const [args, want] of cases) {
    const r = sim(...args);
    assert.equal(r.code, 64, args.join(' '));
    if (typeof want === 'string') assert.equal(r.err.trim(), want);
    else assert.match(r.err.trim(), want);
  }
  fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ jails: [{ name: 'x' }] }));
  const r = sim('--scenario', path.join(dir, 'bad.json'), '--out', dir);
  assert.equal(r.code, 64);
  assert.equal(r.err.trim(), 'kvm-sim: scenario: jails[0].jid: must be a positive integer');
});
