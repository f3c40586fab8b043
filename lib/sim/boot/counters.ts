/**
 * counter(9) in the simulated kernel: per-CPU UMA slabs (one page per CPU, mp_maxid + 1 pages at
 * consecutive kernel addresses, 8-byte items), handles in the release's encoding, and per-CPU
 * values that sum to what the scenario asked for.
 */
import type { Random } from '../random';
import type { SimMemory } from '../memory';

const PAGE = 4096n;
const ITEMS_PER_SLAB = 512n;

export type HandleEncoding = 'pcpu-offset' | 'absolute';

export class CounterAllocator {
  readonly #m: SimMemory;
  readonly #pages: bigint; // pages per slab = mp_maxid + 1
  readonly #encoding: HandleEncoding;
  readonly #pcpuBase: bigint; // value of the __pcpu pointer ('pcpu-offset')
  readonly #cpus: number[];
  #slabVa = 0n;
  #slabPa = 0n;
  #next = ITEMS_PER_SLAB;
  #count = 0;

  constructor(m: SimMemory, cpus: number[], encoding: HandleEncoding, pcpuBase: bigint) {
    this.#m = m;
    this.#cpus = cpus;
    this.#pages = BigInt(Math.max(...cpus) + 1);
    this.#encoding = encoding;
    this.#pcpuBase = pcpuBase;
  }

  get count(): number {
    return this.#count;
  }

  /** A new counter (all CPU slots zero); returns [handle, item address]. */
  alloc(): { handle: bigint; item: bigint; itemPa: bigint } {
    if (this.#next === ITEMS_PER_SLAB) {
      this.#slabVa = this.#m.kmemAlloc(this.#pages * PAGE);
      this.#slabPa = this.#m.pa(this.#slabVa);
      this.#next = 0n;
    }
    const item = this.#slabVa + this.#next * 8n;
    const itemPa = this.#slabPa + this.#next * 8n;
    this.#next++;
    this.#count++;
    const handle = this.#encoding === 'pcpu-offset' ? BigInt.asUintN(64, item - this.#pcpuBase) : item;
    return { handle, item, itemPa };
  }

  /**
   * Spreads `total` over `cpus` (a subset of the present CPUs, so untouched slab pages stay sparse):
   * per-CPU values that sum to total modulo 2^64.
   */
  setValue(itemPa: bigint, total: bigint, rng: Random, cpus: number[]): void {
    if (total === 0n) return;
    let left = total;
    for (let i = 0; i < cpus.length; i++) {
      const last = i === cpus.length - 1;
      const part = last ? left : (left === 0n ? 0n : rng.big(left + 1n));
      left -= part;
      this.#m.addU64Phys(itemPa + BigInt(cpus[i]!) * PAGE, part);
    }
  }

  /** The CPUs a group of counters (one vnet's, one interface's) spreads over. */
  cpuSubset(rng: Random, max = 4): number[] {
    if (this.#cpus.length <= max) return this.#cpus.slice();
    const start = rng.int(this.#cpus.length);
    return Array.from({ length: max }, (_, i) => this.#cpus[(start + i) % this.#cpus.length]!);
  }
}
