/**
 * expected.json: everything a reader of a simulated image should find, written by the builder
 * from what it put in memory. Addresses are "0x..." strings; counter values are decimal strings
 * (they may exceed 2^53). Schema in docs/sim.md.
 */
import type { BootContext } from './boot/context';
import type { CpuSetup } from './boot/cpus';
import type { ExpectedInterface } from './boot/ifnet';
import type { SimJail, SimProc, SimThread } from './boot/jails';
import type { StackStats, StatValue } from './boot/stats';
import { vnetAddr, type SimVnet } from './boot/vnets';

const hex = (v: bigint | null | undefined): string | null => (v === null || v === undefined ? null : '0x' + v.toString(16));

type JsonStat = string | JsonStat[] | { [k: string]: JsonStat };
function statJson(v: StatValue): JsonStat {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(statJson);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, statJson(x)]));
}

export interface Expected {
  schema: 1;
  scenario: string;
  flavour: string;
  arch: string;
  seed: number;
  format: string;
  kernel: { version: string; release: string; osreldate: number; vimage: boolean; pointerSize: number };
  symbols: Record<string, string | null>;
  counterEncoding: string;
  counters: number;
  pcpu: { form: string; base: string; size: number };
  mp: { ncpus: number; maxid: number };
  cpus: { id: number; pcpu: string; dpcpuOff: string; pcputicks: string; pcputicksAddress: string | null }[];
  vnets: {
    address: string | null;
    dataMem: string | null;
    dataBase: string | null;
    magic: string | null;
    ifcnt: number;
    ownerJid: number;
    jails: number[];
    translated: Record<string, string | null>;
    interfaces: unknown[];
    stats: Record<string, JsonStat>;
    tcpStates: string[] | null;
  }[];
  jails: { jid: number; name: string; path: string; hostname: string; address: string; parent: number | null; flags: number; vnet: string | null; ownsVnet: boolean }[];
  procs: { pid: number; comm: string; address: string; jid: number; threads: { tid: number; address: string; name: string; cpu: number | null; vnet: string | null }[] }[];
  dump: { tid: number; pid: number; cpu: number; jid: number; tdVnet: string | null; procVnet: string | null };
  destroyedVnet: string | null;
  msgbuf: string | null;
}

export interface ExpectedInput {
  ctx: BootContext;
  format: string;
  cpus: CpuSetup;
  counters: { encoding: string; count: number };
  stacks: { jid: number; vnet: SimVnet | null; interfaces: ExpectedInterface[]; stats: StackStats }[];
  jails: SimJail[];
  procs: SimProc[];
  dumpThread: SimThread;
  dumpProc: SimProc;
  dumpCpu: number;
  dumpJail: SimJail;
  tdVnet: bigint;
  destroyed: bigint | null;
  msgbuf: string | null;
  hasSym: (name: string) => boolean;
}

const SYMBOLS = [
  'kernbase', 'version', 'osreldate', 'hz', 'dumptid', 'allproc', 'proc0', 'prison0', 'allprison', 'vnet0', 'vnet_head',
  '__start_set_vnet', '__stop_set_vnet', '__start_set_pcpu', '__stop_set_pcpu', 'dpcpu_off', 'cpuid_to_pcpu',
  'mp_maxcpus', 'mp_ncpus', 'mp_maxid', '__pcpu', 'KPML4phys', 'if_get_counter_default', 'vnet_entry_tcpstat',
  'vnet_entry_ifnet', 'pcpu_entry_pcputicks', 'tcpstat', 'ifnet', 'cpuhead',
];

const TRANSLATED = ['ifnet', 'tcpstat', 'udpstat', 'ipstat', 'icmpstat', 'ip6stat', 'icmp6stat', 'tcps_states'];

function ifJson(i: ExpectedInterface): unknown {
  const counters = Object.fromEntries(Object.entries(i.counters).map(([k, v]) => [k, v.toString()]));
  return {
    name: i.name, index: i.index, address: hex(i.address), flags: i.flags, mtu: i.mtu, type: i.type, mac: i.mac, up: i.up, counters,
    addresses: i.addresses.map((a) => ({ ...a, counters: Object.fromEntries(Object.entries(a.counters).map(([k, v]) => [k, v.toString()])) })),
  };
}

export function toExpected(x: ExpectedInput): Expected {
  const { ctx } = x;
  const s = ctx.scenario;
  const symbols: Record<string, string | null> = {};
  for (const n of SYMBOLS) symbols[n] = x.hasSym(n) ? hex(ctx.kernel.lookupPlain(n)!.value) : null;
  const ticks = x.hasSym('pcpu_entry_pcputicks') ? ctx.kernel.lookupPlain('pcpu_entry_pcputicks')!.value : null;
  // vnet_head order: newest first, vnet0 last.
  const stacks = [...x.stacks].reverse();
  const vnets = stacks.map((st) => ({
    address: hex(st.vnet?.address),
    dataMem: hex(st.vnet?.dataMem),
    dataBase: hex(st.vnet?.dataBase),
    magic: st.vnet ? '0x' + st.vnet.magic.toString(16) : null,
    ifcnt: st.interfaces.length,
    ownerJid: st.jid,
    jails: x.jails.filter((j) => (st.vnet ? j.vnet?.address === st.vnet.address : true)).map((j) => j.jid),
    translated: Object.fromEntries(TRANSLATED.map((n) => {
      const plain = ctx.vimage ? `vnet_entry_${n}` : n;
      return [n, x.hasSym(plain) ? hex(vnetAddr(ctx, st.vnet, n)) : null];
    })),
    interfaces: st.interfaces.map(ifJson),
    stats: Object.fromEntries(Object.entries(st.stats.records).map(([k, v]) => [k, statJson(v)])),
    tcpStates: st.stats.tcpStates ? st.stats.tcpStates.map(String) : null,
  }));
  return {
    schema: 1,
    scenario: s.name,
    flavour: s.flavour,
    arch: s.arch,
    seed: s.seed,
    format: x.format,
    kernel: {
      version: ctx.flavour.version[s.arch],
      release: ctx.flavour.release,
      osreldate: ctx.flavour.osreldate,
      vimage: ctx.vimage,
      pointerSize: ctx.ptrSize,
    },
    symbols,
    counterEncoding: x.counters.encoding,
    counters: x.counters.count,
    pcpu: { form: x.cpus.pcpuForm, base: hex(x.cpus.pcpuBase)!, size: x.cpus.pcpuSize },
    mp: { ncpus: s.cpus.length, maxid: Math.max(...s.cpus) },
    cpus: x.cpus.cpus.map((c) => ({
      id: c.id, pcpu: hex(c.pcpu)!, dpcpuOff: hex(c.dpcpuOff)!, pcputicks: c.pcputicks.toString(),
      pcputicksAddress: ticks === null ? null : hex(BigInt.asUintN(64, ticks + c.dpcpuOff)),
    })),
    vnets,
    jails: x.jails.map((j) => ({
      jid: j.jid, name: j.name, path: j.path, hostname: j.hostname, address: hex(j.address)!, parent: j.parent,
      flags: j.flags, vnet: hex(j.vnet?.address), ownsVnet: j.ownsVnet,
    })),
    procs: x.procs.map((p) => ({
      pid: p.pid, comm: p.comm, address: hex(p.address)!, jid: p.jid,
      threads: p.threads.map((t) => ({ tid: t.tid, address: hex(t.address)!, name: t.name, cpu: t.cpu, vnet: t.vnet ? hex(t.vnet) : null })),
    })),
    dump: {
      tid: x.dumpThread.tid, pid: x.dumpProc.pid, cpu: x.dumpCpu, jid: x.dumpJail.jid,
      tdVnet: x.tdVnet ? hex(x.tdVnet) : null, procVnet: hex(x.dumpJail.vnet?.address),
    },
    destroyedVnet: hex(x.destroyed),
    msgbuf: x.msgbuf,
  };
}
