'use strict';
// Compiling C test programs with gcc and asking gdb about them. Outputs are cached in a directory
// under os.tmpdir() keyed by the sources, flags and tool versions, so each variant is compiled
// once even when several test files use it.
const { execFileSync, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'dwarf');

// Tools run without the sanitizer runtime that an ASan run of the tests preloads into node.
const toolEnv = require('./tmp').toolEnv();

function which(tool) {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8', env: toolEnv });
  return r.status === 0 ? r.stdout.trim() : null;
}

const tools = {
  gcc: which('gcc'),
  clang: which('clang'),
  gdb: which('gdb'),
  objcopy: which('objcopy'),
  strip: which('strip'),
};

function version(tool) {
  if (!tools[tool]) return 'none';
  return execFileSync(tools[tool], ['--version'], { encoding: 'utf8', env: toolEnv }).split('\n')[0];
}

const cacheRoot = path.join(os.tmpdir(), 'libkvm-dwarf-tests');
fs.mkdirSync(cacheRoot, { recursive: true });

function key(parts) {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(String(p)).update('\0');
  return h.digest('hex').slice(0, 16);
}

// Writes to a temporary name and renames, so concurrent test files never see half a file.
function atomicProduce(target, produce) {
  if (fs.existsSync(target)) return target;
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  produce(tmp);
  fs.renameSync(tmp, target);
  return target;
}

/**
 * Compiles fixture sources (names in test/fixtures/dwarf) with `flags` into an executable and
 * returns its path. `cc` is 'gcc' (default) or 'clang'. Throws with the compiler's message.
 */
function compile(sources, flags, name = 'prog', cc = 'gcc') {
  const files = sources.map((s) => path.join(FIXTURES, s));
  const text = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  const header = fs.readFileSync(path.join(FIXTURES, 'types.h'), 'utf8');
  const k = key([text, header, flags.join(' '), cc, version(cc)]);
  const out = path.join(cacheRoot, `${name}-${k}`);
  return atomicProduce(out, (tmp) => {
    execFileSync(tools[cc], [...flags, '-I', FIXTURES, '-o', tmp, ...files], { stdio: ['ignore', 'pipe', 'pipe'], env: toolEnv });
  });
}

/** Compiles C source text (not a fixture) with `flags`; cached like compile(). */
function compileText(text, flags, name = 'gen') {
  const k = key([text, flags.join(' '), version('gcc')]);
  const out = path.join(cacheRoot, `${name}-${k}`);
  return atomicProduce(out, (tmp) => {
    const src = `${tmp}.c`;
    fs.writeFileSync(src, text);
    try {
      execFileSync(tools.gcc, [...flags, '-o', tmp, src], { stdio: ['ignore', 'pipe', 'pipe'], env: toolEnv });
    } finally {
      fs.rmSync(src, { force: true });
    }
  });
}

/** True if gcc accepts `flags` (e.g. -gz=zlib-gnu) for a trivial program. */
function gccAccepts(flags) {
  try {
    compileText('int main(void) { return 0; }\n', ['-g', ...flags], 'probe');
    return true;
  } catch {
    return false;
  }
}

/** Runs gdb in batch mode with `commands` (each an -ex) on `file` (and `core`); returns stdout. */
function gdb(file, commands, core) {
  const args = ['-nx', '-batch', '-ex', 'set width 0', '-ex', 'set height 0'];
  for (const c of commands) args.push('-ex', c);
  args.push(file);
  if (core) args.push(core);
  const r = spawnSync(tools.gdb, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120000, env: toolEnv });
  if (r.error) throw r.error;
  return r.stdout;
}

/**
 * Runs `exe` under gdb until it raises SIGTRAP and writes a core with gcore; returns the core's
 * path (cached per executable).
 */
function gcore(exe) {
  const out = `${exe}.core`;
  return atomicProduce(out, (tmp) => {
    const text = gdb(exe, ['run', `gcore ${tmp}`, 'kill']);
    if (!fs.existsSync(tmp)) throw new Error(`gcore did not write ${tmp}:\n${text}`);
  });
}

const scratchDirs = [];
process.on('exit', () => {
  for (const d of scratchDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh scratch directory, removed when the test process exits. */
function scratchDir(label) {
  const d = fs.mkdtempSync(path.join(cacheRoot, `${label}-`));
  scratchDirs.push(d);
  return d;
}

module.exports = { toolEnv, tools, compile, compileText, gccAccepts, gdb, gcore, scratchDir, FIXTURES, cacheRoot };
