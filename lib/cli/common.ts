/**
 * What every CLI shares: the -M/-N/--debug option group, opening the image, exit statuses
 * (sysexits(3) values, as FreeBSD's tools use), and one error path that prints a KvmError's
 * message once.
 */
import type { Argv } from 'yargs';
import { KvmError } from '../errors';
import { Kvm } from '../kvm';
import { writeOutput } from './output';

export const EXIT = { OK: 0, FAILURE: 1, USAGE: 64, DATAERR: 65, NOINPUT: 66, SOFTWARE: 70, IOERR: 74 } as const;

export interface CoreArgs {
  M?: string;
  N?: string;
  debug?: string;
}

/** -M core, -N kernel, --debug file (FreeBSD spelling: -M memory image, -N name list). */
export function coreOptions<T>(y: Argv<T>): Argv<T & CoreArgs> {
  return y
    .option('M', { alias: 'core', type: 'string', describe: 'crash dump or memory image to read', requiresArg: true })
    .option('N', { alias: 'system', type: 'string', describe: 'kernel with its symbols (and debug info)', requiresArg: true })
    .option('debug', { type: 'string', describe: 'separate debug file (kernel.debug)', requiresArg: true })
    .group(['M', 'N', 'debug'], 'Image:') as Argv<T & CoreArgs>;
}

/** A usage problem: printed with the usage hint, exit status 64. */
export class UsageError extends Error {}

/** Opens the image named by -M/-N; -M DIR means DIR/vmcore.0 with DIR/kernel. */
export function openImage(args: CoreArgs): Kvm {
  if (!args.M) {
    throw new UsageError('no crash dump given: use -M vmcore -N kernel (this tool reads dumps only; try -M sample)');
  }
  const fs = require('fs') as typeof import('fs');
  const path = require('path') as typeof import('path');
  let core = args.M;
  let kernel = args.N;
  if (fs.existsSync(core) && fs.statSync(core).isDirectory()) {
    kernel ??= path.join(core, 'kernel');
    core = path.join(core, 'vmcore.0');
  }
  if (!kernel) throw new UsageError('no kernel given: use -N kernel (the kernel that wrote the dump)');
  return Kvm.open({ kernel, core, ...(args.debug ? { debug: args.debug } : {}) });
}

export function exitCodeFor(e: unknown): number {
  if (e instanceof UsageError) return EXIT.USAGE;
  if (e instanceof KvmError) {
    switch (e.code) {
      case 'OS':
        return e.errno === 2 ? EXIT.NOINPUT : EXIT.IOERR;
      case 'BAD_FORMAT':
      case 'UNSUPPORTED':
      case 'TRUNCATED':
      case 'CORRUPT':
      case 'FAULT':
        return EXIT.DATAERR;
      default:
        return EXIT.FAILURE;
    }
  }
  if (e instanceof RangeError || e instanceof TypeError) return EXIT.USAGE;
  return EXIT.SOFTWARE;
}

/** Runs a CLI body: its output goes through the one sink; errors print once as "prog: message". */
export async function runMain(prog: string, body: () => Promise<string> | string): Promise<number> {
  try {
    const text = await body();
    await writeOutput(text);
    return EXIT.OK;
  } catch (e) {
    const code = exitCodeFor(e);
    if (code === EXIT.SOFTWARE) process.stderr.write(`${prog}: internal error: ${(e as Error)?.stack ?? e}\n`);
    else process.stderr.write(`${prog}: ${(e as Error).message}\n`);
    return code;
  }
}
