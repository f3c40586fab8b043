'use strict';
// Oracle test: for every struct and union of the corpus, the layout we read from DWARF (sizes,
// member offsets, bit positions, and the C spelling of each member) equals what gdb's `ptype/o`
// prints, for DWARF 2-5, 64-bit DWARF, type units, and zlib-compressed sections.
const test = require('node:test');
const assert = require('node:assert/strict');
const { addon } = require('../dist/binding');
const { TypeRegistry } = require('../dist/types/registry');
const cb = require('./helpers/cbuild');
const { parsePtypeO, layoutLines } = require('./helpers/gdb-layout');

const skip = !cb.tools.gcc || !cb.tools.gdb ? 'needs gcc and gdb' : false;

const AGGREGATES = [
  'struct everything',
  'struct inner',
  'struct bits',
  'struct packed',
  'struct aligned',
  'struct flex',
  'struct bounds',
  'struct node',
  'struct list',
  'struct fwd',
  'union named_u',
  'union outer_u',
];

const BASE = ['-g', '-O0', '-no-pie'];
const VARIANTS = [
  ['DWARF 2', ['-gdwarf-2', '-gstrict-dwarf']],
  ['DWARF 3', ['-gdwarf-3']],
  ['DWARF 4', ['-gdwarf-4']],
  ['DWARF 5', ['-gdwarf-5']],
  ['DWARF 4, SHF_COMPRESSED zlib', ['-gdwarf-4', '-gz=zlib']],
  ['DWARF 5, SHF_COMPRESSED zlib', ['-gdwarf-5', '-gz=zlib']],
  ['DWARF 4, .zdebug (zlib-gnu)', ['-gdwarf-4', '-gz=zlib-gnu']],
  ['DWARF 5, 64-bit DWARF', ['-gdwarf-5', '-gdwarf64']],
  ['DWARF 4, .debug_types type units', ['-gdwarf-4', '-fdebug-types-section']],
  ['DWARF 5, type units', ['-gdwarf-5', '-fdebug-types-section']],
  ['DWARF 5, -O2', ['-gdwarf-5', '-O2']],
];

let gdbLayouts = null;
function gdbOracle() {
  if (gdbLayouts) return gdbLayouts;
  // gdb's answer is about the source: ask it once, about the plain DWARF 5 build.
  const exe = cb.compile(['types_a.c', 'types_b.c'], [...BASE, '-gdwarf-5'], 'types');
  const out = cb.gdb(exe, AGGREGATES.map((a) => `ptype/o ${a}`));
  gdbLayouts = parsePtypeO(out);
  assert.equal(gdbLayouts.length, AGGREGATES.length, `gdb printed ${gdbLayouts.length} layouts:\n${out}`);
  return gdbLayouts;
}

for (const [label, flags] of VARIANTS) {
  test(`layouts match gdb ptype/o: ${label}`, { skip: skip || (!cb.gccAccepts(flags) && `gcc does not accept ${flags.join(' ')}`) }, () => {
    const expected = gdbOracle();
    const exe = cb.compile(['types_a.c', 'types_b.c'], [...BASE, ...flags], 'types');
    const dwarf = new addon.NativeDwarf(exe);
    try {
      const reg = new TypeRegistry(dwarf, 8);
      AGGREGATES.forEach((name, i) => {
        assert.deepEqual(layoutLines(reg.parse(name)), expected[i], `${name} (${label})`);
      });
      const stats = dwarf.stats();
      if (flags.some((f) => f.startsWith('-gz'))) assert.ok(stats.compressedSections >= 3, 'sections were compressed');
      if (flags.includes('-fdebug-types-section')) assert.ok(stats.typeUnits > 0, 'type units were read');
    } finally {
      dwarf.close();
    }
  });
}

// FreeBSD builds its kernels with clang, whose DWARF uses strx/addrx forms and its own names.
const CLANG = [
  ['clang, DWARF 4', ['-gdwarf-4']],
  ['clang, DWARF 5', ['-gdwarf-5']],
  ['clang, DWARF 5, zlib', ['-gdwarf-5', '-gz=zlib']],
];
for (const [label, flags] of CLANG) {
  test(`layouts match gdb ptype/o: ${label}`, { skip: skip || (!cb.tools.clang && 'needs clang') }, () => {
    const exe = cb.compile(['types_a.c', 'types_b.c'], [...BASE, ...flags], 'types-clang', 'clang');
    const expected = parsePtypeO(cb.gdb(exe, AGGREGATES.map((a) => `ptype/o ${a}`)));
    assert.equal(expected.length, AGGREGATES.length);
    const dwarf = new addon.NativeDwarf(exe);
    const reg = new TypeRegistry(dwarf, 8);
    AGGREGATES.forEach((name, i) => assert.deepEqual(layoutLines(reg.parse(name)), expected[i], `${name} (${label})`));
    dwarf.close();
  });
}

// ELF32 with 4-byte addresses and pointers (i386): layouts, not runnable (no 32-bit libc here).
const I386 = ['-m32', '-ffreestanding', '-nostdlib', '-static', '-e', 'main', '-Wl,--unresolved-symbols=ignore-all'];
for (const [label, flags] of [['i386, DWARF 4', ['-gdwarf-4']], ['i386, DWARF 5, zlib', ['-gdwarf-5', '-gz=zlib']]]) {
  const all = ['-g', '-O0', ...I386, ...flags];
  test(`layouts match gdb ptype/o: ${label}`, { skip: skip || (!cb.gccAccepts(I386) && 'gcc cannot build -m32') }, () => {
    const exe = cb.compile(['types_a.c', 'types_b.c'], all, 'types-i386');
    const expected = parsePtypeO(cb.gdb(exe, AGGREGATES.map((a) => `ptype/o ${a}`)));
    assert.equal(expected.length, AGGREGATES.length);
    const dwarf = new addon.NativeDwarf(exe);
    assert.equal(dwarf.stats().addressSize, 4);
    const reg = new TypeRegistry(dwarf, 4);
    AGGREGATES.forEach((name, i) => assert.deepEqual(layoutLines(reg.parse(name)), expected[i], `${name} (${label})`));
    assert.equal(reg.parse('struct everything').size, expected[0][expected[0].length - 1].split(' ')[1] * 1);
    dwarf.close();
  });
}

test('gdb and our reader agree with each other on a -gdwarf-4 build too (gdb on that build)', { skip }, () => {
  const exe = cb.compile(['types_a.c', 'types_b.c'], [...BASE, '-gdwarf-4', '-gz=zlib'], 'types');
  const layouts = parsePtypeO(cb.gdb(exe, ['ptype/o struct bits', 'ptype/o struct everything']));
  const dwarf = new addon.NativeDwarf(exe);
  const reg = new TypeRegistry(dwarf, 8);
  assert.deepEqual(layoutLines(reg.parse('struct bits')), layouts[0]);
  assert.deepEqual(layoutLines(reg.parse('struct everything')), layouts[1]);
  dwarf.close();
});
