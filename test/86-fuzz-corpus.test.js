'use strict';
// The fuzz corpora (fuzz/corpus/<target>/: seeds and the reproducers of anything the fuzzers
// found) replayed through the built addon, so every past finding stays a regression test here
// too (and under ASan in CI): each file gives a result or a KvmError, nothing else.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { Kvm, KvmError } = require('..');
const { addon } = require('../dist/binding');
const { writeSmallImages } = require('./helpers/small-images');

const CORPUS = path.join(__dirname, '..', 'fuzz', 'corpus');
const files = (target) => fs.readdirSync(path.join(CORPUS, target)).map((f) => path.join(CORPUS, target, f));

/** Runs fn; a KvmError is an accepted outcome, anything else fails. Returns 'ok' or the code. */
function outcome(fn) {
  try {
    fn();
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof KvmError, `not a KvmError: ${e && e.stack}`);
    return e.code;
  }
}

test('fuzz corpora are small and present for every target', () => {
  const targets = fs.readdirSync(path.join(__dirname, '..', 'fuzz')).filter((f) => f.endsWith('.cc')).map((f) => f.slice(0, -3));
  assert.deepEqual(targets.sort(), ['core_open', 'dwarf_types', 'elf_kernel', 'translate']);
  for (const t of ['core_open', 'dwarf_types', 'elf_kernel']) {
    const list = files(t);
    assert.ok(list.length > 0 && list.length <= 64, `${t}: ${list.length} files`);
    for (const f of list) assert.ok(fs.statSync(f).size < 100 * 1024, `${f} is too large`);
  }
});

test('dwarf_types corpus: index, named types and everything they refer to', () => {
  const names = ['everything', 'list', 'bits', 'node', 'fwd', 'color', 'named_u', 'outer_u'];
  const seen = { ok: 0 };
  let decoded = 0;
  for (const f of files('dwarf_types')) {
    const r = outcome(() => {
      const d = new addon.NativeDwarf(f);
      try {
        for (const kind of ['struct', 'union', 'enum', 'typedef']) {
          for (const n of names) {
            const id = d.findType(kind, n);
            if (id === undefined) continue;
            const todo = [id];
            const done = new Set();
            while (todo.length && done.size < 200) {
              const t = todo.pop();
              if (done.has(t)) continue;
              done.add(t);
              const info = d.typeInfo(t);
              if (info.target !== undefined) todo.push(info.target);
              for (const m of info.members ?? []) if (m.typeId !== undefined) todo.push(m.typeId);
            }
          }
        }
        d.findVariable('shared_fwd');
        // Any id, as typeInfo accepts: DIE starts, middles of DIEs, past the end.
        for (let id = 0; id < 4096; id += 37) outcome(() => d.typeInfo(id));
        decoded += d.stats().cachedTypes ?? 0;
      } finally {
        d.close();
      }
    });
    seen[r] = (seen[r] ?? 0) + 1;
  }
  // The compiler-built seeds read cleanly.
  assert.ok(seen.ok >= 1, JSON.stringify(seen));
  assert.ok(decoded > 50, `only ${decoded} types decoded`);
});

test('elf_kernel corpus: kernels open alone and answer symbol lookups', () => {
  for (const f of files('elf_kernel')) {
    outcome(() => {
      const kd = Kvm.open({ kernel: f });
      try {
        for (const n of ['kernbase', 'version', 'vnet_entry_ifnet', 'nosuch']) kd.lookupPlain(n);
        assert.throws(() => kd.read(0xffffffff80000000n, 8), (e) => e instanceof KvmError);
      } finally {
        kd.close();
      }
    });
  }
});

test('core_open corpus: cores open with the small kernels and read or fault', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'libkvm-corpus-'));
  try {
    const kernels = [...new Set(writeSmallImages(dir).map((i) => i.kernel))];
    const codes = {};
    for (const f of files('core_open')) {
      for (const kernel of kernels) {
        const r = outcome(() => {
          const kd = Kvm.open({ kernel, core: f });
          try {
            kd.msgbuf();
            let n = 0;
            try {
              for (const p of kd.walkPages({ batch: 64 })) {
                if (p.kmapVaddr) outcome(() => kd.read(p.kmapVaddr, 64));
                if (++n >= 256) break;
              }
            } catch (e) {
              if (!(e instanceof KvmError)) throw e;
            }
            outcome(() => kd.read(0xffffffff80000000n, 4096));
          } finally {
            kd.close();
          }
        });
        codes[r] = (codes[r] ?? 0) + 1;
      }
    }
    assert.ok(codes.ok >= 1, JSON.stringify(codes));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
