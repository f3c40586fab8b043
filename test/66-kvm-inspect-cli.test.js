'use strict';
// kvm-inspect as a user runs it: every command, exact lines built from expected.json.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { Kvm } = require('..');
const { simImage } = require('./helpers/sim-image');
const { big, patched } = require('./helpers/sim-vnet');

const BIN = path.join(__dirname, '..', 'bin', 'kvm-inspect');

function run(img, ...args) {
  const r = spawnSync(process.execPath, [BIN, '-M', img.core, '-N', img.kernel, ...args], { encoding: 'utf8' });
  return { out: r.stdout, err: r.stderr, status: r.status, lines: r.stdout.split('\n') };
}

function statText(v) {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `{${v.map(statText).join(', ')}}`;
  return `{${Object.entries(v).map(([k, x]) => `${k} = ${statText(x)}`).join(', ')}}`;
}

const statBlock = (name, rec) => [`${name} = struct ${name} (summed over CPUs) {`, ...Object.entries(rec).map(([k, v]) => `  ${k} = ${statText(v)}`), '}'];

const jailsOf = (e, v) => v.jails.map((jid) => (jid === 0 ? '0 host' : `${jid} ${e.jails.find((j) => j.jid === jid).name}`)).join(', ');

let img;
test.before(async () => {
  img = await simImage({ scenario: 'demo' });
});

test('print tcpstat --all-vnets: each vnet own summed statistics by field name', () => {
  const e = img.expected;
  const r = run(img, 'print', 'tcpstat', '--all-vnets');
  assert.equal(r.status, 0, r.err);
  assert.equal(r.err, '');
  const want = [];
  e.vnets.forEach((v, i) => {
    if (i > 0) want.push('');
    want.push(`vnet ${v.address}${i === e.vnets.length - 1 ? ' (vnet0)' : ''}: jails ${jailsOf(e, v)}`);
    want.push(...statBlock('tcpstat', v.stats.tcpstat));
  });
  assert.equal(r.out, want.join('\n') + '\n');
});

test("print defaults to the dumping thread's vnet and CPU, and says so on stderr", () => {
  const e = img.expected;
  const v = e.vnets.find((x) => x.address === e.dump.tdVnet);
  const r = run(img, 'print', 'udpstat');
  assert.equal(r.out, statBlock('udpstat', v.stats.udpstat).join('\n') + '\n');
  assert.equal(r.err, `kvm-inspect: vnet ${e.dump.tdVnet} (dumping thread ${e.dump.tid}'s td_vnet)\n`);
  const cpu = e.cpus.find((c) => c.id === e.dump.cpu);
  const t = run(img, 'print', 'pcputicks');
  assert.equal(t.out, `pcputicks = ${cpu.pcputicks}\n`);
  assert.equal(t.err, `kvm-inspect: CPU ${e.dump.cpu} (dumping thread ${e.dump.tid}'s CPU)\n`);
  const c1 = run(img, 'print', 'pcputicks', '--cpu', '1');
  assert.equal(c1.out, `pcputicks = ${e.cpus[1].pcputicks}\n`);
  assert.equal(c1.err, 'kvm-inspect: CPU 1 (--cpu)\n');
  const all = run(img, 'print', 'pcputicks', '--all-cpus');
  assert.equal(all.out, e.cpus.map((c) => `cpu ${c.id}\npcputicks = ${c.pcputicks}\n`).join('\n'));
  // DDB order: modspace is per-CPU before per-vnet.
  const m = JSON.parse(run(img, 'print', 'modspace', '--json').out);
  assert.deepEqual([m.kind, m.symbol, m.cpu.id], ['pcpu', 'pcpu_entry_modspace', e.dump.cpu]);
});

test('print with --jail, --pid, --vnet; V_ names; --json; --raw', () => {
  const e = img.expected;
  const db = e.vnets.find((v) => v.jails.includes(2));
  for (const sel of [['--jail', 'db'], ['--jail', '2'], ['--pid', '3001'], ['--vnet', db.address]]) {
    const r = run(img, 'print', 'ipstat', ...sel, '--json');
    assert.equal(r.status, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual([j.symbol, j.kind, j.address, j.vnet.address, j.summed, j.type], ['vnet_entry_ipstat', 'vnet', db.translated.ipstat, db.address, true, 'struct ipstat']);
    assert.deepEqual(JSON.parse(JSON.stringify(j.value), (k, v) => (typeof v === 'number' ? String(v) : v)), db.stats.ipstat);
  }
  assert.equal(JSON.parse(run(img, 'print', 'tcpstat', '--jail', 'db', '--json').out).vnet.how, 'jail db (jid 2)');
  const v0 = e.vnets[e.vnets.length - 1];
  const vi = run(img, 'print', 'V_ifnet', '--vnet', 'vnet0', '--json');
  assert.deepEqual([JSON.parse(vi.out).address, JSON.parse(vi.out).vnet.how], [v0.translated.ifnet, 'vnet0']);
  const states = run(img, 'print', 'tcps_states', '--jail', 'web');
  assert.equal(states.out, `tcps_states = {${e.vnets.find((v) => v.jails.includes(1)).tcpStates.join(', ')}}\n`);
  const raw = run(img, 'print', 'tcpstat', '--raw', '--vnet', 'vnet0');
  const kd = Kvm.open({ kernel: img.kernel, core: img.core });
  try {
    const handles = kd.readArray(big(v0.translated.tcpstat), 3, 8);
    assert.ok(raw.out.startsWith(`tcpstat = {${Array.from(handles, (h) => '0x' + h.toString(16)).join(', ')}, `), raw.out.slice(0, 80));
  } finally {
    kd.close();
  }
});

test('print member paths and casts', () => {
  const e = img.expected;
  const web = e.jails.find((j) => j.name === 'web');
  const v0 = e.vnets[e.vnets.length - 1];
  const cases = [
    ['prison0.pr_vnet', `prison0.pr_vnet = (struct vnet *) ${v0.address}`],
    [`*(struct prison *)${web.address}->pr_vnet`, `*(struct prison *)${web.address}->pr_vnet = (struct vnet *) ${web.vnet}`],
    [`(*(struct prison *)${web.address}).pr_id`, `(*(struct prison *)${web.address}).pr_id = 1`],
    [`((struct prison *)${web.address})->pr_vnet->vnet_ifcnt`, `((struct prison *)${web.address})->pr_vnet->vnet_ifcnt = 2`],
    [`(struct prison *)${web.address}`, `(struct prison *)${web.address} = (struct prison *) ${web.address}`],
    ['prison0.pr_id', 'prison0.pr_id = 0'],
    ['vnet0->vnet_ifcnt', `vnet0->vnet_ifcnt = ${v0.ifcnt}`],
  ];
  for (const [expr, line] of cases) {
    const r = run(img, 'print', expr);
    assert.equal(r.status, 0, `${expr}: ${r.err}`);
    assert.equal(r.out, line + '\n', expr);
    assert.equal(r.err, '');
  }
  assert.match(run(img, 'print', `((struct prison *)${web.address})->pr_name`).out, /= "web", '\\000' <repeats \d+ times>/);
  const hz = run(img, 'print', 'hz', '--all-vnets');
  assert.equal(hz.out, 'hz = 1000\n');
  assert.equal(hz.err, 'kvm-inspect: hz does not depend on the vnet; printed once\n');
  const bad = run(img, 'print', 'nosuch');
  assert.deepEqual([bad.status, bad.out, bad.err], [1, '', "kvm-inspect: Symbol 'nosuch' not found\n"]);
  const syntax = run(img, 'print', '*hz');
  assert.equal(syntax.status, 64);
  assert.match(syntax.err, /'\*' must be followed by a cast/);
  assert.equal(run(img, 'print', 'tcpstat', '--all-vnets', '--jail', 'db').status, 64);
});

test('vnets, jails, ps and cpus tables and their JSON', () => {
  const e = img.expected;
  const v = run(img, 'vnets');
  const vrows = v.lines.slice(1, -1).map((l) => l.split(/\s{2,}/));
  assert.deepEqual(v.lines[0].split(/\s+/), ['VNET', 'DATA_BASE', 'MAGIC', 'IFCNT', 'SOCKCNT', 'JAILS']);
  assert.deepEqual(vrows.map((r) => [r[0], r[1], r[2], r[3]]), e.vnets.map((x, i) => [x.address + (i === e.vnets.length - 1 ? ' (vnet0)' : ''), x.dataBase, `ok (${x.magic})`, String(x.ifcnt)]));
  assert.equal(vrows[2][5], '0 host, 3 build (shared)');
  const vj = JSON.parse(run(img, 'vnets', '--json').out);
  assert.deepEqual(vj.map((x) => [x.address, x.dataMem, x.magic, x.problem, x.vnet0]), e.vnets.map((x, i) => [x.address, x.dataMem, x.magic, null, i === e.vnets.length - 1]));

  const j = run(img, 'jails');
  assert.deepEqual(j.lines[0].split(/\s+/), ['JID', 'NAME', 'PATH', 'HOSTNAME', 'PARENT', 'FLAGS', 'VNET', 'OWN_VNET']);
  assert.equal(j.lines[2].trim().split(/\s{2,}/).join('|'), `1|web|/jails/web|web.example.org|0|0x13 <persist,host,vnet>|${e.jails[1].vnet}|yes`);
  assert.equal(j.lines[4].trim().split(/\s{2,}/).join('|'), `3|build|/jails/build|build.example.org|0|0x3 <persist,host>|${e.jails[3].vnet}|no`);
  assert.deepEqual(JSON.parse(run(img, 'jails', '--json').out), e.jails);

  const p = run(img, 'ps');
  assert.deepEqual(p.lines[0].trim().split(/\s+/), ['PID', 'JID', 'COMM', 'TID', 'THREAD', 'CPU', 'TD_VNET']);
  const dumping = p.lines.find((l) => l.includes(`*${e.dump.tid}`));
  assert.equal(dumping.trim().split(/\s{2,}/).join('|'), `${e.dump.pid}|${e.dump.jid}|nginx|*${e.dump.tid}|nginx/0|${e.dump.cpu}|${e.dump.tdVnet}`);
  assert.equal(p.lines.filter((l) => l.includes('*')).length, 1);
  const pj = JSON.parse(run(img, 'ps', '--json').out);
  assert.equal(pj.dumpTid, e.dump.tid);
  const strip = (x) => ({ pid: x.pid, comm: x.comm, address: x.address, jid: x.jid, threads: x.threads.map((t) => ({ tid: t.tid, address: t.address, name: t.name, cpu: t.cpu, vnet: t.vnet })) });
  const byPid = (a, b) => a.pid - b.pid;
  assert.deepEqual(pj.procs.map(strip).sort(byPid), [...e.procs].sort(byPid));

  const c = run(img, 'cpus');
  assert.deepEqual(c.lines.slice(1, -1).map((l) => l.trim().split(/\s+/)), e.cpus.map((x) => [String(x.id), x.dpcpuOff, x.pcpu]));
});

test('info, nlist and read', () => {
  const e = img.expected;
  const i = run(img, 'info');
  assert.ok(i.lines.includes('VIMAGE           yes, 3 vnets'), i.out);
  assert.ok(i.lines.includes('CPUs             4'));
  const v0 = e.vnets[e.vnets.length - 1];
  const n = run(img, 'nlist', 'tcpstat', 'hz', 'nosuch');
  assert.deepEqual(n.lines.slice(1, -1).map((l) => l.split(/\s{2,}/)), [
    ['tcpstat', v0.translated.tcpstat, '984', 'DATA|EXT', 'vnet', 'vnet_entry_tcpstat'],
    ['hz', e.symbols.hz, '4', 'DATA|EXT', 'plain', 'hz'],
    ['nosuch', '-', '-', 'UNDF', '-', '(not found)'],
  ]);
  const web = e.vnets.find((v) => v.jails.includes(1));
  assert.equal(JSON.parse(run(img, 'nlist', 'ifnet', '--jail', 'web', '--json').out)[0].value, web.translated.ifnet);
  const r = run(img, 'read', 'hz', '4');
  assert.equal(r.out, `${e.symbols.hz.slice(2).padStart(16, '0')}  e8 03 00 00                                       |....|\n`);
});

test('a vnet with a bad magic: vnets reports it, print --all-vnets skips it', async () => {
  const bad = await patched('cli-bad-magic', (kd, e) => [[big(e.vnets[0].address) + 16n, { u32: 0x12345678 }]]);
  const v = run(bad, 'vnets');
  assert.equal(v.status, 0, v.err);
  assert.match(v.lines[1], new RegExp(`^${bad.expected.vnets[0].address}\\s+\\S+\\s+bad magic 0x12345678\\s+`));
  const p = run(bad, 'print', 'tcpstat', '--all-vnets');
  assert.equal(p.status, 0, p.err);
  assert.equal(p.lines[0], `vnet ${bad.expected.vnets[0].address}: skipped, bad magic 0x12345678`);
  assert.equal(p.lines.filter((l) => l.startsWith('tcpstat = struct tcpstat')).length, 2);
  const j = run(bad, 'print', 'tcpstat', '--jail', 'db');
  assert.equal(j.status, 65);
  assert.match(j.err, /^kvm-inspect: 0x[0-9a-f]+ is not a vnet: magic 0x12345678/);
});
