/**
 * counter(9) (sys/sys/counter.h, sys/<arch>/include/counter.h): a counter_u64_t is a handle to a
 * per-CPU UMA allocation whose CPU n copy is a page further per CPU. Its value is the sum of the
 * copies of the present CPUs. How a handle becomes an address depends on the release:
 *  - amd64 with a `__pcpu` pointer (FreeBSD 13 and later): slot = __pcpu + handle + 4096 * cpu
 *    (handles are offsets from the struct pcpu array; sizeof(struct pcpu) is one page);
 *  - amd64 with a `__pcpu[MAXCPU]` array (older): slot = handle + sizeof(struct pcpu) * cpu
 *    (handles are CPU 0's absolute address);
 *  - other architectures: slot = handle + PAGE_SIZE * cpu.
 * The form is told from the kernel itself: the size of the `__pcpu` symbol.
 */
import { KvmError, hex } from '../errors';
import type { Kvm } from '../kvm';
import { presentCpus, type Cpu } from './pcpu';

export type CounterEncodingKind = 'pcpu-offset' | 'absolute';

export interface CounterEncoding {
  kind: CounterEncodingKind;
  /** added to every handle (the __pcpu pointer's value for 'pcpu-offset', else 0) */
  base: bigint;
  /** distance between consecutive CPUs' copies */
  stride: bigint;
  /** present CPUs whose copies are summed */
  cpus: Cpu[];
  /** for messages: where the rule came from */
  description: string;
}

const PAGE = 4096n;

export function counterEncoding(kd: Kvm): CounterEncoding {
  const cpus = presentCpus(kd);
  const pcpu = kd.lookupPlain('__pcpu');
  if (kd.info.arch === 'amd64') {
    if (!pcpu) throw new KvmError('NO_SYMBOL', 'amd64 kernel without __pcpu: cannot locate counter(9) copies', { name: '__pcpu' });
    if (pcpu.size === BigInt(kd.info.pointerSize)) {
      return { kind: 'pcpu-offset', base: kd.readPointer(pcpu.value), stride: PAGE, cpus,
        description: '__pcpu pointer: slot = __pcpu + handle + 4096 * cpu' };
    }
    const maxCpus = BigInt(kd.readS32(kd.symbol('mp_maxcpus').value));
    const stride = maxCpus > 0n && pcpu.size % maxCpus === 0n ? pcpu.size / maxCpus : PAGE;
    return { kind: 'absolute', base: 0n, stride, cpus,
      description: `__pcpu[${maxCpus}] array: slot = handle + ${stride} * cpu` };
  }
  return { kind: 'absolute', base: 0n, stride: PAGE, cpus, description: 'slot = handle + PAGE_SIZE * cpu' };
}

/** Per-CPU slot offsets to add to a handle, in the order of enc.cpus. */
export function slotOffsets(enc: CounterEncoding): BigUint64Array {
  const mask = (1n << 64n) - 1n;
  return BigUint64Array.from(enc.cpus.map((c) => (enc.base + enc.stride * BigInt(c.id)) & mask));
}

/**
 * Sums of many counters at once (one native pass). A NULL handle (an array not yet allocated,
 * such as the reference copy in set_vnet) sums to 0. Throws FAULT for the first unreadable slot.
 */
export function sumCounters(kd: Kvm, handles: BigUint64Array, enc: CounterEncoding = counterEncoding(kd)): BigUint64Array {
  const offsets = slotOffsets(enc);
  const out = new BigUint64Array(handles.length);
  const faults = new Uint32Array(handles.length);
  const missed = kd.native.sumGather(handles, offsets, out, faults);
  // Test handles for NULL through 32-bit halves: reading a BigUint64Array element allocates.
  const halves = new Uint32Array(handles.buffer, handles.byteOffset, handles.length * 2);
  for (let i = 0; i < handles.length; i++) {
    if (halves[2 * i] === 0 && halves[2 * i + 1] === 0) {
      out[i] = 0n;
      continue;
    }
    if (missed && faults[i]) {
      // Find the first unreadable slot for the message.
      for (const off of offsets) {
        const a = (handles[i] + off) & ((1n << 64n) - 1n);
        try {
          kd.readU64(a);
        } catch (e) {
          throw new KvmError('FAULT', `counter handle ${hex(handles[i])}: per-CPU slot ${hex(a)} is not in the image`, { address: a });
        }
      }
    }
  }
  return out;
}

/** The value of one counter_u64_t handle. */
export function counterValue(kd: Kvm, handle: bigint, enc?: CounterEncoding): bigint {
  return sumCounters(kd, BigUint64Array.of(handle), enc)[0]!;
}

/** One counter's per-CPU values. */
export function counterPerCpu(kd: Kvm, handle: bigint, enc: CounterEncoding = counterEncoding(kd)): { cpu: number; value: bigint }[] {
  if (handle === 0n) return enc.cpus.map((c) => ({ cpu: c.id, value: 0n }));
  const offs = slotOffsets(enc);
  return enc.cpus.map((c, i) => ({ cpu: c.id, value: kd.readU64((handle + offs[i]!) & ((1n << 64n) - 1n)) }));
}
