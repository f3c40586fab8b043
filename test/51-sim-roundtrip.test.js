'use strict';
// Simulator round trip: every dump format the simulator writes x every kernel flavour x every
// architecture the format allows, built from the demo scenario; what the library reads back
// equals what the builder says it wrote (expected.json): symbols, per-vnet translation, per-CPU
// data, raw bytes, typed reads, counter(9) sums, per-CPU statistics, jails, processes and CPUs.
const test = require('node:test');
const assert = require('node:assert/strict');

const { Kvm, KvmError } = require('..');
const { SIM_FORMATS } = require('../dist/sim/formats.js');
const { demoScenario, IF_COUNTER_NAMES } = require('../dist/sim/scenario.js');
const { simImage } = require('./helpers/sim-image');

const FLAVOURS = ['fbsd14', 'fbsd12', 'novimage'];
const hex = (v) => (v === null || v === undefined ? null : '0x' + BigInt(v).toString(16));

/** The demo scenario, with its VNET jails made plain jails for the kernel without VIMAGE. */
function scenarioFor(flavour) {
  const s = demoScenario();
  if (flavour !== 'novimage') return 'demo';
  s.jails = s.jails.map(({ interfaces, stats, ...j }) => ({ ...j, vnet: false }));
  return s;
}

/** A stat record as expected.json writes it: bigints as decimal strings, arrays and nesting kept. */
function statJson(v) {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return Array.from(v, statJson);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, statJson(x)]));
}

function checkImage(kd, e) {
  const vimage = e.kernel.vimage;
  // Symbols.
  for (const [name, want] of Object.entries(e.symbols)) {
    assert.equal(hex(kd.lookupPlain(name)?.value), want, `symbol ${name}`);
  }
  // Raw bytes: the version string and osreldate at their symbols; the message buffer.
  assert.equal(kd.readCString(kd.symbol('version').value), e.kernel.version);
  assert.equal(kd.readS32(kd.symbol('osreldate').value), e.kernel.osreldate);
  assert.equal(kd.info.pointerSize, e.kernel.pointerSize);
  // Minidumps carry the message buffer; the ELF cores do not.
  const msgbuf = kd.msgbuf();
  if (e.format.startsWith('minidump')) assert.equal(msgbuf?.toString('latin1'), e.msgbuf);
  else assert.equal(msgbuf, null);

  // CPUs and per-CPU data.
  const cpus = kd.cpuList();
  assert.deepEqual(cpus.map((c) => ({ id: c.id, pcpu: hex(c.pcpu), dpcpuOff: hex(c.dpcpuOff) })),
    e.cpus.map((c) => ({ id: c.id, pcpu: c.pcpu, dpcpuOff: c.dpcpuOff })));
  const g = kd.cpuGlobals();
  assert.equal(g.ncpus, e.mp.ncpus);
  assert.equal(g.maxId, e.mp.maxid);
  for (const c of e.cpus) {
    if (c.pcputicksAddress === null) continue;
    assert.equal(hex(kd.resolve('pcputicks', { cpu: c.id }).value), c.pcputicksAddress, `pcputicks on CPU ${c.id}`);
    assert.equal(kd.readU64(BigInt(c.pcputicksAddress)).toString(), c.pcputicks, `pcputicks value on CPU ${c.id}`);
  }
  assert.equal(kd.counterEncoding().kind, e.counterEncoding);

  // vnets: translation, typed headers, counter(9) sums of the interfaces, per-CPU statistics.
  if (vimage) {
    assert.deepEqual(kd.vnets().map((v) => hex(v.address)), e.vnets.map((v) => v.address));
  } else {
    assert.throws(() => kd.vnets(), (x) => x instanceof KvmError && x.code === 'NO_VNET');
  }
  for (const v of e.vnets) {
    const opts = v.address === null ? {} : { vnet: BigInt(v.address) };
    const where = `vnet ${v.address ?? '(none)'}`;
    for (const [name, want] of Object.entries(v.translated)) {
      assert.equal(hex(kd.resolve(name, opts)?.value), want, `${name} in ${where}`);
    }
    if (v.address !== null) {
      const hdr = kd.object('struct vnet', BigInt(v.address));
      assert.equal(hex(hdr.member('vnet_magic_n').value()), v.magic);
      assert.equal(Number(hdr.member('vnet_ifcnt').value()), v.ifcnt);
      assert.equal(hex(hdr.member('vnet_data_base').value()), v.dataBase);
    }
    for (const [name, want] of Object.entries(v.stats)) {
      const stat = kd.pcpuStat(name, opts);
      assert.equal(hex(stat.address), v.translated[name], `${name} address in ${where}`);
      assert.deepEqual(statJson(stat.record), want, `${name} in ${where}`);
    }
    for (const ifc of v.interfaces) {
      const ifp = kd.object('struct ifnet', BigInt(ifc.address));
      assert.equal(ifp.member('if_xname').string(), ifc.name);
      assert.equal(Number(ifp.member('if_index').value()), ifc.index);
      assert.equal(Number(ifp.member('if_mtu').value()), ifc.mtu);
      const counters = ifp.member('if_counters');
      IF_COUNTER_NAMES.forEach((name, i) => {
        assert.equal(kd.counter(counters.index(i).value()).toString(), ifc.counters[name], `${ifc.name} ${name} in ${where}`);
      });
    }
  }

  // Jails and processes.
  const jails = kd.jails();
  const jidOf = new Map(jails.map((j) => [j.address, j.jid]));
  const sortBy = (k) => (a, b) => a[k] - b[k];
  assert.deepEqual(
    jails.map((j) => ({ ...j, address: hex(j.address), vnet: hex(j.vnet || null) })).sort(sortBy('jid')),
    e.jails.map((j) => ({ ...j })).sort(sortBy('jid')),
  );
  for (const j of e.jails) {
    const pr = kd.object('struct prison', BigInt(j.address));
    assert.equal(Number(pr.member('pr_id').value()), j.jid);
    assert.equal(pr.member('pr_name').string(), j.jid === 0 ? pr.member('pr_name').string() : j.name);
  }
  assert.deepEqual(
    kd.procs().map((p) => ({
      pid: p.pid, comm: p.comm, address: hex(p.address), jid: jidOf.get(p.prison),
      threads: p.threads.map((t) => ({ tid: t.tid, address: hex(t.address), name: t.name, cpu: t.cpu, vnet: hex(t.vnet || null) })),
    })).sort(sortBy('pid')),
    e.procs.map((p) => ({ ...p, threads: [...p.threads] })).sort(sortBy('pid')),
  );
  const dt = kd.dumpThread();
  assert.equal(dt.thread.tid, e.dump.tid);
  assert.equal(dt.proc.pid, e.dump.pid);
  if (vimage) assert.equal(hex(kd.setVnet('current').vnet.address), e.dump.tdVnet ?? e.dump.procVnet);
}

for (const flavour of FLAVOURS) {
  for (const f of SIM_FORMATS) {
    test(`${flavour} ${f.name}: reads equal expected.json`, { timeout: 120_000 }, async () => {
      const img = await simImage({ scenario: scenarioFor(flavour), format: f.name, flavour, arch: f.arch });
      assert.equal(img.expected.format, f.name);
      assert.equal(img.expected.flavour, flavour);
      assert.equal(img.expected.arch, f.arch);
      const kd = Kvm.open({ kernel: img.kernel, core: img.core });
      try {
        checkImage(kd, img.expected);
      } finally {
        kd.close();
      }
    });
  }
}
