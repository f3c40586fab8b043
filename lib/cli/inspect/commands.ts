/** kvm-inspect's commands; each returns the text to print. */
import type { Argv } from 'yargs';
import type { Kvm } from '../../kvm';
import type { ResolveOptions, VnetSelector } from '../../translation';
import { KvmError } from '../../errors';
import { openImage, UsageError, type CoreArgs } from '../common';
import { parseAddress, parseNumber } from '../address';
import { hexdump } from '../hexdump';
import { hexAddr, toJson } from '../json';
import { renderTable } from '../table';
import { runPrint } from './print';

export interface InspectArgs {
  json: boolean;
  vnet?: string;
  jail?: string;
  pid?: number;
  cpu?: number;
  allVnets: boolean;
  allCpus: boolean;
  raw: boolean;
  [k: string]: unknown;
}

export interface InspectCommand {
  command: string;
  describe: string;
  builder?: (y: Argv) => Argv;
  run: (args: InspectArgs & CoreArgs) => string;
}

/** The vnet selector named by --vnet/--jail/--pid, if any. */
export function vnetSelector(args: InspectArgs): VnetSelector | undefined {
  const given = [args.vnet !== undefined, args.jail !== undefined, args.pid !== undefined].filter(Boolean).length;
  if (given > 1) throw new UsageError('give at most one of --vnet, --jail and --pid');
  if (args.jail !== undefined) return /^[0-9]+$/.test(args.jail) ? { jail: Number(args.jail) } : { jail: args.jail };
  if (args.pid !== undefined) return { pid: args.pid };
  if (args.vnet !== undefined) {
    if (args.vnet === 'vnet0' || args.vnet === 'current') return args.vnet;
    const n = parseNumber(args.vnet);
    if (n === null) throw new UsageError(`--vnet takes an address, vnet0 or current, not ${args.vnet}`);
    return n;
  }
  return undefined;
}

export function resolveOptions(args: InspectArgs): ResolveOptions {
  const o: ResolveOptions = {};
  const v = vnetSelector(args);
  if (v !== undefined) o.vnet = v;
  if (args.cpu !== undefined) o.cpu = args.cpu;
  return o;
}

function withImage<T>(args: CoreArgs, fn: (kd: Kvm) => T): T {
  const kd = openImage(args);
  try {
    return fn(kd);
  } finally {
    kd.close();
  }
}

const N_TYPE_NAMES: Record<number, string> = { 0: 'UNDF', 2: 'ABS', 4: 'TEXT', 6: 'DATA', 8: 'BSS', 0x1f: 'FN' };
function ntypeName(t: number): string {
  const base = N_TYPE_NAMES[t & ~1] ?? `0x${t.toString(16)}`;
  return t & 1 ? `${base}|EXT` : base;
}

const info: InspectCommand = {
  command: 'info',
  describe: 'format, architecture, kernel version, CPUs and vnets of the image',
  run: (args) =>
    withImage(args, (kd) => {
      const i = kd.info;
      const t = kd.native.translation();
      let cpus: number | null = null;
      let vnets: number | null = null;
      try {
        cpus = kd.cpuList().length;
      } catch (e) {
        if (!(e instanceof KvmError)) throw e;
      }
      try {
        vnets = t[0] !== null ? kd.vnetList().length : null;
      } catch (e) {
        if (!(e instanceof KvmError)) throw e;
      }
      const record = {
        format: i.format,
        arch: i.arch,
        pointerSize: i.pointerSize,
        byteOrder: i.byteOrder,
        version: i.version,
        symbols: i.symbolCount,
        vimage: t[0] !== null,
        vnets,
        cpus,
        fields: Object.fromEntries(Object.entries(i.fields).map(([k, v]) => [k, typeof v === 'bigint' ? hexAddr(v) : v])),
      };
      if (args.json) return toJson(record) + '\n';
      const rows: [string, string][] = [
        ['format', `${i.format} (${i.formatDescription})`],
        ['arch', `${i.arch}, ${i.pointerSize * 8}-bit, ${i.byteOrder}-endian`],
        ['version', i.version?.trim() ?? '(none)'],
        ['symbols', `${i.symbolCount} (${i.symbolSource || 'none'})`],
        ['VIMAGE', t[0] !== null ? `yes, ${vnets ?? '?'} vnets` : 'no'],
        ['CPUs', cpus === null ? '(unknown)' : String(cpus)],
        ...Object.entries(record.fields).map(([k, v]) => [k, String(v)] as [string, string]),
      ];
      const w = Math.max(...rows.map((r) => r[0].length));
      return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n';
    }),
};

const nlist: InspectCommand = {
  command: 'nlist <names..>',
  describe: 'look up symbols (libkvm order: plain, vnet_entry_, pcpu_entry_)',
  builder: (y) => y.positional('names', { type: 'string', array: true }),
  run: (args) =>
    withImage(args, (kd) => {
      const names = (args.names as string[]).map(String);
      const entries = kd.nlist(names, resolveOptions(args));
      if (args.json) {
        return toJson(entries.map((e) => ({ name: e.name, found: e.found, value: hexAddr(e.value), size: e.size,
          type: ntypeName(e.type), kind: e.kind, symbol: e.symbol }))) + '\n';
      }
      return renderTable(
        [{ title: 'NAME' }, { title: 'VALUE' }, { title: 'SIZE', align: 'right' }, { title: 'TYPE' }, { title: 'KIND' }, { title: 'SYMBOL' }],
        entries.map((e) => e.found
          ? [e.name, hexAddr(e.value)!, String(e.size), ntypeName(e.type), e.kind!, e.symbol!]
          : [e.name, '-', '-', 'UNDF', '-', '(not found)']),
      );
    }),
};

const read: InspectCommand = {
  command: 'read <addr> <len>',
  describe: 'hexdump LEN bytes at ADDR (an address, symbol or symbol+offset)',
  builder: (y) => y.positional('addr', { type: 'string' }).positional('len', { type: 'string' }),
  run: (args) =>
    withImage(args, (kd) => {
      const addr = parseAddress(kd, String(args.addr), resolveOptions(args));
      const len = parseNumber(String(args.len));
      if (len === null || len > 1n << 24n) throw new UsageError(`length must be a number up to 16 MiB, not ${args.len}`);
      const bytes = kd.read(addr, Number(len));
      if (args.json) return toJson({ address: hexAddr(addr), length: Number(len), bytes: bytes.toString('hex') }) + '\n';
      return hexdump(addr, bytes);
    }),
};

const cpus: InspectCommand = {
  command: 'cpus',
  describe: 'present CPUs with their dpcpu_off and struct pcpu addresses',
  run: (args) =>
    withImage(args, (kd) => {
      const g = kd.cpuGlobals();
      const list = kd.cpuList();
      if (args.json) {
        return toJson({ maxCpus: g.maxCpus, ncpus: g.ncpus, maxId: g.maxId,
          cpus: list.map((c) => ({ id: c.id, dpcpuOff: hexAddr(c.dpcpuOff), pcpu: hexAddr(c.pcpu) })) }) + '\n';
      }
      return renderTable([{ title: 'CPU', align: 'right' }, { title: 'DPCPU_OFF' }, { title: 'PCPU' }],
        list.map((c) => [String(c.id), hexAddr(c.dpcpuOff)!, c.pcpu === null ? '-' : hexAddr(c.pcpu)!]));
    }),
};

const print: InspectCommand = {
  command: 'print <expr..>',
  describe: 'typed print of a global, *(struct T *)ADDR or (struct T *)ADDR, with a member path (DDB resolution order)',
  builder: (y) => y.positional('expr', { type: 'string', array: true }),
  run: (args) =>
    withImage(args, (kd) => {
      const v = vnetSelector(args);
      return runPrint(kd, (args.expr as string[]).map(String).join(' '), {
        ...(v !== undefined ? { vnet: v } : {}),
        ...(args.cpu !== undefined ? { cpu: args.cpu } : {}),
        allVnets: args.allVnets, allCpus: args.allCpus, raw: args.raw, json: args.json,
      }, (line) => process.stderr.write(`kvm-inspect: ${line}\n`));
    }),
};

const vnets: InspectCommand = {
  command: 'vnets',
  describe: 'every vnet on vnet_head: data base, magic check, interface and socket counts, jails',
  run: (args) =>
    withImage(args, (kd) => {
      const list = kd.vnets();
      const jailText = (j: { jid: number; name: string; ownsVnet: boolean }) => (j.jid === 0 ? '0 host' : `${j.jid} ${j.name}`) + (j.ownsVnet ? '' : ' (shared)');
      if (args.json) {
        return toJson(list.map((v) => ({ address: hexAddr(v.address), vnet0: v.isVnet0, dataMem: hexAddr(v.dataMem), dataBase: hexAddr(v.dataBase),
          magic: `0x${v.magic.toString(16)}`, magicKind: v.magicKind, problem: v.problem, ifcnt: v.ifcnt, sockcnt: v.sockcnt, state: v.state,
          jails: v.jails }))) + '\n';
      }
      return renderTable(
        [{ title: 'VNET' }, { title: 'DATA_BASE' }, { title: 'MAGIC' }, { title: 'IFCNT', align: 'right' }, { title: 'SOCKCNT', align: 'right' }, { title: 'JAILS' }],
        list.map((v) => [hexAddr(v.address)! + (v.isVnet0 ? ' (vnet0)' : ''), hexAddr(v.dataBase)!, v.problem ?? `ok (${v.magicKind === 'old' ? 'old ' : ''}0x${v.magic.toString(16)})`,
          String(v.ifcnt), String(v.sockcnt), v.jails.map(jailText).join(', ') || '-']),
      );
    }),
};

const JAIL_FLAG_NAMES: [number, string][] = [[0x1, 'persist'], [0x2, 'host'], [0x4, 'ip4'], [0x8, 'ip6'], [0x10, 'vnet'], [0x80, 'ip4_saddrsel'], [0x100, 'ip6_saddrsel'], [0x01000000, 'remove']];
function jailFlags(f: number): string {
  const names = JAIL_FLAG_NAMES.filter(([b]) => (f & b) !== 0).map(([, n]) => n);
  const rest = JAIL_FLAG_NAMES.reduce((r, [b]) => r & ~b, f) >>> 0;
  if (rest) names.push(`0x${rest.toString(16)}`);
  return `0x${f.toString(16)}` + (names.length ? ` <${names.join(',')}>` : '');
}

const jails: InspectCommand = {
  command: 'jails',
  describe: 'prison0 and every jail on allprison: jid, name, path, hostname, parent, flags, vnet',
  run: (args) =>
    withImage(args, (kd) => {
      const list = kd.jails();
      if (args.json) {
        return toJson(list.map((j) => ({ jid: j.jid, name: j.name, path: j.path, hostname: j.hostname, address: hexAddr(j.address),
          parent: j.parent, flags: j.flags, vnet: j.vnet === 0n ? null : hexAddr(j.vnet), ownsVnet: j.ownsVnet }))) + '\n';
      }
      return renderTable(
        [{ title: 'JID', align: 'right' }, { title: 'NAME' }, { title: 'PATH' }, { title: 'HOSTNAME' }, { title: 'PARENT', align: 'right' },
          { title: 'FLAGS' }, { title: 'VNET' }, { title: 'OWN_VNET' }],
        list.map((j) => [String(j.jid), j.name, j.path, j.hostname || '-', j.parent === null ? '-' : String(j.parent), jailFlags(j.flags),
          j.vnet === 0n ? '-' : hexAddr(j.vnet)!, j.ownsVnet ? 'yes' : 'no']),
      );
    }),
};

/** The jid of each prison address, for ps. */
function jidByPrison(kd: Kvm): Map<bigint, number> {
  try {
    return new Map(kd.jails().map((j) => [j.address, j.jid]));
  } catch (e) {
    if (!(e instanceof KvmError)) throw e;
    return new Map();
  }
}

const ps: InspectCommand = {
  command: 'ps',
  describe: 'processes on allproc with their threads (tid, name, CPU, td_vnet); * marks the dumping thread',
  run: (args) =>
    withImage(args, (kd) => {
      const procs = kd.procs();
      const jids = jidByPrison(kd);
      const dump = kd.dumpThread();
      const dumpTid = dump ? dump.thread.tid : null;
      if (args.json) {
        return toJson({ dumpTid, procs: procs.map((p) => ({ pid: p.pid, comm: p.comm, address: hexAddr(p.address), jid: jids.get(p.prison) ?? null,
          threads: p.threads.map((t) => ({ tid: t.tid, name: t.name, address: hexAddr(t.address), cpu: t.cpu,
            vnet: t.vnet === 0n ? null : hexAddr(t.vnet), dumping: t.tid === dumpTid })) })) }) + '\n';
      }
      const rows: string[][] = [];
      for (const p of procs) {
        for (const [i, t] of p.threads.entries()) {
          rows.push([i === 0 ? String(p.pid) : '', i === 0 ? String(jids.get(p.prison) ?? '?') : '', i === 0 ? p.comm : '',
            (t.tid === dumpTid ? '*' : '') + String(t.tid), t.name, t.cpu === null ? '-' : String(t.cpu), t.vnet === 0n ? '-' : hexAddr(t.vnet)!]);
        }
        if (p.threads.length === 0) rows.push([String(p.pid), String(jids.get(p.prison) ?? '?'), p.comm, '-', '-', '-', '-']);
      }
      return renderTable(
        [{ title: 'PID', align: 'right' }, { title: 'JID', align: 'right' }, { title: 'COMM' }, { title: 'TID', align: 'right' },
          { title: 'THREAD' }, { title: 'CPU', align: 'right' }, { title: 'TD_VNET' }],
        rows,
      );
    }),
};

export const commands: InspectCommand[] = [info, nlist, read, print, vnets, jails, cpus, ps];
