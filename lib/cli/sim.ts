/**
 * kvm-sim: builds a simulated FreeBSD kernel and crash dump of a scenario.
 *   kvm-sim [--scenario demo|large|FILE] [--format F] [--seed N] --out DIR
 * writes DIR/kernel, DIR/vmcore.0 and DIR/expected.json.
 */
import * as fs from 'fs';
import yargs from 'yargs';
import { buildScenario } from '../sim/builder';
import { SIM_FORMATS } from '../sim/formats';
import { demoScenario, largeScenario, normalizeScenario, ScenarioError, type Flavour, type SimArch } from '../sim/scenario';
import { runMain, UsageError } from './common';
import { renderTable } from './table';

interface SimArgs {
  scenario: string;
  format?: string;
  seed?: number;
  out?: string;
  flavour?: string;
  arch?: string;
  vnets: number;
  cpus: number;
  ifaces: number;
  dumpHeader: boolean;
  listFormats: boolean;
  dwarf?: number;
}

function progressBar(): ((step: string, done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = '';
  return (step, done, total) => {
    const width = 30;
    const fill = total > 0 ? Math.round((done / total) * width) : 0;
    const line = `\r[${'#'.repeat(fill)}${' '.repeat(width - fill)}] ${step}`.padEnd(72);
    if (line !== last) process.stderr.write(line);
    last = line;
    if (step === 'done') process.stderr.write('\n');
  };
}

export async function main(argv: string[]): Promise<number> {
  const y = yargs(argv)
    .scriptName('kvm-sim')
    .usage('$0 [--scenario demo|large|FILE] [--format F] [--seed N] --out DIR')
    .option('scenario', { type: 'string', describe: 'demo (the default), large, or a scenario JSON file (docs/sim.md)', requiresArg: true, default: 'demo' })
    .option('format', { type: 'string', describe: 'dump format (see --list-formats); default minidump v3', requiresArg: true })
    .option('seed', { type: 'number', describe: 'seed for every random value (default: the scenario\'s, else 1)', requiresArg: true })
    .option('out', { type: 'string', describe: 'output directory', requiresArg: true })
    .option('flavour', { type: 'string', choices: ['fbsd14', 'fbsd12', 'novimage'], describe: 'kernel release flavour', requiresArg: true })
    .option('arch', { type: 'string', choices: ['amd64', 'arm64'], describe: 'kernel architecture', requiresArg: true })
    .option('vnets', { type: 'number', default: 16, describe: 'large: number of vnets (host included), up to 4096' })
    .option('cpus', { type: 'number', default: 8, describe: 'large: number of CPUs, up to 256' })
    .option('ifaces', { type: 'number', default: 3, describe: 'large: interfaces per vnet' })
    .option('dump-header', { type: 'boolean', default: false, describe: 'keep the 512-byte kerneldumpheader in front' })
    .option('dwarf', { type: 'number', choices: [4, 5], describe: 'DWARF version of the simulated kernel' })
    .option('list-formats', { type: 'boolean', default: false, describe: 'list the dump formats and exit' })
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  return runMain('kvm-sim', async () => {
    const args = (await y.parseAsync()) as unknown as SimArgs;
    if ((args as unknown as { help?: boolean }).help) return '';
    if (args.listFormats) {
      return renderTable([{ title: 'FORMAT' }, { title: 'ARCH' }, { title: 'DESCRIPTION' }], SIM_FORMATS.map((f) => [f.name, f.arch, f.description]));
    }
    if (!args.out) throw new UsageError('give --out DIR');
    let raw: unknown;
    if (args.scenario === 'demo') raw = demoScenario();
    else if (args.scenario === 'large') raw = largeScenario({ vnets: args.vnets, cpus: args.cpus, ifaces: args.ifaces });
    else {
      try {
        raw = JSON.parse(fs.readFileSync(args.scenario, 'utf8'));
      } catch (e) {
        throw new UsageError(`cannot read scenario ${args.scenario}: ${(e as Error).message}`);
      }
    }
    let scenario;
    try {
      scenario = normalizeScenario(raw, {
        ...(args.seed !== undefined ? { seed: args.seed } : {}),
        ...(args.flavour ? { flavour: args.flavour as Flavour } : {}),
        ...(args.arch ? { arch: args.arch as SimArch } : {}),
      });
    } catch (e) {
      if (e instanceof ScenarioError) throw new UsageError(e.message);
      throw e;
    }
    const progress = progressBar();
    const r = await buildScenario({
      scenario,
      outDir: args.out,
      ...(args.format ? { format: args.format } : {}),
      dumpHeader: args.dumpHeader,
      ...(args.dwarf ? { dwarfVersion: args.dwarf as 4 | 5 } : {}),
      ...(progress ? { progress } : {}),
    });
    return `${r.kernel}\n${r.core}\n${r.expectedPath}\n`;
  });
}
