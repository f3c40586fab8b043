'use strict';
// Corrupt kernel lists in simulated images: self-referencing and cyclic vnet_head, allprison,
// allproc, p_threads and ifnet lists, a vnet list that loops back, absurd CPU counts. Every
// walk ends in KvmError('CORRUPT') naming the list; the per-test timeout is the time bound (a
// walker without cycle detection would spin until it fires).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { Kvm, KvmError } = require('..');
const { walkList, DEFAULT_LIST_LIMIT } = require('../dist/helpers/queue.js');
const { simImage } = require('./helpers/sim-image');
const { patchedCore, kernelWithSymbolSize } = require('./helpers/vcore-patch');

const BOUND = { timeout: 30_000 };
const big = (s) => BigInt(s);

let img;
let dir;
let head; // offsets from DWARF, read once from the intact image
let order; // list order (the expected.json order may differ): jails and procs as walked
const opened = [];

test.before(async () => {
  img = await simImage({ scenario: 'demo', format: 'elf-vcore-amd64' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'libkvm-lists-'));
  const kd = Kvm.open({ kernel: img.kernel, core: img.core });
  head = {
    prList: big(kd.offsetof('struct prison', 'pr_list')),
    pList: big(kd.offsetof('struct proc', 'p_list')),
    pThreads: big(kd.offsetof('struct proc', 'p_threads')),
    tdPlist: big(kd.offsetof('struct thread', 'td_plist')),
    ifLink: big(kd.offsetof('struct ifnet', 'if_link')),
  };
  order = {
    jails: kd.jails().filter((j) => j.jid !== 0).map((j) => ({ jid: j.jid, address: j.address })),
    procs: kd.procs().map((p) => ({ pid: p.pid, address: p.address, threads: p.threads.map((t) => t.address) })),
  };
  kd.close();
});

test.after(() => {
  for (const kd of opened) kd.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Opens a copy of the demo core with `edits` applied. */
function corrupt(name, edits) {
  const kd = Kvm.open({ kernel: img.kernel, core: patchedCore(img.core, dir, name, edits) });
  opened.push(kd);
  return kd;
}

/** Asserts that fn throws KvmError CORRUPT whose message and name field mention `list`. */
function assertCorrupt(fn, list, what = /loops back/) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof KvmError, `not a KvmError: ${e}`);
    assert.equal(e.code, 'CORRUPT', e.message);
    assert.ok(e.message.includes(list), `message does not name ${list}: ${e.message}`);
    assert.match(e.message, what);
    return true;
  });
}

test('the intact demo image walks every list', BOUND, () => {
  const kd = Kvm.open({ kernel: img.kernel, core: img.core });
  opened.push(kd);
  assert.deepEqual(kd.vnets().map((v) => '0x' + v.address.toString(16)), img.expected.vnets.map((v) => v.address));
  const sorted = (a) => [...a].sort((x, y) => x - y);
  assert.deepEqual(sorted(kd.jails().map((j) => j.jid)), sorted(img.expected.jails.map((j) => j.jid)));
  assert.deepEqual(sorted(kd.procs().map((p) => p.pid)), sorted(img.expected.procs.map((p) => p.pid)));
  assert.deepEqual(order.procs.map((p) => '0x' + p.address.toString(16)).sort(), img.expected.procs.map((p) => p.address).sort());
  assert.equal(kd.cpuList().length, img.expected.cpus.length);
});

test('vnet_head: a vnet linked to itself is CORRUPT naming vnet_head', BOUND, () => {
  const first = big(img.expected.vnets[0].address);
  const kd = corrupt('vnet-self', [{ va: first, u64: first }]);
  assertCorrupt(() => kd.vnets(), 'vnet_head');
  assertCorrupt(() => kd.vnetList(), 'vnet_head');
  assertCorrupt(() => kd.perVnet('tcpstat'), 'vnet_head');
});

test('vnet_head: the last vnet (vnet0) linked back to the first loops, CORRUPT', BOUND, () => {
  const vnets = img.expected.vnets;
  const last = big(vnets[vnets.length - 1].address);
  const kd = corrupt('vnet-loop', [{ va: last, u64: big(vnets[0].address) }]);
  assertCorrupt(() => kd.vnets(), 'vnet_head', new RegExp(`after ${vnets.length} entries`));
  assertCorrupt(() => kd.perVnet('ifnet'), 'vnet_head');
  // Selecting vnet0 by name does not need the list and still works.
  assert.equal(kd.setVnet('vnet0').vnet.address, last);
});

test('vnet_head: the head pointing at itself is CORRUPT, at unmapped memory is FAULT', BOUND, () => {
  const headVa = big(img.expected.symbols.vnet_head);
  // The head's first pointer names the head itself: a vnet whose le_next is the head again.
  const self = corrupt('vnet-head-self', [{ va: headVa, u64: headVa }]);
  assertCorrupt(() => self.vnetList(), 'vnet_head');
  const wild = corrupt('vnet-head-wild', [{ va: headVa, u64: 0x0000dead00000000n }]);
  assert.throws(() => wild.vnetList(), (e) => e instanceof KvmError && e.code === 'FAULT');
});

test('vnets(): a vnet with a smashed magic is listed with its problem; selecting it is CORRUPT', BOUND, () => {
  const v = big(img.expected.vnets[0].address);
  const kd = corrupt('vnet-magic', [{ va: v + 16n, u32: 0x12345678 }]);
  const list = kd.vnets();
  assert.equal(list.length, img.expected.vnets.length);
  assert.equal(list[0].magicKind, 'bad');
  assert.ok(list[0].problem, 'the bad vnet carries a problem');
  assert.throws(() => kd.setVnet(v), (e) => e.code === 'CORRUPT' && /magic 0x12345678/.test(e.message));
});

test('allprison: self-referencing and cyclic jail lists are CORRUPT naming allprison', BOUND, () => {
  const jails = order.jails;
  assert.ok(jails.length >= 2);
  const a = jails[0].address;
  const self = corrupt('prison-self', [{ va: a + head.prList, u64: a }]);
  assertCorrupt(() => self.jails(), 'allprison');
  // vnets() still lists every vnet, without jail names, when only allprison is corrupt.
  const vnets = self.vnets();
  assert.equal(vnets.length, img.expected.vnets.length);
  assert.deepEqual(vnets.flatMap((v) => v.jails), []);
  assert.throws(() => self.setVnet({ jail: jails[1].jid }), (e) => e.code === 'CORRUPT' && e.message.includes('allprison'));
  const lastJail = jails[jails.length - 1].address;
  const cycle = corrupt('prison-cycle', [{ va: lastJail + head.prList, u64: a }]);
  assertCorrupt(() => cycle.jails(), 'allprison', new RegExp(`after ${jails.length} entries`));
});

test('allproc and p_threads: cycles are CORRUPT naming the list', BOUND, () => {
  const procs = order.procs;
  const first = procs[0].address;
  const last = procs[procs.length - 1].address;
  const cycle = corrupt('proc-cycle', [{ va: last + head.pList, u64: first }]);
  assertCorrupt(() => cycle.procs(), 'allproc', new RegExp(`after ${procs.length} entries`));
  assertCorrupt(() => cycle.dumpThread(), 'allproc');
  assert.throws(() => cycle.setVnet({ pid: procs[1].pid }), (e) => e.code === 'CORRUPT' && e.message.includes('allproc'));

  const withThreads = procs.find((p) => p.threads.length > 0);
  const td = withThreads.threads[0];
  const tdSelf = corrupt('thread-self', [{ va: td + head.tdPlist, u64: td }]);
  assertCorrupt(() => tdSelf.procs(), `p_threads of proc ${withThreads.address.toString(16)}`);
});

test('ifnet: a vnet interface list that loops is CORRUPT naming it (queue walker)', BOUND, () => {
  for (const v of img.expected.vnets) {
    const ifs = v.interfaces.map((i) => big(i.address));
    const headVa = big(v.translated.ifnet);
    const name = `ifnet of vnet ${v.address}`;
    const lastIf = ifs[ifs.length - 1];
    const kd = corrupt(`ifnet-loop-${v.address}`, [{ va: lastIf + head.ifLink, u64: ifs[0] }]);
    const walk = () => [...walkList(kd, { name, first: kd.readPointer(headVa), nextOffset: head.ifLink })];
    assertCorrupt(walk, name, new RegExp(`after ${ifs.length} entries`));
    // The intact list, through the same walker, is the expected interfaces in order.
    const good = opened[0];
    assert.deepEqual([...walkList(good, { name, first: good.readPointer(headVa), nextOffset: head.ifLink })], ifs);
  }
});

test('walkList: the length limit turns an over-long list into CORRUPT; the default is finite', BOUND, () => {
  const kd = opened[0];
  const headVa = big(img.expected.symbols.allproc);
  const all = [...walkList(kd, { name: 'allproc', first: kd.readPointer(headVa), nextOffset: head.pList })];
  assert.equal(all.length, img.expected.procs.length);
  const limited = () => [...walkList(kd, { name: 'allproc', first: kd.readPointer(headVa), nextOffset: head.pList, limit: 3 })];
  assertCorrupt(limited, 'allproc', /more than 3 entries/);
  assert.ok(Number.isFinite(DEFAULT_LIST_LIMIT) && DEFAULT_LIST_LIMIT <= 1_000_000);
});

test('mp_maxcpus absurd (huge, zero, negative): CPU lists and per-CPU lookups are CORRUPT naming it', BOUND, () => {
  const sym = big(img.expected.symbols.mp_maxcpus);
  for (const [label, value] of [['huge', 0x7fffffff], ['zero', 0], ['negative', -1], ['just-over', (1 << 16) + 1]]) {
    const kd = corrupt(`maxcpus-${label}`, [{ va: sym, u32: value }]);
    const check = (fn) =>
      assert.throws(fn, (e) => {
        assert.equal(e.code, 'CORRUPT', `${label}: ${e.message}`);
        assert.equal(e.symbol, 'mp_maxcpus');
        assert.match(e.message, /mp_maxcpus is -?\d+/);
        return true;
      });
    check(() => kd.cpuList());
    check(() => kd.cpuGlobals());
    check(() => kd.perCpu('pcputicks'));
  }
});

test('mp_maxcpus at its largest accepted value stays bounded: empty slots are skipped', BOUND, () => {
  // 65536 slots of dpcpu_off/cpuid_to_pcpu run past the mapped arrays: a FAULT, not a hang or
  // a huge allocation.
  const sym = big(img.expected.symbols.mp_maxcpus);
  const kd = corrupt('maxcpus-max', [{ va: sym, u32: 1 << 16 }]);
  try {
    const cpus = kd.cpuList();
    assert.ok(cpus.length >= img.expected.cpus.length && cpus.length <= 1 << 16);
  } catch (e) {
    assert.ok(e instanceof KvmError, String(e));
    assert.ok(['FAULT', 'TRUNCATED', 'CORRUPT'].includes(e.code), e.message);
  }
});

test('a VNET_PCPUSTAT array with an absurd symbol size is CORRUPT naming it, before any read', BOUND, () => {
  const v = big(img.expected.vnets[0].address);
  for (const [label, size] of [['huge', 1n << 40n], ['zero', 0n], ['odd', 12n], ['just-over', 8n * 65537n]]) {
    const kernel = kernelWithSymbolSize(img.kernel, dir, `kernel-tcpstat-${label}`, 'vnet_entry_tcpstat', size);
    const kd = Kvm.open({ kernel, core: img.core });
    opened.push(kd);
    assert.throws(() => kd.pcpuStat('tcpstat', { vnet: v }), (e) => {
      assert.equal(e.code, 'CORRUPT', `${label}: ${e.message}`);
      assert.equal(e.symbol, 'tcpstat');
      return true;
    });
    // The other arrays of the same vnet still read.
    assert.ok(kd.pcpuStat('udpstat', { vnet: v }).values.length > 0);
  }
});
