/**
 * kvm-inspect: look inside a crash dump. Commands: info, nlist, read, print, vnets, jails, cpus, ps.
 * Each command gathers data through the library, builds rows or records, and returns text
 * (a table, a hexdump, or JSON with --json); the one sink in runMain writes it.
 */
import yargs, { type Argv } from 'yargs';
import { coreOptions, openImage, runMain, UsageError, type CoreArgs } from '../common';
import { commands, type InspectArgs } from './commands';

function selectionOptions<T>(y: Argv<T>): Argv<T & InspectArgs> {
  return y
    .option('json', { type: 'boolean', describe: 'JSON output', default: false })
    .option('vnet', { type: 'string', describe: 'vnet to translate into: ADDRESS, vnet0 or current', requiresArg: true })
    .option('jail', { type: 'string', describe: 'use the vnet of this jail (name or jid)', requiresArg: true })
    .option('pid', { type: 'number', describe: 'use the vnet of this process', requiresArg: true })
    .option('cpu', { type: 'number', describe: 'CPU whose per-CPU copy to use', requiresArg: true })
    .option('all-vnets', { type: 'boolean', describe: 'print for every vnet', default: false })
    .option('all-cpus', { type: 'boolean', describe: 'print for every CPU', default: false })
    .option('raw', { type: 'boolean', describe: 'show counter(9) handles instead of their sums', default: false })
    .group(['json', 'vnet', 'jail', 'pid', 'cpu', 'all-vnets', 'all-cpus', 'raw'], 'Output and selection:') as unknown as Argv<T & InspectArgs>;
}

export async function main(argv: string[]): Promise<number> {
  let chosen: ((args: InspectArgs & CoreArgs) => string) | null = null;
  let parsed: (InspectArgs & CoreArgs) | null = null;
  let y = selectionOptions(coreOptions(yargs(argv).scriptName('kvm-inspect')))
    .usage('$0 -M core -N kernel <command> [args]')
    .strict()
    .demandCommand(1, 'give a command: info, nlist, read, print, vnets, jails, cpus or ps')
    .help()
    .version(false)
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  for (const c of commands) {
    y = y.command(c.command, c.describe, c.builder ?? ((b) => b), (args) => {
      chosen = c.run as (args: InspectArgs & CoreArgs) => string;
      parsed = args as unknown as InspectArgs & CoreArgs;
    });
  }
  return runMain('kvm-inspect', async () => {
    await y.parseAsync();
    if (!chosen || !parsed) return ''; // --help printed by yargs
    return (chosen as (a: InspectArgs & CoreArgs) => string)(parsed);
  });
}

export { openImage };
