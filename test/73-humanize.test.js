'use strict';
// humanize_number(3) as netstat -h calls it: 5-byte buffer, HN_AUTOSCALE, HN_NOSPACE |
// HN_DECIMAL, HN_DIVISOR_1000 for counts. Expected values worked by hand from libutil's rules.
const test = require('node:test');
const assert = require('node:assert/strict');
const { humanizeNumber } = require('../dist/netstat');

const k = (v) => humanizeNumber(BigInt(v), { divisor1000: true });
const K = (v) => humanizeNumber(BigInt(v), { divisor1000: false });

test('values below 1000 print unchanged', () => {
  assert.equal(k(0), '0');
  assert.equal(k(7), '7');
  assert.equal(k(999), '999');
  assert.equal(K(999), '999');
});

test('divisor 1000: first scale keeps one decimal below 9.5', () => {
  assert.equal(k(1000), '1.0k');
  assert.equal(k(1023), '1.0k');
  assert.equal(k(1024), '1.0k');
  assert.equal(k(1212), '1.2k');
  assert.equal(k(1249), '1.2k');
  assert.equal(k(1250), '1.3k'); // (2500 + 500) / 1000 = 3: rounds half up
  assert.equal(k(9500), '9.5k');
  assert.equal(k(9949), '9.9k');
  assert.equal(k(9950), '10k'); // remainder 950 reaches the 9.5 cut: integer form, rounded
  assert.equal(k(9999), '10k');
  assert.equal(k(10499), '10k');
  assert.equal(k(10500), '11k');
  assert.equal(k(982310), '982k');
});

test('divisor 1000: a quotient of 999 that would round to 1000 scales once more', () => {
  assert.equal(k(999499), '999k');
  assert.equal(k(999500), '1.0M');
  assert.equal(k(999999), '1.0M');
  assert.equal(k(1523456), '1.5M');
});

test('divisor 1024: capital K and the 973/1024 decimal cut', () => {
  assert.equal(K(1000), '1.0K'); // 1000 >= 1000 scales: 0 rem 1000 -> 1.0
  assert.equal(K(1023), '1.0K');
  assert.equal(K(1024), '1.0K');
  assert.equal(K(1500), '1.5K');
  assert.equal(K(9 * 1024 + 972), '9.9K');
  assert.equal(K(9 * 1024 + 973), '10K');
  assert.equal(K(16384), '16K');
  assert.equal(K(1048576), '1.0M');
});

test('large values: E is the last prefix, int64 view of a uint64 counter', () => {
  assert.equal(k((1n << 63n) - 1n), '9.2E');
  assert.equal(K((1n << 63n) - 1n), '8.0E');
  // netstat passes the u_long counter as int64_t: 2^64 - 1 is -1.
  assert.equal(k((1n << 64n) - 1n), '-1');
  // a negative value gets a 100-wide field and is cut to 4 characters by the 5-byte buffer
  assert.equal(k((1n << 64n) - 1000n), '-1.0');
  assert.equal(k(1n << 63n), '-922');
});
