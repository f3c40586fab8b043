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

export const commands: InspectCommand[] = [info, nlist, read, cpus];
