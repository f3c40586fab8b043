'use strict';
// Per-vnet and per-CPU translation on every simulated dump format, both VIMAGE release flavours:
// each vnet's copy of each virtualized variable and each CPU's copy of pcputicks sit where the
// simulator put them (expected.json), through resolve, nlist, setVnet/setCpu, perVnet and perCpu.
const test = require('node:test');
const assert = require('node:assert/strict');
const { Kvm } = require('..');
const { SIM_FORMATS } = require('../dist/sim/formats.js');
const { simImage } = require('./helpers/sim-image');
const { big } = require('./helpers/sim-vnet');

for (const format of SIM_FORMATS) {
  for (const flavour of ['fbsd14', 'fbsd12']) {
    test(`${format.name} ${flavour}: vnet and CPU copies where the simulator put them`, async () => {
      const img = await simImage({ scenario: 'demo', format: format.name, flavour, arch: format.arch });
      const e = img.expected;
      const kd = Kvm.open({ kernel: img.kernel, core: img.core });
      try {
        assert.equal(kd.info.arch, format.arch);
        for (const [name, addr] of Object.entries(e.symbols)) {
          if (addr === null) assert.equal(kd.lookupPlain(name), null, name);
          else assert.equal(kd.lookupPlain(name).value, BigInt(addr), name);
        }
        const vnet0 = e.vnets[e.vnets.length - 1];
        // libkvm's defaults: vnet0 and CPU 0.
        assert.equal(kd.selection.vnet.vnet.address, big(vnet0.address));
        assert.equal(kd.selection.vnet.how, 'vnet0');
        assert.equal(kd.selection.cpu.id, 0);
        assert.equal(kd.symbol('tcpstat').value, big(vnet0.translated.tcpstat));

        let checked = 0;
        for (const v of e.vnets) {
          const va = big(v.address);
          for (const [name, addr] of Object.entries(v.translated)) {
            if (addr === null) continue;
            const r = kd.resolve(name, { vnet: va });
            assert.equal(r.kind, 'vnet', name);
            assert.equal(r.symbol, `vnet_entry_${name}`);
            assert.equal(r.value, BigInt(addr), `${name} in vnet ${v.address}`);
            // The a.out spelling with one leading underscore resolves the same.
            assert.equal(kd.resolve(`_${name}`, { vnet: va }).value, BigInt(addr));
            checked++;
          }
          kd.setVnet(va);
          const [n] = kd.nlist(['_ifnet']);
          assert.deepEqual([n.found, n.kind, n.value], [true, 'vnet', big(v.translated.ifnet)]);
        }
        assert.ok(checked >= e.vnets.length * 6, `checked ${checked}`);
        assert.deepEqual(kd.perVnet('tcpstat'), e.vnets.map((v) => ({ vnet: big(v.address), address: big(v.translated.tcpstat) })));

        for (const c of e.cpus) {
          const r = kd.resolve('pcputicks', { cpu: c.id });
          assert.equal(r.kind, 'pcpu');
          assert.equal(r.value, big(c.pcputicksAddress), `pcputicks of CPU ${c.id}`);
          assert.equal(BigInt(kd.readU32(r.value)), BigInt(c.pcputicks));
          kd.setCpu(c.id);
          assert.equal(kd.symbol('pcputicks').value, big(c.pcputicksAddress));
        }
        assert.deepEqual(kd.perCpu('pcputicks'), e.cpus.map((c) => ({ cpu: c.id, address: big(c.pcputicksAddress) })));
        // Plain symbols never translate.
        assert.equal(kd.resolve('hz', { vnet: big(e.vnets[0].address), cpu: 1 }).value, big(e.symbols.hz));
        assert.equal(kd.resolve('vnet_entry_tcpstat').value, big(e.symbols.vnet_entry_tcpstat));
      } finally {
        kd.close();
      }
    });
  }
}
