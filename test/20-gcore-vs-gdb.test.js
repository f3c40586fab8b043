'use strict';
// Oracle test on a real process core: everything we read must equal what gdb reads from the same
// core (gcc -g -no-pie program, core by gdb's gcore).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { Kvm, KvmError, N_TEXT, N_DATA, N_BSS, N_EXT } = require('..');
const { gcoreFixture, gdb, have } = require('./helpers/gcore');

const skip = !have('gdb') || !have('gcc') ? 'gdb and gcc are needed for the gcore fixture' : false;

test('reads of a gcore core match gdb', { skip }, async (t) => {
  const source = fs.readFileSync(path.join(__dirname, 'fixtures', 'globals.c'), 'utf8');
  const fx = gcoreFixture('globals', source);
  const kd = Kvm.open({ kernel: fx.program, core: fx.core });
  t.after(() => kd.close());

  const scalars = ['g_u8', 'g_u16', 'g_u32', 'g_u64', 'g_s8', 'g_s16', 'g_s32', 'g_s64'];
  const pointers = ['g_list', 'g_heap_block', 'g_mapped', 'g_strptr', 'g_self'];
  const addrOf = (n) => `printf "@%lu\\n", (unsigned long)&${n}`;
  const cmds = [
    ...scalars.map(addrOf),
    ...scalars.map((n) => `printf "@%lld\\n", (long long)${n}`),
    ...pointers.map((n) => `printf "@%lu\\n", (unsigned long)${n}`),
    addrOf('g_string'),
    addrOf('g_array'),
    addrOf('g_big_bss'),
    addrOf('g_local_static'),
    'printf "@%d\\n", g_local_static',
  ];
  // Walk the heap list in gdb: node addresses and ids.
  let expr = 'g_list';
  for (let i = 0; i < 16; i++) {
    cmds.push(`printf "@%lu %u\\n", (unsigned long)${expr}, ${expr}->id`);
    expr += '->next';
  }
  const out = gdb(fx.program, fx.core, cmds).split('\n').filter((l) => l.startsWith('@')).map((l) => l.slice(1));
  const next = () => out.shift();
  const addr = {};
  for (const n of scalars) addr[n] = BigInt(next());
  const values = {};
  for (const n of scalars) values[n] = BigInt(next());
  const ptr = {};
  for (const n of pointers) ptr[n] = BigInt(next());
  addr.g_string = BigInt(next());
  addr.g_array = BigInt(next());
  addr.g_big_bss = BigInt(next());
  addr.g_local_static = BigInt(next());
  const localStatic = Number(next());
  const nodes = [];
  for (let i = 0; i < 16; i++) {
    const [a, id] = next().split(' ');
    nodes.push({ addr: BigInt(a), id: Number(id) });
  }

  await t.test('symbol addresses equal gdb\'s', () => {
    for (const n of [...scalars, 'g_string', 'g_array', 'g_big_bss', 'g_local_static']) {
      assert.equal(kd.symbol(n).value, addr[n], n);
    }
  });

  await t.test('typed reads equal gdb\'s values', () => {
    assert.equal(BigInt(kd.readU8(addr.g_u8)), values.g_u8);
    assert.equal(BigInt(kd.readU16(addr.g_u16)), values.g_u16);
    assert.equal(BigInt(kd.readU32(addr.g_u32)), values.g_u32);
    assert.equal(kd.readU64(addr.g_u64), BigInt.asUintN(64, values.g_u64));
    assert.equal(BigInt(kd.readS8(addr.g_s8)), values.g_s8);
    assert.equal(BigInt(kd.readS16(addr.g_s16)), values.g_s16);
    assert.equal(BigInt(kd.readS32(addr.g_s32)), values.g_s32);
    assert.equal(kd.readS64(addr.g_s64), values.g_s64);
    assert.equal(kd.readS32(addr.g_local_static), localStatic);
    for (const n of pointers) assert.equal(kd.readPointer(kd.symbol(n).value), ptr[n], n);
    assert.equal(kd.readPointer(ptr.g_self), ptr.g_self, 'g_self points at itself');
  });

  await t.test('strings', () => {
    assert.equal(kd.readCString(addr.g_string), 'the quick brown fox');
    assert.equal(kd.readCString(addr.g_string, 9), 'the quick');
  });

  await t.test('the heap list walked through our reads matches gdb\'s walk', () => {
    let p = kd.readPointer(kd.symbol('g_list').value);
    for (const node of nodes) {
      assert.equal(p, node.addr);
      assert.equal(kd.readU32(p + 8n), node.id);
      assert.equal(kd.readCString(p + 12n, 12), `node-${String.fromCharCode(97 + node.id - 1000)}`);
      p = kd.readPointer(p);
    }
    assert.equal(p, 0n, 'list ends in NULL');
  });

  // Byte-exact comparison of whole regions via gdb's `dump binary memory`.
  await t.test('region bytes equal gdb\'s dump binary memory', () => {
    const regions = [
      ['heap', ptr.g_heap_block, 1 << 20],
      ['mapped', ptr.g_mapped, 16 * 4096],
      ['array', addr.g_array, 64 * 4],
      ['bss', addr.g_big_bss, 65536 * 8],
    ];
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'libkvm-dump-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const dumpCmds = regions.map(([name, a, n]) => `dump binary memory ${path.join(dir, name)} ${a} ${a + BigInt(n)}`);
    gdb(fx.program, fx.core, dumpCmds);
    for (const [name, a, n] of regions) {
      const want = fs.readFileSync(path.join(dir, name));
      assert.equal(want.length, n, `gdb dumped ${name}`);
      assert.ok(kd.read(a, n).equals(want), `${name} bytes`);
    }
    const heap = fs.readFileSync(path.join(dir, 'heap'));
    // Spot-check the generator's pattern so the comparison cannot pass on two empty reads.
    assert.equal(heap[5000], (5000 * 7 + (5000 >> 12)) & 0xff);
    // readMany over random heap offsets equals the dumped bytes.
    const offsets = Array.from({ length: 2000 }, (_, i) => (i * 524287) % ((1 << 20) - 8));
    const addrs = BigUint64Array.from(offsets.map((o) => ptr.g_heap_block + BigInt(o)));
    const many = kd.readMany(addrs, 8);
    offsets.forEach((o, i) => assert.ok(many.subarray(i * 8, i * 8 + 8).equals(heap.subarray(o, o + 8))));
  });

  await t.test('symbolize agrees with gdb\'s info symbol', () => {
    const probes = [addr.g_array + 12n, addr.g_u32, addr.g_big_bss + 4096n];
    const lines = gdb(fx.program, fx.core, probes.map((a) => `info symbol ${a}`)).split('\n').filter((l) => / in section /.test(l));
    probes.forEach((a, i) => {
      // gdb: "g_array + 12 in section .bss" or "g_u32 in section .data"
      const m = /^(\S+)(?: \+ (\d+))? in section/.exec(lines[i]);
      assert.ok(m, lines[i]);
      const s = kd.symbolize(a);
      assert.equal(s.name, m[1]);
      assert.equal(s.offset, BigInt(m[2] || 0));
    });
  });

  await t.test('nlist types follow libc nlist', () => {
    const [u8, bss, main, local, under, missing] = kd.nlist(['g_u8', 'g_big_bss', 'main', 'g_local_static', '_g_u8', 'no_such']);
    assert.equal(u8.type, N_DATA | N_EXT);
    assert.equal(bss.type, N_BSS | N_EXT);
    assert.equal(main.type, N_TEXT | N_EXT);
    assert.equal(local.type, N_DATA);
    assert.equal(under.value, u8.value, 'one leading underscore is dropped');
    assert.equal(under.symbol, 'g_u8');
    assert.equal(missing.found, false);
    assert.equal(missing.value, 0n);
  });

  await t.test('unmapped addresses fault with the first unreadable address', () => {
    assert.throws(() => kd.read(0x1000n, 16), (e) => e instanceof KvmError && e.code === 'FAULT' && e.address === 0x1000n);
    // A read that starts in the mapped region and runs past its end names the first byte after it.
    const end = ptr.g_mapped + 16n * 4096n;
    const probe = gdb(fx.program, fx.core, [`x/1xb ${end}`]);
    if (/Cannot access memory/.test(probe) || probe.trim() === '') {
      assert.throws(() => kd.read(end - 8n, 16), (e) => e.code === 'FAULT' && e.address === end);
    }
  });
});
