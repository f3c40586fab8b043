'use strict';
// Builds the libFuzzer targets (fuzz/*.cc, CMake with -DKVM_FUZZ=ON and clang, ASan+UBSan) and
// runs each for a while, in parallel up to --jobs. Seeds come from fuzz/corpus/<target>/ (kept
// small in the repo); what a run finds goes to build-fuzz/corpus/<target>/, crashes to
// build-fuzz/artifacts/<target>/. Exits non-zero when a target crashes, leaks, hangs or OOMs.
//
//   npm run fuzz -- [--seconds N] [--runs N] [--jobs J] [--targets a,b] [--build-only] [--reseed]
//
// --reseed rewrites fuzz/corpus/ from test/helpers/small-images.js (needs the TypeScript build)
// and whatever build-fuzz/corpus/ holds, minimized with -merge=1 and capped at 64 KiB a file.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const buildDir = path.join(root, 'build-fuzz');
const MAX_LEN = 65536;

function parseArgs(argv) {
  const opts = { seconds: 60, runs: 0, jobs: Math.max(1, os.cpus().length), targets: null, buildOnly: false, reseed: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--seconds') opts.seconds = Number(value());
    else if (a === '--runs') opts.runs = Number(value());
    else if (a === '--jobs') opts.jobs = Number(value());
    else if (a === '--targets') opts.targets = value().split(',').filter(Boolean);
    else if (a === '--build-only') opts.buildOnly = true;
    else if (a === '--reseed') opts.reseed = true;
    else throw new Error(`unknown option ${a}`);
  }
  for (const k of ['seconds', 'runs', 'jobs']) {
    if (!Number.isInteger(opts[k]) || opts[k] < 0) throw new Error(`--${k} must be a non-negative integer`);
  }
  return opts;
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function aptInstall(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => (process.getuid && process.getuid() !== 0 ? run('sudo', ['apt-get', ...args], { env }) : run('apt-get', args, { env }));
  console.log(`fuzz: installing ${packages.join(' ')}`);
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', ...packages]);
}

/** True when clang++ can link a libFuzzer program with ASan and UBSan. */
function libFuzzerWorks() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-fuzz-probe-'));
  try {
    const src = path.join(dir, 'probe.cc');
    fs.writeFileSync(src, 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n');
    const r = spawnSync('clang++', ['-fsanitize=fuzzer,address,undefined', src, '-o', path.join(dir, 'probe')], { stdio: 'ignore' });
    return r.status === 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function ensureToolchain() {
  const missing = [];
  if (!have('clang++')) missing.push('clang');
  if (!have('cmake')) missing.push('cmake');
  if (missing.length) aptInstall(missing);
  if (!libFuzzerWorks()) {
    // Debian ships the sanitizer and libFuzzer runtimes in libclang-rt-<major>-dev.
    const v = spawnSync('clang++', ['-dumpversion'], { encoding: 'utf8' }).stdout.trim().split('.')[0];
    aptInstall([`libclang-rt-${v}-dev`]);
    if (!libFuzzerWorks()) throw new Error('clang++ cannot link -fsanitize=fuzzer programs');
  }
}

function build() {
  const gen = have('ninja') ? ['-G', 'Ninja'] : [];
  if (!fs.existsSync(path.join(buildDir, 'CMakeCache.txt'))) {
    run('cmake', ['-S', root, '-B', buildDir, ...gen, '-DKVM_FUZZ=ON', '-DCMAKE_CXX_COMPILER=clang++']);
  }
  run('cmake', ['--build', buildDir, '--parallel', String(Math.max(1, os.cpus().length))]);
}

function allTargets() {
  return fs
    .readdirSync(path.join(root, 'fuzz'))
    .filter((f) => f.endsWith('.cc'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** libFuzzer options shared by every run: bounded input size, time and memory per input. */
function commonFlags() {
  return [`-max_len=${MAX_LEN}`, '-timeout=10', '-rss_limit_mb=2048', '-malloc_limit_mb=512'];
}

function fuzzOne(target, opts) {
  const work = path.join(buildDir, 'corpus', target);
  const seeds = path.join(root, 'fuzz', 'corpus', target);
  const artifacts = path.join(buildDir, 'artifacts', target);
  fs.mkdirSync(work, { recursive: true });
  fs.mkdirSync(artifacts, { recursive: true });
  const args = [
    ...commonFlags(),
    '-print_final_stats=1',
    `-artifact_prefix=${artifacts}${path.sep}`,
    ...(opts.runs ? [`-runs=${opts.runs}`] : [`-max_total_time=${opts.seconds}`]),
    work,
    ...(fs.existsSync(seeds) ? [seeds] : []),
  ];
  const logFile = path.join(buildDir, `${target}.log`);
  return new Promise((resolve) => {
    const log = fs.openSync(logFile, 'w');
    const started = Date.now();
    const child = spawn(path.join(buildDir, target), args, { stdio: ['ignore', log, log] });
    child.on('close', (code, signal) => {
      fs.closeSync(log);
      const text = fs.readFileSync(logFile, 'utf8');
      const execs = Number(/stat::number_of_executed_units:\s*(\d+)/.exec(text)?.[1] ?? NaN);
      const seconds = (Date.now() - started) / 1000;
      const problem = code === 0 ? null : (/==\d+==\s*(ERROR: .*|WARNING: .*)/.exec(text)?.[1] ?? /(ERROR: .*|FUZZ_CHECK failed.*)/.exec(text)?.[1] ?? `exit ${code ?? signal}`);
      resolve({ target, execs, seconds, problem, logFile, artifacts });
    });
  });
}

async function fuzzAll(targets, opts) {
  const results = [];
  const queue = targets.slice();
  const workers = Array.from({ length: Math.min(opts.jobs || 1, queue.length) }, async () => {
    while (queue.length) {
      const t = queue.shift();
      console.log(`fuzz: ${t} for ${opts.runs ? `${opts.runs} runs` : `${opts.seconds} s`}`);
      results.push(await fuzzOne(t, opts));
    }
  });
  await Promise.all(workers);
  return results;
}

/**
 * DWARF seeds: the test fixtures compiled with -g in several DWARF flavours (versions 4 and 5,
 * type units, compressed sections, clang), reduced to their debug sections so each stays small.
 */
function dwarfSeeds(tmp) {
  const { compile, tools, toolEnv } = require('../test/helpers/cbuild');
  const variants = [
    ['gcc', ['-g', '-gdwarf-4']],
    ['gcc', ['-g', '-gdwarf-5']],
    ['gcc', ['-g', '-gdwarf-4', '-fdebug-types-section']],
    ['gcc', ['-g', '-gdwarf-5', '-gz=zlib']],
    ['gcc', ['-g', '-gdwarf-2', '-gstrict-dwarf']],
    ['clang', ['-g', '-gdwarf-5']],
  ];
  const out = [];
  for (const [cc, flags] of variants) {
    if (!tools[cc]) continue;
    const exe = compile(['types_a.c', 'types_b.c'], [...flags, '-O0'], `fuzz-seed-${cc}`, cc);
    const dbg = path.join(tmp, `dwarf-${out.length}.debug`);
    spawnSync(tools.objcopy, ['--only-keep-debug', exe, dbg], { stdio: 'inherit', env: toolEnv });
    if (fs.existsSync(dbg) && fs.statSync(dbg).size < MAX_LEN) out.push(dbg);
  }
  return out;
}

/** Seeds from the small images of every format, then a -merge=1 minimization into fuzz/corpus. */
function reseed(targets) {
  const { writeSmallImages } = require('../test/helpers/small-images');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-fuzz-seeds-'));
  try {
    const images = writeSmallImages(path.join(tmp, 'images'));
    const raw = { elf_kernel: new Set(), core_open: new Set(), dwarf_types: new Set(dwarfSeeds(tmp)) };
    for (const img of images) {
      raw.elf_kernel.add(img.kernel);
      raw.core_open.add(img.core);
    }
    for (const target of targets) {
      const into = path.join(root, 'fuzz', 'corpus', target);
      const staged = path.join(tmp, `raw-${target}`);
      fs.mkdirSync(staged, { recursive: true });
      let n = 0;
      for (const f of raw[target] ?? []) fs.copyFileSync(f, path.join(staged, `seed-${n++}`));
      const found = path.join(buildDir, 'corpus', target);
      const sources = [staged, found, into].filter((d) => fs.existsSync(d));
      const merged = path.join(tmp, `merged-${target}`);
      fs.mkdirSync(merged);
      run(path.join(buildDir, target), [...commonFlags(), '-merge=1', merged, ...sources], { stdio: ['ignore', 'ignore', 'inherit'] });
      fs.rmSync(into, { recursive: true, force: true });
      fs.mkdirSync(into, { recursive: true });
      for (const f of fs.readdirSync(merged)) {
        if (fs.statSync(path.join(merged, f)).size < MAX_LEN) fs.copyFileSync(path.join(merged, f), path.join(into, f));
      }
      console.log(`fuzz: ${target}: ${fs.readdirSync(into).length} seed files in fuzz/corpus/${target}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const targets = opts.targets ?? allTargets();
  for (const t of targets) {
    if (!allTargets().includes(t)) throw new Error(`no fuzz target ${t} (have ${allTargets().join(', ')})`);
  }
  ensureToolchain();
  build();
  if (opts.buildOnly) return;
  if (opts.reseed) {
    reseed(targets);
    return;
  }
  const results = await fuzzAll(targets, opts);
  let failed = false;
  console.log('\ntarget        executions     seconds   result');
  for (const r of results.sort((a, b) => a.target.localeCompare(b.target))) {
    console.log(`${r.target.padEnd(12)} ${String(r.execs).padStart(12)} ${r.seconds.toFixed(0).padStart(10)}   ${r.problem ? `FAILED: ${r.problem}` : 'ok'}`);
    if (r.problem) {
      failed = true;
      console.log(`  log: ${r.logFile}\n  artifacts: ${r.artifacts}`);
    }
  }
  if (failed) process.exitCode = 1;
}

main().catch((e) => {
  console.error(`fuzz: ${e.message}`);
  process.exitCode = 1;
});
