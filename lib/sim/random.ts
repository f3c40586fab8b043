/**
 * Seeded randomness for the simulator: every random value of a build derives from the scenario's
 * seed, so the same scenario and seed give byte-identical images.
 */
export class Random {
  #s: number;

  constructor(seed: number) {
    this.#s = (seed >>> 0) ^ 0x9e3779b9;
    for (let i = 0; i < 4; i++) this.u32();
  }

  /** mulberry32: a fast 32-bit generator, good enough for test data. */
  u32(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 0x100000000) * n);
  }

  /** bigint in [0, n) for n up to 2^64. */
  big(n: bigint): bigint {
    if (n <= 0n) return 0n;
    const v = (BigInt(this.u32()) << 32n) | BigInt(this.u32());
    return v % n;
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.u32() / 0x100000000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** A new generator whose sequence depends on this one's seed and `label` only. */
  fork(label: string): Random {
    let h = this.#s ^ 0x85ebca6b;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x9e3779b1) >>> 0;
    return new Random(h);
  }
}
