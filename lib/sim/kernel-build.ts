/**
 * Builds the simulated FreeBSD kernel (the C tree in sim/kernel/) into an ELF image with debug
 * information, for one flavour and architecture. The image is never executed: the simulator's
 * builder reads its symbols and DWARF and lays out kernel memory itself.
 *
 * Builds are cached under the caller's directory by a hash of every source file, the compiler's
 * identity and the exact flags, so repeated test runs reuse the same image.
 */
import { execFile } from 'child_process';
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KvmError } from '../errors';

export type SimFlavour = 'fbsd14' | 'fbsd12' | 'novimage';
export type SimArch = 'amd64' | 'arm64';
export type SimDwarfVersion = 4 | 5;

export interface SimKernelBuildOptions {
  flavour: SimFlavour;
  arch: SimArch;
  /** DWARF version of the debug information; defaults to the flavour's (flavours.json). */
  dwarfVersion?: SimDwarfVersion;
  /** Cache root: each build lives in its own subdirectory named by flavour, arch and hash. */
  outDir: string;
}

/** One flavour as described by sim/kernel/flavours.json. */
export interface SimFlavourInfo {
  description: string;
  defines: string[];
  osver: number;
  vimage: boolean;
  release: string;
  osreldate: number;
  ident: string;
  version: Record<SimArch, string>;
  defaultDwarfVersion: SimDwarfVersion;
  maxcpu: number;
  vnet: { magic: string; size: Record<SimArch, number> } | null;
  pcpu: Record<SimArch, { symbol: string; form: 'pointer' | 'array'; size: number }>;
  counterEncoding: Record<SimArch, 'pcpu-offset' | 'absolute'>;
  tcpstatSlots: number;
  ip6statSlots: number;
}

export interface SimArchInfo {
  elfMachine: string;
  kernbase: string;
  textBase: string;
  ldscript: string;
  toolchain: { compiler: string; linker: string; debianPackages: string[] };
}

export interface SimFlavoursFile {
  flavours: Record<SimFlavour, SimFlavourInfo>;
  arches: Record<SimArch, SimArchInfo>;
}

const FLAVOURS: readonly SimFlavour[] = ['fbsd14', 'fbsd12', 'novimage'];
const ARCHES: readonly SimArch[] = ['amd64', 'arm64'];
const COMPILE_JOBS = Math.max(1, Math.min(4, os.cpus().length));
const TOOL_TIMEOUT_MS = 120_000;
/** Where the debug information says the sources are. */
const DEBUG_SOURCE_DIR = '/usr/src/sys/sim';

/** The directory holding the C sources, linker scripts and flavours.json. */
export function simKernelSourceDir(): string {
  // dist/sim/kernel-build.js and lib/sim/kernel-build.ts are both two levels below the root.
  return path.resolve(__dirname, '..', '..', 'sim', 'kernel');
}

/** Reads sim/kernel/flavours.json. */
export function loadSimFlavours(): SimFlavoursFile {
  const file = path.join(simKernelSourceDir(), 'flavours.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SimFlavoursFile;
}

/** The commands one architecture is built with. */
interface Toolchain {
  cc: string;
  /** Extra compiler arguments that select the target. */
  ccTarget: string[];
  archFlags: string[];
  /** Link command: either the C compiler driver (GNU ld) or ld.lld directly. */
  link: { tool: string; kind: 'cc-driver' | 'lld' };
  debianPackages: string[];
}

function toolchainFor(arch: SimArch): Toolchain {
  const env = process.env;
  if (arch === 'amd64') {
    const amd64Flags = ['-mcmodel=kernel', '-mno-red-zone'];
    if (process.arch === 'x64' && env.KVM_SIM_CC_AMD64 === undefined) {
      return {
        cc: 'gcc',
        ccTarget: [],
        archFlags: amd64Flags,
        link: { tool: 'gcc', kind: 'cc-driver' },
        debianPackages: ['gcc', 'binutils'],
      };
    }
    // Not an x86-64 host (or told otherwise): cross-compile with clang like arm64.
    const cc = env.KVM_SIM_CC_AMD64 ?? 'clang';
    return {
      cc,
      ccTarget: cc.includes('clang') ? ['--target=x86_64-unknown-freebsd'] : [],
      archFlags: amd64Flags,
      link: { tool: env.KVM_SIM_LD ?? 'ld.lld', kind: 'lld' },
      debianPackages: ['clang', 'lld'],
    };
  }
  return {
    cc: env.KVM_SIM_CC_ARM64 ?? 'clang',
    ccTarget: ['--target=aarch64-unknown-freebsd'],
    archFlags: ['-mgeneral-regs-only'],
    link: { tool: env.KVM_SIM_LD ?? 'ld.lld', kind: 'lld' },
    debianPackages: ['clang', 'lld'],
  };
}

interface RunResult {
  stdout: string;
  stderr: string;
}

class ToolMissing extends Error {
  constructor(readonly tool: string) {
    super(tool);
  }
}

/**
 * The environment for compilers: without preloaded libraries and sanitizer options, which a
 * sanitizer test run sets for Node and which hang or break gdb and compilers.
 */
export function compilerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.LD_PRELOAD;
  delete env.ASAN_OPTIONS;
  delete env.UBSAN_OPTIONS;
  return env;
}

function run(tool: string, args: string[], cwd?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      tool,
      args,
      { cwd, timeout: TOOL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8', env: compilerEnv() },
      (err, stdout, stderr) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') reject(new ToolMissing(tool));
          else reject(Object.assign(err, { stdout, stderr }));
          return;
        }
        resolve({ stdout, stderr });
      },
    );
  });
}

function missingToolError(tool: string, arch: SimArch, tc: Toolchain): KvmError {
  return new KvmError(
    'OS',
    `cannot build the simulated ${arch} kernel: '${tool}' was not found on PATH ` +
      `(install the Debian packages ${tc.debianPackages.join(' and ')})`,
    { path: tool, errno: os.constants.errno.ENOENT },
  );
}

/** The first line a tool prints for --version, which identifies it in the cache key. */
async function toolIdentity(tool: string): Promise<string> {
  const { stdout, stderr } = await run(tool, ['--version']);
  return (stdout || stderr).split('\n')[0] ?? '';
}

/** Which tools of an architecture's toolchain are missing (empty when it can build). */
export async function simToolchainMissing(arch: SimArch): Promise<string[]> {
  checkArch(arch);
  const tc = toolchainFor(arch);
  const tools = [...new Set([tc.cc, tc.link.tool])];
  const missing: string[] = [];
  for (const tool of tools) {
    try {
      await toolIdentity(tool);
    } catch (e) {
      if (e instanceof ToolMissing) missing.push(tool);
      else throw e;
    }
  }
  return missing;
}

function checkFlavour(flavour: unknown): asserts flavour is SimFlavour {
  if (typeof flavour !== 'string' || !(FLAVOURS as readonly string[]).includes(flavour)) {
    throw new RangeError(`flavour must be one of ${FLAVOURS.join(', ')}, got ${String(flavour)}`);
  }
}

function checkArch(arch: unknown): asserts arch is SimArch {
  if (typeof arch !== 'string' || !(ARCHES as readonly string[]).includes(arch)) {
    throw new RangeError(`arch must be one of ${ARCHES.join(', ')}, got ${String(arch)}`);
  }
}

function compileArgs(
  tc: Toolchain,
  srcDir: string,
  defines: string[],
  dwarf: SimDwarfVersion,
): string[] {
  return [
    ...tc.ccTarget,
    '-std=gnu11',
    '-O0',
    '-g',
    `-gdwarf-${dwarf}`,
    '-ffreestanding',
    '-fno-builtin',
    '-nostdinc',
    '-fno-pic',
    '-fno-pie',
    '-fno-common',
    '-fno-stack-protector',
    '-fno-eliminate-unused-debug-types',
    '-Wall',
    '-Wextra',
    '-Werror',
    ...tc.archFlags,
    // Debug info names the sources as if they were in a FreeBSD tree, wherever this checkout is.
    `-fdebug-prefix-map=${srcDir}=${DEBUG_SOURCE_DIR}`,
    `-I${srcDir}`,
    ...defines.map((d) => `-D${d}`),
  ];
}

function linkArgs(tc: Toolchain, ldscript: string, objects: string[], out: string): string[] {
  if (tc.link.kind === 'cc-driver') {
    return [
      '-nostdlib',
      '-static',
      '-no-pie',
      `-Wl,-T,${ldscript}`,
      '-Wl,-z,max-page-size=0x1000',
      '-Wl,--build-id=none',
      '-o',
      out,
      ...objects,
    ];
  }
  return [
    '-T',
    ldscript,
    '-static',
    '--no-pie',
    '-z',
    'max-page-size=4096',
    '--build-id=none',
    '-o',
    out,
    ...objects,
  ];
}

/** Every input file of the kernel, sorted, for hashing and compiling. */
function sourceFiles(srcDir: string): string[] {
  return fs
    .readdirSync(srcDir)
    .filter((f) => /\.(c|h|json)$/.test(f) || f.startsWith('ldscript.'))
    .sort();
}

/** Runs fn over items with at most `limit` at once; after the first failure no new item starts. */
async function runLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  let failed = false;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  });
  const results = await Promise.allSettled(workers);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}

function toolFailure(what: string, e: unknown, file?: string): KvmError {
  const stderr = (e as { stderr?: string }).stderr ?? '';
  const detail = stderr.trim().split('\n').slice(0, 20).join('\n');
  const msg = `${what} failed${detail ? ':\n' + detail : ': ' + String((e as Error).message)}`;
  return new KvmError('OS', msg, file === undefined ? {} : { path: file });
}

/**
 * Builds (or finds in the cache) the simulated kernel for one flavour and architecture and
 * returns the path of the ELF file.
 */
export async function buildSimKernel(opts: SimKernelBuildOptions): Promise<string> {
  checkFlavour(opts.flavour);
  checkArch(opts.arch);
  if (typeof opts.outDir !== 'string' || opts.outDir === '') {
    throw new TypeError('outDir must be a non-empty string');
  }
  const srcDir = simKernelSourceDir();
  const info = loadSimFlavours();
  const flavour = info.flavours[opts.flavour];
  const archInfo = info.arches[opts.arch];
  const dwarf = opts.dwarfVersion ?? flavour.defaultDwarfVersion;
  if (dwarf !== 4 && dwarf !== 5) throw new RangeError(`dwarfVersion must be 4 or 5, got ${dwarf}`);

  const tc = toolchainFor(opts.arch);
  const identities: string[] = [];
  for (const tool of new Set([tc.cc, tc.link.tool])) {
    try {
      identities.push(await toolIdentity(tool));
    } catch (e) {
      if (e instanceof ToolMissing) throw missingToolError(e.tool, opts.arch, tc);
      throw toolFailure(`running '${tool} --version'`, e);
    }
  }

  const cflags = compileArgs(tc, '<src>', flavour.defines, dwarf);
  const files = sourceFiles(srcDir);
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ flavour: opts.flavour, arch: opts.arch, dwarf, cflags, tc }));
  hash.update(JSON.stringify(identities));
  for (const f of files) {
    hash.update(f + '\0');
    hash.update(fs.readFileSync(path.join(srcDir, f)));
    hash.update('\0');
  }
  const key = hash.digest('hex').slice(0, 16);
  const finalDir = path.join(path.resolve(opts.outDir), `${opts.flavour}-${opts.arch}-dwarf${dwarf}-${key}`);
  const kernel = path.join(finalDir, 'kernel');
  if (fs.existsSync(kernel)) return kernel;

  // Build in a private directory and rename it into place, so concurrent builders never see a
  // half-written image.
  fs.mkdirSync(path.dirname(finalDir), { recursive: true });
  const tmpDir = `${finalDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  fs.mkdirSync(tmpDir, { recursive: true });
  try {
    const cfiles = files.filter((f) => f.endsWith('.c'));
    const realFlags = compileArgs(tc, srcDir, flavour.defines, dwarf);
    const objects = cfiles.map((f) => path.join(tmpDir, f.replace(/\.c$/, '.o')));
    await runLimited(cfiles, COMPILE_JOBS, async (f) => {
      const src = path.join(srcDir, f);
      const obj = path.join(tmpDir, f.replace(/\.c$/, '.o'));
      try {
        await run(tc.cc, [...realFlags, '-c', src, '-o', obj], srcDir);
      } catch (e) {
        if (e instanceof ToolMissing) throw missingToolError(e.tool, opts.arch, tc);
        throw toolFailure(`compiling ${src} (${opts.flavour}/${opts.arch})`, e, src);
      }
    });
    const out = path.join(tmpDir, 'kernel');
    const ldscript = path.join(srcDir, archInfo.ldscript);
    try {
      await run(tc.link.tool, linkArgs(tc, ldscript, objects, out));
    } catch (e) {
      if (e instanceof ToolMissing) throw missingToolError(e.tool, opts.arch, tc);
      throw toolFailure(`linking the ${opts.flavour}/${opts.arch} kernel`, e, out);
    }
    for (const obj of objects) fs.rmSync(obj, { force: true });
    fs.writeFileSync(
      path.join(tmpDir, 'build-info.json'),
      JSON.stringify(
        { flavour: opts.flavour, arch: opts.arch, dwarfVersion: dwarf, key, tools: identities, cflags },
        null,
        2,
      ) + '\n',
    );
    try {
      fs.renameSync(tmpDir, finalDir);
    } catch (e) {
      // Another builder finished the same key first; its image is identical.
      if (!fs.existsSync(kernel)) throw e;
    }
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  pruneStaleBuilds(path.dirname(finalDir), path.basename(finalDir));
  return kernel;
}

/** Removes earlier builds of the same flavour/arch/DWARF version (older sources or tools). */
function pruneStaleBuilds(root: string, current: string): void {
  const prefix = current.slice(0, current.lastIndexOf('-') + 1);
  for (const name of fs.readdirSync(root)) {
    if (name !== current && name.startsWith(prefix) && /^[0-9a-f]{16}$/.test(name.slice(prefix.length))) {
      fs.rmSync(path.join(root, name), { recursive: true, force: true });
    }
  }
}
