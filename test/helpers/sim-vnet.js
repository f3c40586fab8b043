'use strict';
// Shared bits of the 6x tests (vnet/pcpu/jails): scenario variants of `demo` and expected.json
// values turned into what the library returns.
const { demoScenario } = require('../../dist/sim/scenario.js');

const big = (h) => (h === null || h === undefined ? null : BigInt(h));

/** demo with other dump settings, sparse CPUs, or no VNET jails (for the novimage kernel). */
function demoWith({ dump, cpus, noVnetJails, destroyedVnet } = {}) {
  const s = demoScenario();
  if (dump) s.dump = dump;
  if (cpus) s.cpus = cpus;
  if (noVnetJails) s.jails = s.jails.map(({ interfaces, ...j }) => ({ ...j, vnet: false }));
  if (destroyedVnet) s.destroyedVnet = true;
  s.name = 'demo-variant';
  return s;
}

/** A pcpuStat record with bigints as decimal strings, the way expected.json writes them. */
function statStrings(v) {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(statStrings);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, statStrings(x)]));
}

module.exports = { big, demoWith, statStrings };
