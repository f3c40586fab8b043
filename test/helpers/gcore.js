'use strict';
// Real fixtures made by real tools: compile a C program with gcc -g -no-pie, run it under gdb until
// it raises SIGTRAP, and save its core with gcore. Also runs gdb -batch against the same core so
// tests can compare our reads with gdb's.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { cached, toolEnv } = require('./tmp');

function have(cmd) {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore', env: toolEnv() });
    return true;
  } catch {
    return false;
  }
}

/** { program, core } for C `source`; compiled and gcore'd once per source text. */
function gcoreFixture(name, source, cflags = []) {
  const dir = cached(`gcore-${name}`, source + cflags.join(' '), (work) => {
    const src = path.join(work, `${name}.c`);
    fs.writeFileSync(src, source);
    execFileSync('gcc', ['-g', '-O0', '-no-pie', ...cflags, '-o', path.join(work, name), src], { env: toolEnv() });
    const core = path.join(work, 'core');
    execFileSync('gdb', ['-nx', '-batch', '-ex', 'run', '-ex', `gcore ${core}`, path.join(work, name)], {
      stdio: 'ignore',
      cwd: work,
      env: toolEnv(),
    });
    if (!fs.existsSync(core)) throw new Error('gcore did not write a core');
  });
  return { program: path.join(dir, name), core: path.join(dir, 'core'), dir };
}

/** Runs gdb -batch on program+core with the given -ex commands; returns stdout. */
function gdb(program, core, commands) {
  const args = ['-nx', '-batch', '-ex', 'set width 0', '-ex', 'set print pretty off'];
  for (const c of commands) args.push('-ex', c);
  args.push(program, core);
  return execFileSync('gdb', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: toolEnv() });
}

module.exports = { gcoreFixture, gdb, have };
