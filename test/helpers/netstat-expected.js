'use strict';
// kvm-netstat tests: what a simulated image's expected.json (written by the simulator from what it
// put in memory) says a vnet holds, as the VnetView the renderers take, and running the CLI.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const d = require('./netstat-data');

const BIN = path.join(__dirname, '..', '..', 'bin', 'kvm-netstat');
const STAT_KEYS = { tcpstat: 'tcp', udpstat: 'udp', ipstat: 'ip', icmpstat: 'icmp', ip6stat: 'ip6', icmp6stat: 'icmp6', rip6stat: 'rip6' };

/** Decimal strings of expected.json -> bigint, recursively. */
function big(v) {
  if (typeof v === 'string') return BigInt(v);
  if (Array.isArray(v)) return v.map(big);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, big(x)]));
}

function ifaceOf(i) {
  return {
    name: i.name,
    index: i.index,
    flags: i.flags,
    mtu: i.mtu,
    link: d.link(i.name, i.mac, i.type),
    counters: big(i.counters),
    addresses: i.addresses.map((a) => {
      const linkLocal = a.family === 'inet6' && /^fe[89ab]/i.test(a.address);
      return a.family === 'inet'
        ? d.inet(a.address, a.prefixlen, a.counters)
        : d.inet6(a.address, a.prefixlen, a.counters, linkLocal ? i.index : 0);
    }),
  };
}

/** The vnet of expected.json owned by jail `jid` (0: the host). */
function expectedVnet(expected, jid = 0) {
  const v = expected.vnets.find((x) => x.ownerJid === jid);
  if (!v) throw new Error(`no vnet owned by jid ${jid}`);
  return v;
}

/** VnetView of an expected.json vnet. */
function viewOf(expected, v) {
  const stats = {};
  for (const [k, rec] of Object.entries(v.stats)) stats[STAT_KEYS[k]] = big(rec);
  if (stats.tcp) stats.tcpStates = v.tcpStates ? v.tcpStates.map(BigInt) : null;
  const jails = expected.jails
    .filter((j) => v.jails.includes(j.jid))
    .map((j) => ({ jid: j.jid, name: j.jid === 0 ? 'host' : j.name }));
  return { address: v.address ? BigInt(v.address) : 0n, jails, interfaces: v.interfaces.map(ifaceOf), stats };
}

/** Runs bin/kvm-netstat; returns { status, stdout, stderr }. */
function netstat(args, opts = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', ...opts });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

module.exports = { big, viewOf, expectedVnet, netstat, STAT_KEYS };
