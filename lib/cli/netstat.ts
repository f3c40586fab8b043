/**
 * kvm-netstat: FreeBSD netstat's -i and -s displays for any vnet or jail of a crash dump.
 *   kvm-netstat -M core [-N system] [-j jail | --vnet V | --all-vnets] -i|-I if [-46bdhnW] [-f family]
 *   kvm-netstat -M core [-N system] [-j jail | --vnet V | --all-vnets] -s [-s] [-46] [-f family | -p proto]
 * Options keep FreeBSD's spelling; --vnet, --all-vnets and --compat are ours.
 */
import yargs from 'yargs';
import type { Kvm } from '../kvm';
import { allTargets, collectVnet, selectTarget, type CollectOptions, type NetstatTarget } from '../netstat/collect';
import { renderNetstat } from '../netstat/render';
import { resolveFamily, resolveProtocol, validateNetstatOptions, type LibxoStyle, type NetstatOptions } from '../netstat/options';
import { protocolsFor, type StatsProtocol } from '../netstat/stats';
import type { VnetSelector } from '../translation';
import { parseNumber } from './address';
import { coreOptions, openImage, runMain, UsageError, type CoreArgs } from './common';
import { splitShortOptions } from './getopt';
import { writeOutput } from './output';

const PROG = 'kvm-netstat';
/** Short options that take a value (getopt's "x:" letters we know). */
const TAKES_VALUE = new Set(['M', 'N', 'I', 'p', 'f', 'j', 'w', 'q']);

interface NetstatArgs extends CoreArgs {
  i?: boolean;
  I?: string;
  b?: boolean;
  d?: boolean;
  h?: boolean;
  n?: boolean;
  W?: boolean;
  s: number;
  p?: string;
  f?: string;
  '4'?: boolean;
  '6'?: boolean;
  j?: string;
  vnet?: string;
  allVnets?: boolean;
  libxo?: string;
  compat?: number;
  z?: boolean;
  w?: string;
  q?: string;
  help?: boolean;
}

function parser(argv: string[]) {
  return coreOptions(
    yargs(splitShortOptions(argv, TAKES_VALUE))
      .scriptName(PROG)
      .usage(
        [
          'usage: kvm-netstat -M core [-N system] [-j jail | --vnet ADDR|vnet0|current | --all-vnets]',
          '         -i | -I interface [-46bdhnW] [-f address_family] [--compat 13] [--libxo json[,pretty]]',
          '       kvm-netstat -M core [-N system] [-j jail | --vnet ... | --all-vnets]',
          '         -s [-s] [-46] [-f protocol_family | -p protocol] [--libxo json[,pretty]]',
        ].join('\n'),
      )
      .parserConfiguration({ 'parse-numbers': false, 'parse-positional-numbers': false })
      .option('i', { type: 'boolean', describe: 'interface table' })
      .option('I', { type: 'string', requiresArg: true, describe: 'interface table of one interface' })
      .option('b', { type: 'boolean', describe: 'with -i: byte counters' })
      .option('d', { type: 'boolean', describe: 'with -i: output drops' })
      .option('h', { type: 'boolean', describe: 'with -i: humanized counters' })
      .option('n', { type: 'boolean', describe: 'numeric addresses (always the case on a dump)' })
      .option('W', { type: 'boolean', describe: 'wide (13.x layout)' })
      .option('s', { type: 'count', describe: 'protocol statistics; twice: hide zero lines' })
      .option('p', { type: 'string', requiresArg: true, describe: 'protocol: tcp, udp, ip, icmp, ip6, icmp6, rip6' })
      .option('f', { type: 'string', requiresArg: true, describe: 'address family: inet, inet6, link' })
      .option('4', { type: 'boolean', describe: '-f inet' })
      .option('6', { type: 'boolean', describe: '-f inet6' })
      .option('j', { type: 'string', requiresArg: true, describe: 'the network stack of this jail (name or jid)' })
      .option('vnet', { type: 'string', requiresArg: true, describe: 'the vnet at ADDR, vnet0, or current (the dumping thread\'s)' })
      .option('all-vnets', { type: 'boolean', describe: 'every vnet, one block each headed by its jails' })
      .option('libxo', { type: 'string', requiresArg: true, describe: 'json, json,pretty or text' })
      .option('compat', { type: 'number', requiresArg: true, describe: '13: the fixed-width -i layout of FreeBSD 13.x' })
      .option('z', { type: 'boolean', hidden: true })
      .option('w', { type: 'string', hidden: true })
      .option('q', { type: 'string', hidden: true })
      .help('help')
      .version(false)
      .strict()
      .exitProcess(false)
      .fail((msg, err) => {
        throw err ?? new UsageError(msg);
      }),
  );
}

function parseLibxo(text: string | undefined): LibxoStyle | null {
  if (text === undefined) return null;
  const style: LibxoStyle = { json: false, pretty: false };
  for (const word of text.split(',').map((w) => w.trim()).filter(Boolean)) {
    if (word === 'json') style.json = true;
    else if (word === 'text') style.json = false;
    else if (word === 'pretty') style.pretty = true;
    else if (word === 'xml' || word === 'html') throw new UsageError(`--libxo ${word}: only text and json are supported`);
    else throw new UsageError(`--libxo: unknown style or modifier '${word}' (use json, json,pretty or text)`);
  }
  return style;
}

function familyOption(a: NetstatArgs): string | null {
  const picks = [a.f, a['4'] ? 'inet' : undefined, a['6'] ? 'inet6' : undefined].filter((x): x is string => x !== undefined);
  const distinct = [...new Set(picks)];
  if (distinct.length > 1) throw new UsageError(`-4, -6 and -f name different families (${distinct.join(', ')}); give one`);
  return distinct[0] ?? null;
}

function netstatOptions(a: NetstatArgs): NetstatOptions {
  if (a.compat !== undefined && a.compat !== 13 && a.compat !== 14) throw new UsageError('--compat: expected 13 or 14');
  return {
    i: !!a.i,
    I: a.I ?? null,
    b: !!a.b,
    d: !!a.d,
    h: !!a.h,
    n: !!a.n,
    W: !!a.W,
    s: a.s ?? 0,
    p: a.p ?? null,
    f: familyOption(a),
    compat: (a.compat ?? 14) as 13 | 14,
    libxo: parseLibxo(a.libxo),
    allVnets: !!a.allVnets,
  };
}

/** What to read for these options: interface rows for -i, the -s protocols (and names for ip6). */
function whatToCollect(o: NetstatOptions): CollectOptions {
  if (o.i || o.I != null) return { interfaces: 'full', protocols: [] };
  let protocols: StatsProtocol[];
  if (o.p != null) protocols = [resolveProtocol(o.p)!];
  else if (o.f == null) protocols = protocolsFor(null);
  else {
    const fam = resolveFamily(o.f);
    protocols = fam === 'inet' || fam === 'inet6' || fam === 'link' ? protocolsFor(fam) : [];
  }
  // ip6's per-interface lines name interfaces by index.
  return { interfaces: protocols.includes('ip6') ? 'names' : 'none', protocols };
}

function vnetSelector(text: string): VnetSelector {
  if (text === 'vnet0' || text === 'current') return text;
  const n = parseNumber(text);
  if (n === null || n >= 1n << 64n) throw new UsageError(`--vnet: expected an address, vnet0 or current, not '${text}'`);
  return n;
}

function targetsFor(kd: Kvm, a: NetstatArgs, problems: string[]): NetstatTarget[] {
  if (a.allVnets) {
    const all = allTargets(kd);
    problems.push(...all.problems);
    return all.targets;
  }
  if (a.j !== undefined) return [selectTarget(kd, { jail: a.j })];
  if (a.vnet !== undefined) return [selectTarget(kd, { vnet: vnetSelector(a.vnet) })];
  return [selectTarget(kd)];
}

export async function main(argv: string[]): Promise<number> {
  return runMain(PROG, async () => {
    const y = parser(argv);
    const a = (await y.parseAsync()) as unknown as NetstatArgs;
    if (a.help) return '';
    const extra = (a as unknown as { _: unknown[] })._ ?? [];
    if (extra.length > 0) {
      throw new UsageError(`unexpected argument '${String(extra[0])}' (the core and kernel go with -M and -N)`);
    }
    if (a.z) throw new UsageError('-z: counters cannot be zeroed in a crash dump (a dump is a read-only snapshot)');
    if (a.w !== undefined || a.q !== undefined) {
      throw new UsageError(`${a.w !== undefined ? '-w' : '-q'}: interval output needs a running system; a crash dump holds a single moment (use -i)`);
    }
    const choosers = [a.j !== undefined, a.vnet !== undefined, !!a.allVnets].filter(Boolean).length;
    if (choosers > 1) throw new UsageError('-j, --vnet and --all-vnets each choose the network stack; give one of them');
    const opts = netstatOptions(a);
    if (!a.M) openImage(a); // the "reads dumps only" message
    const problem = validateNetstatOptions(opts);
    if (problem !== null) throw new UsageError(problem);

    const kd = openImage(a);
    try {
      const problems: string[] = [];
      const targets = targetsFor(kd, a, problems);
      const what = whatToCollect(opts);
      const collect = (t: NetstatTarget) => {
        const c = collectVnet(kd, t, what);
        for (const w of c.warnings) problems.push(`warning: ${w}`);
        return c.view;
      };
      let text: string;
      if (opts.allVnets && !opts.libxo?.json) {
        // Text blocks are independent: render and write each vnet as it is read, so neither its
        // data nor its text outlives it (1000 vnets' text kept until the end costs more in
        // garbage collection than reading them).
        for (let i = 0; i < targets.length; i++) {
          await writeOutput((i > 0 ? '\n' : '') + renderNetstat(opts, [collect(targets[i]!)]));
        }
        text = '';
      } else {
        text = renderNetstat(opts, targets.map(collect));
      }
      for (const p of problems) process.stderr.write(`${PROG}: ${p}\n`);
      return text;
    } finally {
      kd.close();
    }
  });
}
