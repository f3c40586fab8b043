'use strict';
// Typed printing has bounds that hold whatever the debug file says: arrays read only a bounded
// prefix (a 1 GiB char array costs ~200 bytes of reads), nested arrays stop at maxLength
// characters, depth and element options are validated, and huge arrays print in bounded time.
const test = require('node:test');
const assert = require('node:assert/strict');

const { Kvm } = require('..');
const { KObject } = require('../dist/types/object.js');
const { FORMAT_DEFAULT_MAX_LENGTH } = require('../dist/types/format.js');
const { compile, tools } = require('./helpers/cbuild');

const skip = tools.gcc ? false : 'gcc not installed';
let kd;

test.before(() => {
  if (skip) return;
  kd = Kvm.open({ kernel: compile(['types_a.c', 'types_b.c'], ['-g', '-O0'], 'readonly') });
});
test.after(() => kd?.close());

/** An object of `type` at 0x1000 over memory whose byte at address a is (a * 7 + (a >> 8)) & 0xff, counting reads. */
function patterned(type) {
  const host = {
    registry: kd.types.registry,
    littleEndian: true,
    pointerSize: 8,
    bytesRead: 0,
    read(addr, len) {
      if (len > 1 << 24) throw new RangeError(`read of ${len} bytes`);
      host.bytesRead += len;
      const b = Buffer.alloc(len);
      for (let i = 0; i < len; i++) {
        const a = addr + BigInt(i);
        b[i] = Number((a * 7n + (a >> 8n)) & 0xffn) || 1;
      }
      return b;
    },
    readCString: () => '',
    symbolize: () => null,
  };
  return { host, obj: new KObject(host, kd.type(type), 0x1000n, null) };
}

test('a 1 GiB char array prints its first 200 characters after reading 201 bytes', { skip, timeout: 20_000 }, () => {
  const { host, obj } = patterned('char [1073741824]');
  const text = obj.format();
  assert.equal(host.bytesRead, 201);
  assert.ok(text.endsWith('...'), text.slice(-20));
  assert.ok(text.length < 1200, `${text.length} characters`);
});

test('a 100000-element struct array reads a bounded prefix and shows arrayLimit elements', { skip, timeout: 20_000 }, () => {
  const { host, obj } = patterned('struct list [100000]');
  const text = obj.format({ arrayLimit: 5 });
  assert.ok(host.bytesRead <= (1 << 20) + 4096, `${host.bytesRead} bytes read`);
  assert.equal(text.match(/\{first = /g).length, 5);
  assert.ok(text.endsWith('...}'));
});

test('nested arrays stop at maxLength characters of output', { skip, timeout: 20_000 }, () => {
  const { obj } = patterned('short [1000][1000]');
  const full = obj.format();
  assert.ok(full.length <= FORMAT_DEFAULT_MAX_LENGTH + 64, `${full.length}`);
  const short = obj.format({ maxLength: 1000 });
  assert.ok(short.length < 1000 + 200, `${short.length} characters`);
  assert.ok(short.length < full.length);
  assert.match(short, /\.\.\./);
  // 200 x 200 shown elements would be ~240 KB; the default bound lets that through unchanged.
  assert.equal(obj.format({ arrayLimit: 3 }).split('{').length - 1, 1 + 3);
});

test('depth limits nesting; bad option values are RangeErrors', { skip }, () => {
  const { obj } = patterned('struct list');
  assert.match(obj.format({ depth: 0 }), /^\{\.\.\.\}$/);
  assert.match(obj.format({ depth: 1 }), /nodes = \{\.\.\.\}/);
  for (const bad of [{ depth: Infinity }, { depth: -1 }, { depth: 1.5 }, { arrayLimit: Number.MAX_SAFE_INTEGER }, { maxLength: 0 }, { repeatThreshold: 0 }]) {
    assert.throws(() => obj.format(bad), RangeError, JSON.stringify(bad));
  }
});
