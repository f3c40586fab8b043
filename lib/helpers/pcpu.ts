/**
 * CPUs and their dynamic per-CPU data (sys/sys/pcpu.h, sys/kern/subr_pcpu.c, subr_smp.c):
 * `mp_maxcpus` (= MAXCPU), `mp_ncpus`, `mp_maxid`, `dpcpu_off[MAXCPU]` and
 * `cpuid_to_pcpu[MAXCPU]`. A CPU is present when its dpcpu_off or cpuid_to_pcpu entry is set
 * (pcpu_destroy clears both), so sparse CPU ids come out right.
 */
import { KvmError } from '../errors';
import type { Kvm } from '../kvm';

/** No kernel has more CPU slots than this; a larger mp_maxcpus is corrupt data. */
export const MAX_CPU_SLOTS = 1 << 16;

export interface CpuGlobals {
  /** mp_maxcpus (MAXCPU): slots in dpcpu_off and cpuid_to_pcpu */
  maxCpus: number;
  /** mp_ncpus, or null when the kernel has none */
  ncpus: number | null;
  /** mp_maxid, or null */
  maxId: number | null;
}

export interface Cpu {
  id: number;
  /** dpcpu_off[id]: added to a pcpu_entry_ symbol to reach this CPU's copy */
  dpcpuOff: bigint;
  /** cpuid_to_pcpu[id] (struct pcpu *), or null when the kernel has no such array */
  pcpu: bigint | null;
}

function readInt(kd: Kvm, name: string): number | null {
  const s = kd.lookupPlain(name);
  return s ? kd.readS32(s.value) : null;
}

export function cpuGlobals(kd: Kvm): CpuGlobals {
  const maxCpus = readInt(kd, 'mp_maxcpus');
  if (maxCpus === null) throw new KvmError('NO_CPU', 'the kernel has no mp_maxcpus symbol', { name: 'mp_maxcpus' });
  if (maxCpus <= 0 || maxCpus > MAX_CPU_SLOTS) {
    throw new KvmError('CORRUPT', `mp_maxcpus is ${maxCpus}; expected 1..${MAX_CPU_SLOTS}`, { name: 'mp_maxcpus' });
  }
  return { maxCpus, ncpus: readInt(kd, 'mp_ncpus'), maxId: readInt(kd, 'mp_maxid') };
}

/** Every present CPU, in id order. */
export function presentCpus(kd: Kvm): Cpu[] {
  const { maxCpus } = cpuGlobals(kd);
  const off = kd.lookupPlain('dpcpu_off');
  const map = kd.lookupPlain('cpuid_to_pcpu');
  if (!off && !map) throw new KvmError('NO_CPU', 'the kernel has neither dpcpu_off nor cpuid_to_pcpu', { name: 'dpcpu_off' });
  const width = kd.info.pointerSize;
  const offs = off ? kd.native.readArray(off.value, maxCpus, width) : null;
  const pcpus = map ? kd.native.readArray(map.value, maxCpus, width) : null;
  const cpus: Cpu[] = [];
  for (let i = 0; i < maxCpus; i++) {
    const o = offs ? offs[i] : 0n;
    const p = pcpus ? pcpus[i] : 0n;
    if (o === 0n && p === 0n) continue;
    cpus.push({ id: i, dpcpuOff: o, pcpu: pcpus ? p : null });
  }
  return cpus;
}

/** The present CPU `id`; throws NO_CPU naming the valid range otherwise. */
export function cpuById(kd: Kvm, id: number, cpus: Cpu[] = presentCpus(kd)): Cpu {
  if (!Number.isInteger(id) || id < 0) throw new RangeError(`CPU id must be a non-negative integer, got ${id}`);
  const c = cpus.find((x) => x.id === id);
  if (!c) {
    throw new KvmError('NO_CPU', `CPU ${id} is not present (present: ${cpus.map((x) => x.id).join(', ') || 'none'})`);
  }
  return c;
}
