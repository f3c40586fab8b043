'use strict';
// Where the DWARF comes from: the kernel itself, <kernel>.debug, or the .gnu_debuglink name in the
// kernel's directory, its .debug/ subdirectory, or a global debug root; an explicit `debug` path
// wins. Without DWARF, typed calls throw NO_TYPES naming every path searched, and raw reads work.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { Kvm, KvmError, findDebugFile } = require('..');
const cb = require('./helpers/cbuild');

const skip = !cb.tools.gcc || !cb.tools.gdb || !cb.tools.objcopy || !cb.tools.strip ? 'needs gcc, gdb, objcopy, strip' : false;

let built = null;
function build() {
  if (built) return built;
  const exe = cb.compile(['types_a.c', 'types_b.c'], ['-g', '-O0', '-no-pie', '-gdwarf-5'], 'types');
  const core = cb.gcore(exe);
  const dir = cb.scratchDir('debugfiles');
  // The debug file as objcopy makes it; tests copy it to the places the search looks.
  const dbgBytes = path.join(dir, 'prog.dbg');
  execFileSync(cb.tools.objcopy, ['--only-keep-debug', exe, dbgBytes], { env: cb.toolEnv });
  // The stripped kernel keeps .symtab (raw nlist works) and links to prog.dbg by name and CRC.
  const stripped = path.join(dir, 'stripped');
  execFileSync(cb.tools.strip, ['--strip-debug', '-o', stripped, exe], { env: cb.toolEnv });
  execFileSync(cb.tools.objcopy, [`--add-gnu-debuglink=${dbgBytes}`, stripped], { cwd: dir, env: cb.toolEnv });
  built = { exe, core, dir, stripped, dbgBytes };
  return built;
}

// A fresh directory holding a copy of the stripped kernel as `kernel`.
function layout(name) {
  const b = build();
  const dir = path.join(b.dir, name);
  fs.mkdirSync(dir, { recursive: true });
  const kernel = path.join(dir, 'kernel');
  fs.copyFileSync(b.stripped, kernel);
  return { ...b, dir, kernel };
}

test('a kernel with DWARF is its own debug file', { skip }, () => {
  const b = build();
  const r = findDebugFile(b.exe);
  assert.equal(r.path, b.exe);
  const kd = Kvm.open({ kernel: b.exe, core: b.core });
  assert.equal(kd.types.debugFile, b.exe);
  assert.equal(kd.variable('b_global').value(), 99);
  assert.equal(kd.types.sizeofOrNull('struct node'), 24);
  assert.equal(kd.types.sizeofOrNull('struct not_there'), null);
  kd.close();
});

test('<kernel>.debug beside the kernel', { skip }, () => {
  const l = layout('beside');
  fs.copyFileSync(l.dbgBytes, `${l.kernel}.debug`);
  const r = findDebugFile(l.kernel);
  assert.equal(r.path, `${l.kernel}.debug`);
  assert.deepEqual(r.searched.map((s) => s.verdict), ['no DWARF', 'ok']);
  const kd = Kvm.open({ kernel: l.kernel, core: l.core });
  assert.equal(kd.variable('shared_fwd').member('tag').string(), 'peer');
  kd.close();
});

test('.gnu_debuglink in the same directory, then .debug/, then a debug root', { skip }, () => {
  const same = layout('link-same');
  fs.copyFileSync(same.dbgBytes, path.join(same.dir, 'prog.dbg'));
  assert.equal(findDebugFile(same.kernel).path, path.join(same.dir, 'prog.dbg'));

  const sub = layout('link-sub');
  fs.mkdirSync(path.join(sub.dir, '.debug'));
  fs.copyFileSync(sub.dbgBytes, path.join(sub.dir, '.debug', 'prog.dbg'));
  assert.equal(findDebugFile(sub.kernel).path, path.join(sub.dir, '.debug', 'prog.dbg'));

  const rooted = layout('link-root');
  const root = path.join(rooted.dir, 'usr-lib-debug');
  const target = path.join(root, rooted.dir, 'prog.dbg');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(rooted.dbgBytes, target);
  const r = findDebugFile(rooted.kernel, undefined, [root]);
  assert.equal(r.path, target);
  assert.deepEqual(r.searched.map((s) => s.path), [
    rooted.kernel,
    `${rooted.kernel}.debug`,
    path.join(rooted.dir, 'prog.dbg'),
    path.join(rooted.dir, '.debug', 'prog.dbg'),
    target,
  ]);
});

test('a debuglink candidate with the wrong CRC is skipped', { skip }, () => {
  const l = layout('link-crc');
  // DWARF, but not the file the link was made for.
  const other = cb.compileText('struct other { int z; } o;\nint main(void) { return o.z; }\n', ['-g'], 'other');
  fs.copyFileSync(other, path.join(l.dir, 'prog.dbg'));
  assert.throws(
    () => findDebugFile(l.kernel, undefined, []),
    (e) => e instanceof KvmError && e.code === 'NO_TYPES' && /prog\.dbg \(CRC 0x[0-9a-f]+ does not match/.test(e.message),
  );
});

test('no DWARF anywhere: typed calls throw NO_TYPES naming every path; raw reads still work', { skip }, () => {
  const l = layout('none');
  const kd = Kvm.open({ kernel: l.kernel, core: l.core }); // opening does not look for DWARF
  try {
    const sym = kd.symbol('b_global');
    assert.equal(kd.readS32(sym.value), 99);
    assert.throws(
      () => kd.type('int'),
      (e) =>
        e instanceof KvmError &&
        e.code === 'NO_TYPES' &&
        e.message.includes(`${l.kernel} (no DWARF)`) &&
        e.message.includes(`${l.kernel}.debug (missing)`) &&
        e.message.includes(`${path.join(l.dir, 'prog.dbg')} (missing)`) &&
        e.message.includes(`${path.join(l.dir, '.debug', 'prog.dbg')} (missing)`) &&
        e.message.includes(path.join('/usr/lib/debug', l.dir, 'prog.dbg')),
    );
    assert.throws(() => kd.variable('b_global'), (e) => e.code === 'NO_TYPES');
    assert.equal(kd.types.sizeofOrNull('struct node'), null);
    assert.equal(kd.readS32(sym.value), 99);
  } finally {
    kd.close();
  }
});

test('an explicit debug path is used, and only it', { skip }, () => {
  const l = layout('explicit');
  const elsewhere = path.join(l.dir, 'elsewhere.debug');
  fs.copyFileSync(l.dbgBytes, elsewhere);
  const kd = Kvm.open({ kernel: l.kernel, core: l.core, debug: elsewhere });
  assert.equal(kd.variable('ev').member('chain').value(), 31337);
  assert.equal(kd.types.debugFile, elsewhere);
  kd.close();
  fs.copyFileSync(l.dbgBytes, `${l.kernel}.debug`); // would be found without `debug`
  const kd2 = Kvm.open({ kernel: l.kernel, core: l.core, debug: path.join(l.dir, 'nope.debug') });
  assert.throws(() => kd2.type('int'), (e) => e.code === 'NO_TYPES' && /nope\.debug \(missing\)/.test(e.message) && !/kernel\.debug/.test(e.message));
  kd2.close();
});
