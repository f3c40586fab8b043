/**
 * CPUs as the kernel sets them up: a struct pcpu per present CPU (in the __pcpu pages or the
 * __pcpu[] array), its DPCPU block (a copy of set_pcpu; the boot CPU's right after the kernel
 * image, the others from kernel memory), dpcpu_off[], cpuid_to_pcpu[], cpuhead, mp_ncpus, mp_maxid.
 */
import { BootContext, hasSym, sym, symSize, writePtr } from './context';

export interface SimCpu {
  id: number;
  pcpu: bigint;
  dpcpuBlock: bigint;
  dpcpuOff: bigint;
  /** value written to this CPU's copy of pcpu_entry_pcputicks */
  pcputicks: bigint;
}

export interface CpuSetup {
  cpus: SimCpu[];
  /** the __pcpu pointer's value on kernels where __pcpu is a pointer, else the array's address */
  pcpuBase: bigint;
  pcpuForm: 'pointer' | 'array';
  pcpuSize: number;
}

const PAGE = 4096n;

export function setupCpus(ctx: BootContext, bspBlock: bigint): CpuSetup {
  const { w, m } = ctx;
  const ids = ctx.scenario.cpus;
  const maxId = Math.max(...ids);
  const pcpuSize = w.sizeof('struct pcpu');
  const pcpuSym = sym(ctx, '__pcpu');
  const pointerForm = symSize(ctx, '__pcpu') === BigInt(ctx.ptrSize);
  let pcpuBase: bigint;
  if (pointerForm) {
    // amd64 14: the struct pcpu pages are allocated at boot and __pcpu points at them.
    pcpuBase = m.kmemAlloc(BigInt(maxId + 1) * BigInt(pcpuSize));
    writePtr(ctx, pcpuSym, pcpuBase);
  } else {
    pcpuBase = pcpuSym;
    if (BigInt(maxId + 1) * BigInt(pcpuSize) > symSize(ctx, '__pcpu')) {
      throw new Error(`CPU id ${maxId} does not fit in __pcpu[]`);
    }
  }
  const startPcpu = sym(ctx, '__start_set_pcpu');
  const stopPcpu = sym(ctx, '__stop_set_pcpu');
  const dpcpuBytes = Number(stopPcpu - startPcpu);
  const master = m.read(startPcpu, dpcpuBytes);
  const ticksSym = hasSym(ctx, 'pcpu_entry_pcputicks') ? sym(ctx, 'pcpu_entry_pcputicks') : null;
  const ticksSize = ticksSym !== null ? Number(symSize(ctx, 'pcpu_entry_pcputicks')) : 0;
  const rng = ctx.rng.fork('cpus');
  const cpus: SimCpu[] = [];
  const offArr = sym(ctx, 'dpcpu_off');
  const mapArr = sym(ctx, 'cpuid_to_pcpu');
  for (const id of ids) {
    const pcpu = pcpuBase + BigInt(id) * BigInt(pcpuSize);
    const block = id === ids[0] ? bspBlock : m.kmemAlloc((BigInt(dpcpuBytes) + PAGE - 1n) & ~(PAGE - 1n));
    for (let off = 0; off < dpcpuBytes; off += 4096) {
      const chunk = master.subarray(off, Math.min(off + 4096, dpcpuBytes));
      if (chunk.some((b) => b !== 0)) m.write(block + BigInt(off), chunk);
    }
    const dynamic = BigInt.asUintN(64, block - startPcpu);
    const ticks = BigInt(1000 + rng.int(1_000_000));
    if (ticksSym !== null) m.writeInt(block + (ticksSym - startPcpu), ticksSize, ticks);
    w.set(pcpu, 'struct pcpu', {
      pc_cpuid: id,
      pc_dynamic: dynamic,
      pc_zpcpu_offset: w.has('struct pcpu', 'pc_zpcpu_offset') ? (ctx.scenario.arch === 'amd64' ? pcpu : BigInt(id) * PAGE) : null,
      pc_prvspace: w.has('struct pcpu', 'pc_prvspace') ? pcpu : null,
    });
    writePtr(ctx, offArr + BigInt(id * ctx.ptrSize), dynamic);
    writePtr(ctx, mapArr + BigInt(id * ctx.ptrSize), pcpu);
    cpus.push({ id, pcpu, dpcpuBlock: block, dpcpuOff: dynamic, pcputicks: ticks });
  }
  // cpuhead: STAILQ of struct pcpu through pc_allcpu, in id order.
  const head = sym(ctx, 'cpuhead');
  const nextOff = BigInt(w.offsetof('struct pcpu', 'pc_allcpu'));
  for (let i = 0; i < cpus.length; i++) {
    const next = i + 1 < cpus.length ? cpus[i + 1]!.pcpu : 0n;
    writePtr(ctx, cpus[i]!.pcpu + nextOff, next);
  }
  writePtr(ctx, head, cpus[0]!.pcpu);
  writePtr(ctx, head + BigInt(ctx.ptrSize), cpus[cpus.length - 1]!.pcpu + nextOff);
  m.writeInt(sym(ctx, 'mp_ncpus'), 4, ids.length);
  m.writeInt(sym(ctx, 'mp_maxid'), 4, maxId);
  return { cpus, pcpuBase, pcpuForm: pointerForm ? 'pointer' : 'array', pcpuSize };
}
