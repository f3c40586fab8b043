'use strict';
// The libkvm layer's per-CPU functions with libkvm's return conventions: kvm_dpcpu_setcpu,
// kvm_getmaxcpu, kvm_getncpus, kvm_getpcpu, kvm_read_zpcpu, kvm_counter_u64_fetch, and
// kvm_nlist2's translation into vnet0 (libkvm's only vnet on a dump) and the selected CPU.
const test = require('node:test');
const assert = require('node:assert/strict');
const L = require('..');
const { simImage } = require('./helpers/sim-image');
const { big, demoWith } = require('./helpers/sim-vnet');

function openLib(img) {
  const err = { message: '' };
  const kd = L.kvm_openfiles(img.kernel, img.core, null, L.O_RDONLY, err);
  assert.ok(kd, err.message);
  return kd;
}

const vnet0Of = (e) => e.vnets[e.vnets.length - 1];
const hostAmd64 = process.arch === 'x64';

test('native amd64 dump: CPU counts, struct pcpu copies, setcpu and nlist translation', { skip: !hostAmd64 && 'libkvm translates only native cores' }, async () => {
  const img = await simImage({ scenario: 'demo' });
  const e = img.expected;
  const kd = openLib(img);
  try {
    assert.equal(L.kvm_native(kd), 1);
    assert.equal(L.kvm_getmaxcpu(kd), kd.kd.cpuGlobals().maxCpus);
    assert.equal(L.kvm_getmaxcpu(kd), 1024);
    assert.equal(L.kvm_getncpus(kd), e.mp.ncpus);
    for (const c of e.cpus) {
      const pc = L.kvm_getpcpu(kd, c.id);
      assert.ok(Buffer.isBuffer(pc));
      assert.equal(pc.length, kd.kd.sizeof('struct pcpu'));
      assert.deepEqual(pc, kd.kd.read(big(c.pcpu), pc.length));
      assert.equal(kd.kd.object('struct pcpu', big(c.pcpu)).member('pc_cpuid').integer(), c.id);
    }
    assert.equal(L.kvm_getpcpu(kd, 4), null, 'absent CPU');
    assert.equal(L.kvm_getpcpu(kd, 1024), null, 'past mp_maxcpus');

    // nlist before any setcpu: vnet0 and CPU 0, as libkvm on a dump.
    const nl = [{ n_name: '_tcpstat' }, { n_name: '_pcputicks' }, { n_name: '_hz' }, { n_name: '_nosuch' }];
    assert.equal(L.kvm_nlist2(kd, nl), 1);
    assert.equal(nl[0].n_value, big(vnet0Of(e).translated.tcpstat));
    assert.equal(nl[1].n_value, big(e.cpus[0].pcputicksAddress));
    assert.equal(nl[2].n_value, big(e.symbols.hz));
    assert.deepEqual([nl[3].n_type, nl[3].n_value], [L.N_UNDF, 0n]);

    for (const c of e.cpus) {
      assert.equal(L.kvm_dpcpu_setcpu(kd, c.id), 0);
      const one = [{ n_name: '_pcputicks' }];
      assert.equal(L.kvm_nlist2(kd, one), 0);
      assert.equal(one[0].n_value, big(c.pcputicksAddress), `CPU ${c.id}`);
    }
    assert.equal(L.kvm_dpcpu_setcpu(kd, 1024), -1);
    assert.equal(L.kvm_geterr(kd), '_kvm_dpcpu_setcpu: CPU 1024 too big');
    assert.equal(L.kvm_dpcpu_setcpu(kd, 9), -1);
    assert.equal(L.kvm_geterr(kd), '_kvm_dpcpu_setcpu: CPU 9 not found');

    // counter(9) through libkvm's rule equals the library's sum on dense CPU ids.
    const handles = kd.kd.readArray(big(vnet0Of(e).translated.tcpstat), 8, 8);
    const buf = Buffer.alloc(8);
    for (const h of handles) {
      const per = kd.kd.counterPerCpu(h);
      for (const p of per) {
        assert.equal(L.kvm_read_zpcpu(kd, h, buf, 8, p.cpu), 8);
        assert.equal(buf.readBigUInt64LE(), p.value);
      }
      assert.equal(L.kvm_counter_u64_fetch(kd, h), kd.kd.counter(h));
    }
    assert.equal(BigInt(e.vnets.length), BigInt(kd.kd.vnets().length));
  } finally {
    L.kvm_close(kd);
  }
  assert.equal(L.kvm_getmaxcpu(null), 0);
  assert.equal(L.kvm_getpcpu(null, 0), null);
});

test('sparse CPU ids: libkvm sums CPUs 0..mp_ncpus-1 and so misses the high ids', { skip: !hostAmd64 && 'native only' }, async () => {
  const img = await simImage({ scenario: demoWith({ cpus: [0, 2, 5, 7], dump: { jail: 'db', cpu: 5, inNetworkCode: true } }) });
  const e = img.expected;
  const kd = openLib(img);
  try {
    assert.equal(L.kvm_getncpus(kd), 4);
    assert.equal(L.kvm_dpcpu_setcpu(kd, 1), -1);
    assert.equal(L.kvm_geterr(kd), '_kvm_dpcpu_setcpu: CPU 1 not found');
    assert.equal(L.kvm_dpcpu_setcpu(kd, 7), 0);
    const one = [{ n_name: 'pcputicks' }];
    L.kvm_nlist2(kd, one);
    assert.equal(one[0].n_value, big(e.cpus.find((c) => c.id === 7).pcputicksAddress));
    assert.equal(L.kvm_getpcpu(kd, 1), null);
    assert.ok(Buffer.isBuffer(L.kvm_getpcpu(kd, 5)));
    const [h] = kd.kd.readArray(big(vnet0Of(e).translated.tcpstat), 1, 8);
    const per = kd.kd.counterPerCpu(h);
    assert.deepEqual(per.map((p) => p.cpu), [0, 2, 5, 7]);
    const low = per.filter((p) => p.cpu < 4).reduce((a, p) => a + p.value, 0n);
    const all = per.reduce((a, p) => a + p.value, 0n);
    assert.equal(kd.kd.counter(h), all);
    assert.equal(L.kvm_counter_u64_fetch(kd, h), low, 'absent CPUs 1 and 3 have zero slots; 5 and 7 are never read');
    assert.notEqual(low, all);
  } finally {
    L.kvm_close(kd);
  }
});

test('non-native (arm64) core: DPCPU init fails the libkvm way, pcpu cache still works', async () => {
  const img = await simImage({ scenario: 'demo', arch: 'arm64' });
  const e = img.expected;
  const kd = openLib(img);
  try {
    assert.equal(L.kvm_native(kd), hostAmd64 ? 0 : L.kvm_native(kd));
    if (!hostAmd64) return;
    assert.equal(L.kvm_dpcpu_setcpu(kd, 1), -1);
    assert.equal(L.kvm_geterr(kd), 'kvm_dpcpu_setcpu: init failed');
    assert.equal(L.kvm_read_zpcpu(kd, 0x1000n, Buffer.alloc(8), 8, 0), -1);
    assert.equal(L.kvm_getncpus(kd), e.mp.ncpus);
    assert.equal(L.kvm_getmaxcpu(kd), kd.kd.cpuGlobals().maxCpus);
    const pc = L.kvm_getpcpu(kd, 2);
    assert.deepEqual(pc, kd.kd.read(big(e.cpus[2].pcpu), pc.length));
    // No translation for a non-native core: the prefixed names stay unresolved.
    const nl = [{ n_name: '_tcpstat' }, { n_name: '_hz' }];
    assert.equal(L.kvm_nlist2(kd, nl), 1);
    assert.equal(nl[1].n_value, big(e.symbols.hz));
  } finally {
    L.kvm_close(kd);
  }
});
