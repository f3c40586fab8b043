'use strict';
// Read-only guarantee: every input image the suite uses (sample/, the DWARF fixtures, simulated
// images, the small images of every format) has the same bytes, size and mtime after being opened
// and read every way the library reads; the files are mapped without write permission; a copy
// with mode 0444 opens and reads the same.
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { Kvm, KvmError } = require('..');
const { readDigest } = require('./helpers/read-digest');
const { simImage } = require('./helpers/sim-image');
const { writeSmallImages } = require('./helpers/small-images');
const { compile, tools } = require('./helpers/cbuild');

const REPO = path.join(__dirname, '..');

function fingerprint(file) {
  const st = fs.statSync(file);
  const hash = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  return { hash, size: st.size, mtimeMs: st.mtimeMs, mode: st.mode };
}

/** Reads an image every generic way: info, msgbuf, the page walk, physical and virtual probes. */
function readGeneric(img) {
  const kd = Kvm.open({ kernel: img.kernel, core: img.core });
  try {
    void kd.info;
    kd.msgbuf();
    try {
      let n = 0;
      for (const p of kd.walkPages({ batch: 256 })) {
        if (img.physical && n < 64) kd.readPhys(p.paddr, 64);
        if (++n > 100_000) break;
      }
    } catch (e) {
      if (!(e instanceof KvmError && e.code === 'UNSUPPORTED')) throw e;
    }
    for (const p of img.probes ?? []) assert.deepEqual(kd.read(p.va, p.bytes.length), Buffer.from(p.bytes));
  } finally {
    kd.close();
  }
}

/** Mappings of `file` in this process (from /proc/self/maps): their permission strings. */
function mappingPerms(file) {
  const real = fs.realpathSync(file);
  return fs
    .readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((l) => l.endsWith(' ' + real))
    .map((l) => l.split(/\s+/)[1]);
}

test('no input image changes when opened and read every way', { timeout: 180_000 }, async () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'libkvm-ro-'));
  try {
    const small = writeSmallImages(path.join(scratch, 'small'));
    const sims = [
      await simImage({ scenario: 'demo', format: 'elf-vcore-amd64' }),
      await simImage({ scenario: 'demo' }),
    ];
    const rich = [{ kernel: path.join(REPO, 'sample', 'kernel'), core: path.join(REPO, 'sample', 'vmcore.0') }, ...sims];
    const exe = tools.gcc ? compile(['types_a.c', 'types_b.c'], ['-g', '-O0'], 'readonly') : null;
    const fixtures = fs.readdirSync(path.join(__dirname, 'fixtures', 'dwarf')).map((f) => path.join(__dirname, 'fixtures', 'dwarf', f));
    const files = [...new Set([
      ...rich.flatMap((i) => [i.kernel, i.core]),
      ...small.flatMap((i) => [i.kernel, i.core]),
      ...fixtures,
      ...(exe ? [exe] : []),
    ])];
    assert.ok(files.length >= 12, `only ${files.length} inputs`);
    const before = new Map(files.map((f) => [f, fingerprint(f)]));

    for (const img of rich) readDigest(img.kernel, img.core);
    for (const img of small) readGeneric(img);
    if (exe) {
      // The DWARF reader and the symbol table of a user program (kernel alone, no core).
      const kd = Kvm.open({ kernel: exe });
      assert.equal(kd.sizeof('struct inner'), 4);
      assert.match(kd.type('struct everything').toString(), /everything/);
      kd.close();
    }

    for (const f of files) assert.deepEqual(fingerprint(f), before.get(f), `${f} changed`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('open files are mapped read-only (no w in /proc/self/maps)', { skip: process.platform !== 'linux' }, () => {
  const kernel = path.join(REPO, 'sample', 'kernel');
  const core = path.join(REPO, 'sample', 'vmcore.0');
  const kd = Kvm.open({ kernel, core });
  try {
    kd.variable('prison0').format(); // loads the DWARF reader's mapping of the kernel too
    for (const f of [kernel, core]) {
      const perms = mappingPerms(f);
      assert.ok(perms.length > 0, `${f} is not mapped`);
      for (const p of perms) assert.equal(p[1], '-', `${f} mapped ${p}`);
    }
  } finally {
    kd.close();
  }
  // close() releases every mapping.
  assert.deepEqual(mappingPerms(core), []);
});

test('a copy with mode 0444 in a 0555 directory opens and reads the same as the original', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'libkvm-ro-mode-'));
  try {
    const kernel = path.join(dir, 'kernel');
    const core = path.join(dir, 'vmcore.0');
    fs.copyFileSync(path.join(REPO, 'sample', 'kernel'), kernel);
    fs.copyFileSync(path.join(REPO, 'sample', 'vmcore.0'), core);
    fs.chmodSync(kernel, 0o444);
    fs.chmodSync(core, 0o444);
    fs.chmodSync(dir, 0o555);
    const want = readDigest(path.join(REPO, 'sample', 'kernel'), path.join(REPO, 'sample', 'vmcore.0'));
    assert.equal(readDigest(kernel, core), want);
    assert.equal(fs.statSync(core).mode & 0o777, 0o444);
  } finally {
    fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
