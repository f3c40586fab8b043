'use strict';
// Typed reads of a gcore'd process, checked against gdb's `print` on the same core: every global
// rendered by our printer equals gdb's output exactly, member paths and elements equal gdb's
// expressions, and value() gives the JavaScript values the API promises.
const test = require('node:test');
const assert = require('node:assert/strict');
const { Kvm, KvmError } = require('..');
const cb = require('./helpers/cbuild');

const skip = !cb.tools.gcc || !cb.tools.gdb ? 'needs gcc and gdb' : false;

const GLOBALS = [
  'names', 'text_buf', 'ints', 'grid', 'n1', 'n2', 'n3', 'head', 'lst', 'ev', 'pk', 'al', 'ou',
  'flags_mix', 'flags_odd', 'sign_odd', 'dbl', 'flt', 'tiny_d', 'ubytes', 'sbytes', 'truth', 'negl',
  'ullmax', 'flexp', 'bigv', 'tinyv', 'shared_fwd', 'fwd_ptr', 'b_global', 'a_static', 'b_static',
  'str_nul_run', 'str_all_nul', 'str_long_run', 'str_long_text',
];

// [gdb expression, variable, member path]
const PATHS = [
  ['ev.in.c', 'ev', 'in.c'],
  ['ev.y', 'ev', 'y'],
  ['ev.pair.hi', 'ev', 'pair.hi'],
  ['ev.u.raw', 'ev', 'u.raw'],
  ['ev.m2[1]', 'ev', 'm2[1]'],
  ['ev.m2[1][2]', 'ev', 'm2[1][2]'],
  ['ev.m3[1][0][1]', 'ev', 'm3[1][0][1]'],
  ['ev.bf.e', 'ev', 'bf.e'],
  ['ev.bf.f', 'ev', 'bf.f'],
  ['ev.bf.h', 'ev', 'bf.h'],
  ['ev.table[1]', 'ev', 'table[1]'],
  ['ev.fwdp->tag', 'ev', 'fwdp->tag'],
  ['ev.self->self->chain', 'ev', 'self->self->chain'],
  ['*ev.parr', 'ev', 'parr->'],
  ['head->next->next->value', 'head', 'next.next.value'],
  ['lst.nodes[2]', 'lst', 'nodes[2]'],
  ['lst.first->next', 'lst', 'first->next'],
  ['names[1]', 'names', '[1]'],
  ['*fwd_ptr', 'fwd_ptr', '->'],
];

const fixtures = {};
function setup(cc = 'gcc') {
  if (fixtures[cc]) return fixtures[cc];
  const exe = cb.compile(['types_a.c', 'types_b.c'], ['-g', '-O0', '-no-pie', '-gdwarf-5'], cc === 'gcc' ? 'types' : 'types-clang', cc);
  const core = cb.gcore(exe);
  const cmds = [...GLOBALS.map((g) => `print ${g}`), ...PATHS.map(([e]) => `print ${e}`)];
  const lines = cb
    .gdb(exe, cmds, core)
    .split('\n')
    .filter((l) => /^\$\d+ = /.test(l))
    .map((l) => l.replace(/^\$\d+ = /, ''));
  assert.equal(lines.length, cmds.length, 'gdb printed one value per command');
  fixtures[cc] = { exe, core, gdbGlobals: lines.slice(0, GLOBALS.length), gdbPaths: lines.slice(GLOBALS.length) };
  return fixtures[cc];
}

function open(cc = 'gcc') {
  const { exe, core } = setup(cc);
  return Kvm.open({ kernel: exe, core });
}

test('every global prints exactly as gdb prints it', { skip }, () => {
  const { gdbGlobals } = setup();
  const kd = open();
  try {
    GLOBALS.forEach((name, i) => assert.equal(kd.variable(name).format(), gdbGlobals[i], name));
  } finally {
    kd.close();
  }
});

test('clang build: every global and member path prints as gdb prints it', { skip: skip || (!cb.tools.clang && 'needs clang') }, () => {
  const { gdbGlobals, gdbPaths } = setup('clang');
  const kd = open('clang');
  try {
    GLOBALS.forEach((name, i) => assert.equal(kd.variable(name).format(), gdbGlobals[i], name));
    PATHS.forEach(([expr, v, path], i) => {
      if (path.endsWith('->')) return;
      assert.equal(kd.variable(v).member(path).format(), gdbPaths[i], expr);
    });
  } finally {
    kd.close();
  }
});

test('member paths, indexing and dereference print as gdb evaluates them', { skip }, () => {
  const { gdbPaths } = setup();
  const kd = open();
  try {
    PATHS.forEach(([expr, v, path], i) => {
      const obj = path === '->' ? kd.variable(v).deref() : path.endsWith('->') ? kd.variable(v).member(path.slice(0, -2)).deref() : kd.variable(v).member(path);
      assert.equal(obj.format(), gdbPaths[i], expr);
    });
  } finally {
    kd.close();
  }
});

test('value() converts to JavaScript values', { skip }, () => {
  const kd = open();
  try {
    const ev = kd.variable('ev');
    assert.equal(ev.member('c').value(), 81);
    assert.equal(ev.member('in.s').value(), -2);
    assert.equal(ev.member('x').value(), 11); // through the anonymous struct
    assert.equal(ev.member('y').value(), -3); // signed bitfield
    assert.equal(ev.member('u32').value(), 4000000000);
    assert.equal(ev.member('u64').value(), 18000000000000000000n);
    assert.equal(ev.member('s64').value(), -9000000000000000000n);
    assert.equal(ev.member('vcount').value(), 123456789n); // 64-bit: bigint
    assert.equal(ev.member('bf.e').value(), 0xabcdef1234n); // 40-bit field: bigint
    assert.equal(ev.member('bf.f').value(), -1234567); // 23-bit field: number
    assert.equal(ev.member('bf.g').value(), true);
    assert.equal(ev.member('flag').value(), true);
    assert.equal(ev.member('col').value(), 'BLUE');
    assert.equal(ev.member('sg').value(), 'NEG');
    assert.equal(ev.member('sg').integer(), -5);
    assert.equal(kd.variable('sign_odd').value(), 3);
    assert.equal(ev.member('ld').value(), 2.5);
    assert.equal(ev.member('wide').value(), 5n);
    assert.deepEqual(ev.member('m2').value(), [[1, 2, 3], [4, 5, 6]]);
    assert.equal(ev.member('u.raw').string(), 'abcde');
    assert.equal(ev.member('name').string(), 'lit');
    assert.equal(kd.variable('names').index(1).string(), 'be"ta\\');
    assert.equal(kd.variable('dbl').value(), 3.141592653589793);
    assert.equal(kd.variable('flt').value(), Math.fround(0.1));
    assert.equal(kd.variable('ullmax').value(), (1n << 64n) - 1n);
    const self = ev.member('self');
    assert.equal(typeof self.value(), 'bigint');
    assert.equal(self.value(), ev.address);
    const obj = ev.value();
    assert.equal(obj.x, 11); // anonymous members merged
    assert.equal(obj.pair.hi, 2);
    assert.equal(obj.bf.h, 300);
  } finally {
    kd.close();
  }
});

test('objects read their bytes once; members slice them', { skip }, () => {
  const kd = open();
  const calls = [];
  const read = kd.read.bind(kd);
  kd.read = (addr, len) => {
    calls.push([addr, len]);
    return read(addr, len);
  };
  try {
    const ev = kd.variable('ev');
    ev.member('c').value();
    ev.member('bf.h').value();
    ev.member('m3[1][1][1]').value();
    ev.value();
    assert.deepEqual(calls, [[ev.address, kd.sizeof('struct everything')]]);
  } finally {
    kd.close();
  }
});

test('types by name, sizeof, offsetof, containerOf, addressOf, cast', { skip }, () => {
  const kd = open();
  try {
    assert.equal(String(kd.type('struct everything *')), 'struct everything *');
    assert.equal(String(kd.type('unsigned long')), 'unsigned long');
    assert.equal(kd.sizeof('unsigned long'), 8);
    assert.equal(kd.sizeof('int[4][2]'), 32);
    assert.equal(String(kd.type('const char *')), 'const char *');
    assert.equal(String(kd.type('node_t **')), 'node_t **');
    assert.equal(kd.type('i3_t').strip().name, 'int');
    assert.equal(kd.sizeof('union outer_u'), 16);
    assert.equal(kd.sizeof('enum tiny'), 1);
    assert.equal(kd.type('enum big').enumerators.find((e) => e.name === 'HUGE').value, 0x7fffffffffffffffn);
    assert.equal(kd.type('enum sign').enumerators[0].value, -5n);
    assert.equal(kd.offsetof('struct everything', 'bf'), 256);
    assert.equal(kd.offsetof('struct everything', 'pair.hi'), 17);
    assert.equal(kd.offsetof('struct everything', 'm2[1][2]'), 32 + 12 + 8);
    assert.equal(kd.offsetof('struct list', 'nodes[1].next'), 24 + 24 + 8);
    // Forward-declared in types_a.c, defined in types_b.c: the pointer's target is complete.
    const fwd = kd.variable('ev').member('fwdp').type.strip().target.strip();
    assert.equal(fwd.complete, true);
    assert.equal(fwd.size, 24);
    const ev = kd.variable('ev');
    const tag = ev.member('fwdp->tag');
    const back = kd.containerOf(tag.address, 'struct fwd', 'tag');
    assert.equal(back.address, kd.variable('shared_fwd').address);
    assert.equal(back.member('id').value(), 42);
    const viaPtr = kd.containerOf(kd.variable('lst').member('first'), 'struct node', 'value');
    assert.equal(viaPtr.member('value').value(), 1);
    const p = kd.variable('n2').addressOf();
    assert.equal(p.value(), kd.variable('n2').address);
    assert.equal(p.deref().member('value').value(), 2);
    assert.equal(kd.variable('ou').cast(kd.type('unsigned char[8]')).index(0).value(), 0x48);
    assert.equal(kd.object('int', kd.variable('grid').address + 8n).value(), 30);
    assert.equal(kd.variable('grid').member('[4]').value(), 50);
    assert.equal(kd.variable('head').index(0).member('value').value(), 1); // pointer indexing
  } finally {
    kd.close();
  }
});

test('errors: unknown types and members are NO_TYPE, unknown variables NO_SYMBOL', { skip }, () => {
  const kd = open();
  try {
    assert.throws(() => kd.type('struct no_such_thing'), (e) => e instanceof KvmError && e.code === 'NO_TYPE' && /no_such_thing/.test(e.message));
    assert.throws(() => kd.variable('ev').member('nope'), (e) => e instanceof KvmError && e.code === 'NO_TYPE' && /nope/.test(e.message));
    assert.throws(() => kd.variable('no_such_var'), (e) => e instanceof KvmError && e.code === 'NO_SYMBOL');
    assert.throws(() => kd.offsetof('struct everything', 'self->c'), TypeError);
    assert.throws(() => kd.type('struct'), TypeError);
    assert.throws(() => kd.object('int', 5), TypeError);
    assert.throws(() => kd.object('int', 0n).value(), (e) => e instanceof KvmError && e.code === 'FAULT');
  } finally {
    kd.close();
  }
  assert.throws(() => kd.type('int'), (e) => e instanceof KvmError && e.code === 'CLOSED');
});

test('big-endian targets: integers and bitfields decode in the target bit numbering', () => {
  const { KObject } = require('../dist/types/object');
  const { CType } = require('../dist/types/model');
  const host = { littleEndian: false, pointerSize: 8, registry: null, read() { throw new Error('no memory'); }, readCString() { return ''; }, symbolize() { return null; } };
  const u32 = new CType({ kind: 'int', name: 'unsigned int', size: 4 });
  const s32 = new CType({ kind: 'int', name: 'int', size: 4, signed: true });
  assert.equal(new KObject(host, u32, null, Buffer.from([0x12, 0x34, 0x56, 0x78])).value(), 0x12345678);
  assert.equal(new KObject(host, s32, null, Buffer.from([0xff, 0xff, 0xff, 0xfe])).value(), -2);
  // struct { unsigned a:3; int b:5; unsigned c:12; } on a big-endian target: a is the top 3 bits
  // of byte 0 (DWARF bit offset 0), b the next 5, c starts at bit 8.
  const bytes = Buffer.from([0b101_11100, 0xab, 0xc0, 0x00]);
  const field = (bitOffset, bitSize, type) => new KObject(host, type, null, null, new KObject(host, u32, null, bytes), Math.floor(bitOffset / 8), bitOffset % 8, bitSize);
  assert.equal(field(0, 3, u32).value(), 5);
  assert.equal(field(3, 5, s32).value(), -4);
  assert.equal(field(8, 12, u32).value(), 0xabc);
  const le = { ...host, littleEndian: true };
  // The same field on a little-endian target counts from the least significant bit.
  const leBytes = Buffer.from([0b11100_101, 0xbc, 0x0a, 0]);
  const leField = (bitOffset, bitSize, type) => new KObject(le, type, null, null, new KObject(le, u32, null, leBytes), Math.floor(bitOffset / 8), bitOffset % 8, bitSize);
  assert.equal(leField(0, 3, u32).value(), 5);
  assert.equal(leField(3, 5, s32).value(), -4);
  assert.equal(leField(8, 12, u32).value(), 0xabc);
});

test('format options match gdb print elements / max-depth / repeats', { skip }, () => {
  const { exe, core } = setup();
  const cmds = [
    'set print elements 4', 'print grid', 'print names', 'print ev.m3', 'print lst',
    'set print elements 200', 'set print max-depth 1', 'print ev.in', 'print lst',
    'set print max-depth 20', 'set print repeats 2', 'print ints', 'print ubytes', 'print ev.m2',
  ];
  const want = cb.gdb(exe, cmds, core).split('\n').filter((l) => /^\$\d+ = /.test(l)).map((l) => l.replace(/^\$\d+ = /, ''));
  const kd = open();
  try {
    const got = [
      kd.variable('grid').format({ arrayLimit: 4 }),
      kd.variable('names').format({ arrayLimit: 4 }),
      kd.variable('ev').member('m3').format({ arrayLimit: 4 }),
      kd.variable('lst').format({ arrayLimit: 4 }),
      kd.variable('ev').member('in').format({ depth: 1 }),
      kd.variable('lst').format({ depth: 1 }),
      kd.variable('ints').format({ repeatThreshold: 2 }),
      kd.variable('ubytes').format({ repeatThreshold: 2 }),
      kd.variable('ev').member('m2').format({ repeatThreshold: 2 }),
    ];
    assert.deepEqual(got, want);
  } finally {
    kd.close();
  }
});
