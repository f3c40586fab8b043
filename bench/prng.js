'use strict';
// xorshift64, the same generator as raw-baseline.c, so JS and C read the same offsets.
function xorshift(seed = 0x9e3779b97f4a7c15n) {
  let s = seed;
  const M = (1n << 64n) - 1n;
  return () => {
    s ^= (s << 13n) & M;
    s ^= s >> 7n;
    s ^= (s << 17n) & M;
    return s;
  };
}
/** n offsets in [0, len - 8), 8-aligned, as a Float64Array of numbers (fast to use in loops). */
function offsets(n, len) {
  const next = xorshift();
  const out = new Float64Array(n);
  const span = BigInt(len - 8);
  for (let i = 0; i < n; i++) out[i] = Number((next() % span) & ~7n);
  return out;
}
module.exports = { xorshift, offsets };
