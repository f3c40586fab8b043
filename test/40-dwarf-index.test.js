'use strict';
// The native DWARF reader (NativeDwarf) on its own: the index and type decoding on gcc output,
// forms gcc does not emit (hand-made DWARF 5), and corrupt input, which must give KvmError.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { addon } = require('../dist/binding');
const { KvmError } = require('..');
const cb = require('./helpers/cbuild');
const { Bytes, elf64, findSection } = require('./helpers/dwarf-writer');

const skip = !cb.tools.gcc ? 'needs gcc' : false;
const NativeDwarf = addon.NativeDwarf;

function isKvm(code, pattern) {
  return (e) => e instanceof KvmError && e.code === code && (!pattern || pattern.test(e.message));
}

// Bitwise CRC-32 (IEEE), the checksum .gnu_debuglink records.
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function corpus(flags = ['-gdwarf-5']) {
  return cb.compile(['types_a.c', 'types_b.c'], ['-g', '-O0', '-no-pie', ...flags], 'types');
}

test('index: named types and variables of both units', { skip }, () => {
  const d = new NativeDwarf(corpus());
  try {
    const s = d.stats();
    assert.equal(s.units, 2);
    assert.equal(s.maxVersion, 5);
    assert.equal(s.addressSize, 8);
    assert.equal(s.bigEndian, false);
    assert.ok(s.dies > 100);
    for (const [kind, name] of [['struct', 'everything'], ['struct', 'fwd'], ['union', 'outer_u'], ['enum', 'color'], ['typedef', 'i3_t'], ['base', 'int']]) {
      assert.equal(typeof d.findType(kind, name), 'number', `${kind} ${name}`);
    }
    assert.equal(d.findType('struct', 'outer_u'), undefined, 'kinds are separate');
    assert.equal(d.findType('struct', 'local_only'), undefined);
    const ev = d.typeInfo(d.findType('struct', 'everything'));
    assert.equal(ev.kind, 'struct');
    assert.equal(ev.size, 288);
    assert.equal(ev.members[0].name, 'c');
    const bf = d.typeInfo(ev.members.find((m) => m.name === 'bf').typeId);
    assert.deepEqual(
      bf.members.map((m) => [m.name, m.bitOffset, m.bitSize]),
      [['a', 0, 3], ['b', 3, 5], ['c', 32, 12], ['d', 44, 2], ['e', 64, 40], ['f', 104, 23], ['g', 127, 1], ['h', 132, 9]],
    );
    const color = d.typeInfo(d.findType('enum', 'color'));
    assert.deepEqual(color.enumerators, [{ name: 'RED', value: 0n }, { name: 'GREEN', value: 2n }, { name: 'BLUE', value: 4n }, { name: 'WHITE', value: 8n }]);
    const sign = d.typeInfo(d.findType('enum', 'sign'));
    assert.equal(sign.signed, true);
    assert.equal(sign.enumerators[0].value, -5n);
    const m3 = d.typeInfo(ev.members.find((m) => m.name === 'm3').typeId);
    assert.deepEqual(m3.dims, [2, 2, 2]);
    assert.equal(m3.size, 32);
    const zero = d.typeInfo(ev.members.find((m) => m.name === 'zero').typeId);
    assert.deepEqual(zero.dims, [0]);
    const flex = d.typeInfo(d.findType('struct', 'flex'));
    assert.deepEqual(d.typeInfo(flex.members[1].typeId).dims, [null]);
    const cbType = d.typeInfo(d.typeInfo(ev.members.find((m) => m.name === 'cb').typeId).target);
    assert.equal(cbType.kind, 'function');
    assert.equal(cbType.variadic, true);
    assert.equal(cbType.params.length, 2);
    // A declaration in types_a.c resolves to the definition in types_b.c.
    const fwdp2 = d.typeInfo(ev.members.find((m) => m.name === 'fwdp2').typeId);
    const fwd = d.typeInfo(fwdp2.target);
    assert.equal(fwd.id, d.findType('struct', 'fwd'));
    assert.equal(fwd.size, 24);
    assert.equal(fwd.incomplete, undefined);
    // Variables: a definition with an address; statics of either unit.
    const v = d.findVariable('b_global');
    assert.equal(v.declaration, false);
    assert.equal(v.external, true);
    assert.equal(typeof v.address, 'bigint');
    assert.equal(d.typeInfo(v.typeId).name, 'int');
    assert.equal(d.findVariable('b_static').external, false);
    // shared_fwd is defined by a DIE that only has DW_AT_specification (its declaration from
    // types.h carries the name and type).
    const shared = d.findVariable('shared_fwd');
    assert.equal(typeof shared.address, 'bigint');
    assert.equal(shared.declaration, false);
    assert.equal(shared.external, true);
    assert.equal(shared.typeId, d.findType('struct', 'fwd'));
    assert.equal(d.findVariable('nothing_here'), undefined);
    assert.ok(d.stats().cachedTypes > 5);
  } finally {
    d.close();
  }
  assert.throws(() => d.typeInfo(1), isKvm('CLOSED'));
});

test('misuse: bad kinds and ids', { skip }, () => {
  const d = new NativeDwarf(corpus());
  assert.throws(() => d.findType('variable', 'x'), RangeError);
  assert.throws(() => d.findType('struct', 5), TypeError);
  assert.throws(() => d.typeInfo(-1), RangeError);
  assert.throws(() => d.typeInfo(1e12), isKvm('NO_TYPE'));
  // The id of a variable DIE is not a type.
  assert.throws(() => d.typeInfo(d.findVariable('b_global').id), isKvm('NO_TYPE', /is not a type/));
  d.close();
});

test('files without DWARF: NO_TYPES naming the file; probe and CRC', { skip }, () => {
  const exe = corpus();
  const stripped = path.join(cb.scratchDir('nodwarf'), 'stripped');
  require('node:child_process').execFileSync(cb.tools.strip || 'strip', ['-g', '-o', stripped, exe], { env: cb.toolEnv });
  assert.throws(() => new NativeDwarf(stripped), isKvm('NO_TYPES', new RegExp(`${stripped} has no DWARF`)));
  assert.throws(() => new NativeDwarf('/nonexistent/kernel'), isKvm('OS', /nonexistent/));
  assert.deepEqual(NativeDwarf.probe(stripped), { isElf: true, hasDwarf: false });
  assert.deepEqual(NativeDwarf.probe(exe), { isElf: true, hasDwarf: true });
  const text = path.join(path.dirname(stripped), 'text');
  fs.writeFileSync(text, 'not an ELF file\n');
  assert.deepEqual(NativeDwarf.probe(text), { isElf: false, hasDwarf: false });
  assert.equal(NativeDwarf.crc32(text), crc32(fs.readFileSync(text)));
});

// ---- hand-made DWARF 5 ---------------------------------------------------------------------------

const TAG = { cu: 0x11, base: 0x24, struct: 0x13, member: 0x0d, variable: 0x34, typedef: 0x16, pointer: 0x0f };
const AT = { name: 0x03, byte_size: 0x0b, encoding: 0x3e, type: 0x49, loc: 0x02, dml: 0x38, str_off: 0x72, addr_base: 0x73, decl: 0x3c };
const F = {
  strx1: 0x25, strx2: 0x26, strx3: 0x27, strx4: 0x28, strx: 0x1a, sec_offset: 0x17, data1: 0x0b, data2: 0x05, udata: 0x0f,
  implicit_const: 0x21, ref4: 0x13, ref_udata: 0x15, string: 0x08, exprloc: 0x18, indirect: 0x16, data16: 0x1e,
  block1: 0x0a, block2: 0x03, block4: 0x04, ref_sig8: 0x20, flag_present: 0x19, ref_addr: 0x10,
};

// Builds .debug_abbrev from [code, tag, children, [[at, form, implicit?], ...]].
function abbrevs(list) {
  const b = new Bytes();
  for (const [code, tag, children, attrs] of list) {
    b.uleb(code).uleb(tag).u8(children ? 1 : 0);
    for (const [at, form, implicit] of attrs) {
      b.uleb(at).uleb(form);
      if (form === F.implicit_const) b.sleb(implicit);
    }
    b.uleb(0).uleb(0);
  }
  return b.uleb(0).buffer();
}

function syntheticDwarf({ version = 5, unknownForm = false } = {}) {
  const strs = ['syn.c', 'int', 'syn', 'a', 'v'];
  const str = new Bytes();
  const strOffsets = new Bytes().u32(4 + 4 * strs.length).u16(5).u16(0);
  for (const s of strs) {
    strOffsets.u32(str.length);
    str.str(s);
  }
  const addr = new Bytes().u32(4 + 8).u16(5).u8(8).u8(0).u64(0x1234n);
  const abbrev = abbrevs([
    [1, TAG.cu, true, [[AT.name, F.strx1], [AT.str_off, F.sec_offset], [AT.addr_base, F.sec_offset]]],
    [2, TAG.base, false, [[AT.name, F.strx2], [AT.byte_size, F.data1], [AT.encoding, F.implicit_const, 5]]],
    [3, TAG.struct, true, [[AT.name, F.strx3], [AT.byte_size, F.udata], [0x2001, unknownForm ? 0x7f : F.data16], [0x2002, F.block1], [0x2003, F.block2], [0x2004, F.block4]]],
    [4, TAG.member, false, [[AT.name, F.strx4], [AT.type, F.ref4], [AT.dml, F.data2]]],
    [5, TAG.member, false, [[AT.name, F.string], [AT.type, F.ref_udata], [AT.dml, F.indirect]]],
    [6, TAG.variable, false, [[AT.name, F.strx], [AT.type, F.ref4], [AT.loc, F.exprloc]]],
    [7, TAG.variable, false, [[AT.name, F.string], [AT.type, F.ref4], [AT.loc, F.exprloc]]],
    [8, TAG.typedef, false, [[AT.name, F.string], [AT.type, F.ref4]]],
    [9, TAG.variable, false, [[AT.name, F.string], [AT.type, F.ref_sig8]]],
    [10, TAG.struct, false, [[AT.name, F.string], [AT.decl, F.flag_present]]],
    [11, TAG.pointer, false, [[AT.type, F.ref_addr]]],
  ]);
  const die = new Bytes();
  const at = {};
  const patches = [];
  const ref4 = (label) => {
    patches.push([die.length, label]);
    die.u32(0);
  };
  const HDR = 12; // unit_length .. abbrev_offset in DWARF 5, 32-bit
  const mark = (label) => (at[label] = HDR + die.length);
  die.uleb(1).u8(0).u32(8).u32(8);
  mark('int');
  die.uleb(2).u16(1).u8(4);
  mark('struct');
  die.uleb(3).u24(2).uleb(16).raw(Buffer.alloc(16, 0xee)).u8(3).raw([1, 2, 3]).u16(2).raw([4, 5]).u32(1).u8(6);
  die.uleb(4).u32(3);
  ref4('int');
  die.u16(0);
  die.uleb(5).str('b').uleb(0); // ref_udata patched below
  const bRef = die.length - 1;
  die.uleb(F.udata).uleb(8); // indirect: the form, then the value
  die.u8(0);
  mark('v');
  die.uleb(6).uleb(4);
  ref4('struct');
  die.uleb(2).u8(0xa1).u8(0); // DW_OP_addrx 0
  die.uleb(7).str('w');
  ref4('int');
  die.uleb(9).u8(0x03).u64(0xdeadbeefn); // DW_OP_addr
  mark('loop_a');
  die.uleb(8).str('loop_a');
  ref4('loop_b');
  mark('loop_b');
  die.uleb(8).str('loop_b');
  ref4('loop_a');
  die.uleb(9).str('badsig').u64(0x1122334455667788n);
  mark('decl');
  die.uleb(10).str('syn');
  mark('ptr');
  die.uleb(11);
  ref4('decl'); // ref_addr: an offset in .debug_info (the unit starts at 0)
  die.u8(0);
  const body = die.buffer();
  for (const [pos, label] of patches) body.writeUInt32LE(at[label], pos);
  body[bRef] = at.int; // ref_udata, one byte (the unit is small)
  const header = new Bytes().u32(8 + body.length).u16(version).u8(1).u8(8).u32(0).buffer();
  const info = Buffer.concat([header, body]);
  return {
    at,
    file: elf64([
      { name: '.debug_info', data: info },
      { name: '.debug_abbrev', data: abbrev },
      { name: '.debug_str', data: str.buffer() },
      { name: '.debug_str_offsets', data: strOffsets.buffer() },
      { name: '.debug_addr', data: addr.buffer() },
    ]),
  };
}

function writeTemp(name, buf) {
  const p = path.join(cb.scratchDir('synthetic'), name);
  fs.writeFileSync(p, buf);
  return p;
}

test('hand-made DWARF 5: strx1-4, implicit_const, data16, blocks, indirect, addrx, ref_addr', () => {
  const { at, file } = syntheticDwarf();
  const d = new NativeDwarf(writeTemp('syn.elf', file));
  const id = d.findType('struct', 'syn');
  assert.equal(id, at.struct, 'the definition wins over the later declaration');
  const t = d.typeInfo(id);
  assert.equal(t.size, 16);
  assert.deepEqual(t.members.map((m) => [m.name, m.typeId, m.offset]), [['a', at.int, 0], ['b', at.int, 8]]);
  assert.deepEqual(d.typeInfo(at.int), { id: at.int, kind: 'base', name: 'int', size: 4, encoding: 5 });
  assert.deepEqual(d.findVariable('v'), { id: at.v, typeId: at.struct, address: 0x1234n, declaration: false, external: false });
  assert.equal(d.findVariable('w').address, 0xdeadbeefn);
  // The declaration resolves to the definition; the pointer's ref_addr target is the declaration.
  assert.equal(d.typeInfo(at.ptr).target, at.decl);
  assert.equal(d.typeInfo(at.decl).id, at.struct);
  // A typedef cycle is refused, not followed forever.
  assert.throws(() => d.typeInfo(at.loop_a), isKvm('BAD_FORMAT', /nests more than 64 levels/));
  assert.throws(() => d.findVariable('badsig'), isKvm('BAD_FORMAT', /signature 0x1122334455667788/));
  d.close();
});

test('hand-made DWARF: unknown forms and versions are refused with the offset', () => {
  const bad = syntheticDwarf({ unknownForm: true });
  assert.throws(() => new NativeDwarf(writeTemp('badform.elf', bad.file)), isKvm('BAD_FORMAT', /unknown form 0x7f/));
  const v6 = syntheticDwarf({ version: 6 });
  assert.throws(() => new NativeDwarf(writeTemp('v6.elf', v6.file)), isKvm('UNSUPPORTED', /DWARF version 6/));
});

// ---- corrupt gcc output --------------------------------------------------------------------------

function corruptCopy(exe, name, mutate) {
  const buf = Buffer.from(fs.readFileSync(exe));
  mutate(buf);
  return writeTemp(name, buf);
}

test('corrupt unit headers, abbreviations and compressed sections give KvmError', { skip }, () => {
  const exe = corpus();
  const [info] = findSection(fs.readFileSync(exe), '.debug_info');
  const [abbrev, abbrevSize] = findSection(fs.readFileSync(exe), '.debug_abbrev');
  const huge = corruptCopy(exe, 'huge-len', (b) => b.writeUInt32LE(0x7ffffff0, info));
  assert.throws(() => new NativeDwarf(huge), isKvm('BAD_FORMAT', /unit length 0x7ffffff0 runs past end of section/));
  const reserved = corruptCopy(exe, 'reserved-len', (b) => b.writeUInt32LE(0xfffffff4, info));
  assert.throws(() => new NativeDwarf(reserved), isKvm('BAD_FORMAT', /reserved length/));
  const ver = corruptCopy(exe, 'version', (b) => b.writeUInt16LE(1, info + 4));
  assert.throws(() => new NativeDwarf(ver), isKvm('UNSUPPORTED', /DWARF version 1/));
  const abbrOff = corruptCopy(exe, 'abbrev-off', (b) => b.writeUInt32LE(abbrevSize + 100, info + 8));
  assert.throws(() => new NativeDwarf(abbrOff), isKvm('BAD_FORMAT', /abbreviation offset/));
  const noAbbrev = corruptCopy(exe, 'abbrev-zero', (b) => b.fill(0, abbrev, abbrev + abbrevSize));
  assert.throws(() => new NativeDwarf(noAbbrev), isKvm('BAD_FORMAT'));

  const gz = corpus(['-gdwarf-5', '-gz=zlib']);
  const [zinfo, zsize] = findSection(fs.readFileSync(gz), '.debug_info');
  const badSize = corruptCopy(gz, 'gz-size', (b) => b.writeBigUInt64LE(1n << 40n, zinfo + 8));
  assert.throws(() => new NativeDwarf(badSize), isKvm('BAD_FORMAT', /implausible/));
  const zstd = corruptCopy(gz, 'gz-zstd', (b) => b.writeUInt32LE(2, zinfo));
  assert.throws(() => new NativeDwarf(zstd), isKvm('UNSUPPORTED', /zstd/));
  const badStream = corruptCopy(gz, 'gz-stream', (b) => b.fill(0xff, zinfo + 30, zinfo + Math.min(zsize, 60)));
  assert.throws(() => new NativeDwarf(badStream), isKvm('BAD_FORMAT', /\.debug_info/));
});

test('random byte flips in .debug_info and .debug_abbrev never crash', { skip }, () => {
  const exe = corpus(['-gdwarf-4']);
  const clean = fs.readFileSync(exe);
  const [info, infoSize] = findSection(clean, '.debug_info');
  const [abbrev, abbrevSize] = findSection(clean, '.debug_abbrev');
  let x = 12345;
  const rnd = (n) => {
    x = (x * 1103515245 + 12345) >>> 0;
    return x % n;
  };
  const dir = cb.scratchDir('flips');
  let refused = 0;
  for (let i = 0; i < 150; i++) {
    const buf = Buffer.from(clean);
    for (let k = 0; k < 1 + rnd(6); k++) {
      const [base, size] = rnd(3) === 0 ? [abbrev, abbrevSize] : [info, infoSize];
      buf[base + rnd(size)] = rnd(256);
    }
    const p = path.join(dir, `flip${i}`);
    fs.writeFileSync(p, buf);
    try {
      const d = new NativeDwarf(p);
      for (const [kind, name] of [['struct', 'everything'], ['struct', 'bits'], ['union', 'outer_u'], ['enum', 'sign'], ['typedef', 'cvi_t']]) {
        const id = d.findType(kind, name);
        if (id === undefined) continue;
        const t = d.typeInfo(id);
        for (const m of t.members ?? []) if (m.typeId !== undefined) d.typeInfo(m.typeId);
        if (t.target !== undefined) d.typeInfo(t.target);
      }
      d.findVariable('ev');
      d.close();
    } catch (e) {
      assert.ok(e instanceof KvmError, `flip ${i}: ${e && e.stack}`);
      refused++;
    }
    fs.rmSync(p);
  }
  assert.ok(refused > 0, 'some corruptions are detected');
});
