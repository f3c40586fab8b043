/**
 * The simulator: builds the simulated kernel for a scenario's flavour and architecture, boots the
 * scenario into simulated memory (lib/sim/boot/), writes the dump in the chosen format, and
 * records in expected.json every value a reader should find there.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Kvm } from '../kvm';
import { buildSimKernel, loadSimFlavours, type SimDwarfVersion } from './kernel-build';
import { AMD64_KERNBASE, AMD64_LAYOUT, ARM64_LAYOUT, type KernelLayout } from './kspace';
import { SimMemory } from './memory';
import type { PhysRange } from './physmem';
import { Random } from './random';
import type { Scenario } from './scenario';
import { StructWriter } from './struct-writer';
import { buildAmd64PageTables } from './amd64-pagetables';
import { writeMinidumpAmd64 } from './writers/minidump-amd64';
import { writeMinidumpArm64 } from './writers/minidump-arm64';
import { writeFullDumpAmd64 } from './writers/fulldump-amd64';
import { writeElfVcore, vcoreSegmentsFromSpace } from './writers/elf-vcore';
import { defaultFormat, findFormat } from './formats';
import { BootContext, hasSym, sym, writePtr } from './boot/context';
import { loadKernelImage } from './boot/kernel-image';
import { setupCpus } from './boot/cpus';
import { CounterAllocator } from './boot/counters';
import { destroyedVnet, vnetAddr, vnetAlloc, type SimVnet } from './boot/vnets';
import { setupStats, type StackStats } from './boot/stats';
import { attachInterface, IfnetState, type ExpectedInterface } from './boot/ifnet';
import { createJail, createProc, ProcState, setDumpingThread, setupIdle, setupPrison0, setupProc0, type SimJail, type SimProc } from './boot/jails';
import { toExpected, type Expected } from './expected';

export interface BuildOptions {
  scenario: Scenario;
  outDir: string;
  /** a format name from SIM_FORMATS; default minidump v3 of the architecture */
  format?: string;
  /** keep a 512-byte kerneldumpheader in front of the payload, as the raw dump device has */
  dumpHeader?: boolean;
  dwarfVersion?: SimDwarfVersion;
  /** where compiled simulated kernels are cached */
  cacheDir?: string;
  progress?: (step: string, done: number, total: number) => void;
}

export interface BuildResult {
  kernel: string;
  core: string;
  expectedPath: string;
  expected: Expected;
}

const PAGE = 4096n;
const V1_KVA_START = 0xffffffff00000000n;
const GiB = 1n << 30n;
const MiB = 1n << 20n;

/** Where compiled simulated kernels are kept between builds ($LIBKVM_SIM_CACHE overrides). */
export function defaultKernelCache(): string {
  return process.env.LIBKVM_SIM_CACHE ?? path.join(os.tmpdir(), `libkvm-sim-kernels-${process.getuid?.() ?? 'u'}`);
}

/** Stacks that get their own vnet (and counters): the host and every VNET jail. */
function stackCount(s: Scenario): number {
  return 1 + s.jails.filter((j) => j.vnet).length;
}

/** RAM big enough for the scenario (counter slabs dominate), as a PC-like map with a hole. */
function ramRanges(s: Scenario, arch: 'amd64' | 'arm64'): { ranges: PhysRange[]; floor: bigint; top: bigint } {
  const stacks = BigInt(stackCount(s));
  const ifaces = BigInt([s.host, ...s.jails].reduce((n, j) => n + (j.interfaces?.length ?? 0), 0));
  const counters = stacks * 1400n + ifaces * 40n;
  const slabs = counters / 512n + stacks + 4n;
  const cpuPages = BigInt(Math.max(...s.cpus) + 1);
  const pages = slabs * cpuPages + stacks * 48n + BigInt(s.cpus.length) * 16n + 16384n;
  let need = (pages * PAGE * 5n) / 4n + 256n * MiB;
  need = ((need + GiB - 1n) / GiB) * GiB;
  if (arch === 'amd64') {
    const low: PhysRange[] = [[0x1000n, 0x9f000n], [0x100000n, 0xc0000000n]];
    const lowBytes = 0xc0000000n - 0x100000n;
    const ranges = need <= lowBytes ? low : [...low, [0x100000000n, 0x100000000n + need - lowBytes] as PhysRange];
    const top = ranges[ranges.length - 1]![1];
    return { ranges, floor: 64n * MiB, top };
  }
  const base = 0x40000000n;
  const lowEnd = 0xc0000000n;
  const ranges: PhysRange[] = need <= lowEnd - base ? [[base, base + need]] : [[base, lowEnd], [0x100000000n, 0x100000000n + need - (lowEnd - base)]];
  return { ranges, floor: base + 64n * MiB, top: ranges[ranges.length - 1]![1] };
}

function msgbufText(s: Scenario, version: string): Buffer {
  const lines = [
    '---<<BOOT>>---',
    version.trim(),
    `CPU: Simulated CPU (${s.cpus.length} cores)`,
    `FreeBSD/SMP: Multiprocessor System Detected: ${s.cpus.length} CPUs`,
    ...s.jails.filter((j) => j.vnet).map((j) => `epair: jail ${j.name} (jid ${j.jid}) got its own vnet`),
    '',
    'Fatal trap 12: page fault while in kernel mode',
    `cpuid = ${s.dump.cpu ?? s.cpus[0]}; apic id = 0${s.dump.cpu ?? s.cpus[0]}`,
    'panic: page fault',
    'Dumping ...',
    '',
  ];
  return Buffer.from(lines.join('\n'), 'latin1');
}

export async function buildScenario(opts: BuildOptions): Promise<BuildResult> {
  const s = opts.scenario;
  const progress = opts.progress ?? (() => {});
  const format = findFormat(opts.format ?? defaultFormat(s.arch), s.arch);
  const flavour = loadSimFlavours().flavours[s.flavour];
  fs.mkdirSync(opts.outDir, { recursive: true });
  progress('compiling the simulated kernel', 0, 1);
  const elf = await buildSimKernel({
    flavour: s.flavour,
    arch: s.arch,
    outDir: opts.cacheDir ?? defaultKernelCache(),
    ...(opts.dwarfVersion ? { dwarfVersion: opts.dwarfVersion } : {}),
  });
  const kernelOut = path.join(opts.outDir, 'kernel');
  fs.copyFileSync(elf, kernelOut);
  const kernel = Kvm.open({ kernel: kernelOut });
  try {
    const littleEndian = kernel.info.byteOrder === 'little';
    const layout: KernelLayout = s.arch === 'amd64' ? AMD64_LAYOUT : { ...ARM64_LAYOUT, dmapPhys: 0x40000000n };
    const ram = ramRanges(s, s.arch);
    // v1 minidumps hold a PTE per 4 KiB of kernel VA: FreeBSD 7/8 allocated kernel memory just
    // below KERNBASE, and so do we for them (the page-table area then starts there).
    const v1 = format.name === 'minidump-amd64-v1';
    const kvaStart = s.arch === 'arm64' ? 0xffff000100000000n : v1 ? V1_KVA_START : 0xfffffe0001000000n;
    const m = new SimMemory(layout, ram.ranges, { physFloor: ram.floor, kvaStart, littleEndian });
    m.limitPhys(ram.top - 64n * MiB); // the top is left for the page tables the writers build
    const ctx: BootContext = {
      scenario: s,
      flavour,
      rng: new Random(s.seed),
      kernel,
      m,
      w: new StructWriter(kernel.types, m),
      ptrSize: kernel.info.pointerSize,
      vimage: flavour.vimage,
    };
    progress('loading the kernel image', 0, 1);
    const dpcpuBytes = sym(ctx, '__stop_set_pcpu') - sym(ctx, '__start_set_pcpu');
    const kernbase = s.arch === 'amd64' ? AMD64_KERNBASE : 0xffff000000000000n;
    const physBase = s.arch === 'amd64' ? 0n : 0x40200000n - (0xffff000000000000n - kernbase);
    const image = loadKernelImage(m, kernel.native.kernelSegments(), kernbase, physBase, dpcpuBytes + 2n * PAGE);
    const bspBlock = (image.imageEnd + PAGE - 1n) & ~(PAGE - 1n);

    progress('CPUs', 0, 1);
    const cpuSetup = setupCpus(ctx, bspBlock);
    const encoding = flavour.counterEncoding[s.arch];
    const counters = new CounterAllocator(m, s.cpus, encoding, cpuSetup.pcpuBase);

    // Network stacks: the host's (vnet0) and each VNET jail's, interfaces and statistics.
    const ifs = new IfnetState();
    const stacks: { jid: number; vnet: SimVnet | null; interfaces: ExpectedInterface[]; stats: StackStats }[] = [];
    const initIfnetHead = (v: SimVnet | null): void => {
      const head = vnetAddr(ctx, v, 'ifnet');
      writePtr(ctx, head, 0n);
      writePtr(ctx, head + BigInt(ctx.ptrSize), head); // CK_STAILQ_INIT: last = &first
    };
    const total = stackCount(s);
    const vnet0 = ctx.vimage ? vnetAlloc(ctx) : null;
    if (vnet0) writePtr(ctx, sym(ctx, 'vnet0'), vnet0.address);
    initIfnetHead(vnet0);
    progress('network stacks', 0, total);
    stacks.push({
      jid: 0,
      vnet: vnet0,
      interfaces: (s.host.interfaces ?? []).map((i) => attachInterface(ctx, ifs, vnet0, vnet0, i, counters, 'host')),
      stats: setupStats(ctx, vnet0, counters, s.host.stats ?? 'random', 'host'),
    });
    const jails = [...s.jails].sort((a, b) => a.jid - b.jid);
    const jailVnets = new Map<number, SimVnet>();
    for (const j of jails) {
      if (!j.vnet) continue;
      const v = vnetAlloc(ctx);
      jailVnets.set(j.jid, v);
      initIfnetHead(v);
      stacks.push({
        jid: j.jid,
        vnet: v,
        interfaces: (j.interfaces ?? []).map((i) => attachInterface(ctx, ifs, v, i.type === 'loop' ? v : vnet0, i, counters, j.name)),
        stats: setupStats(ctx, v, counters, j.stats ?? 'random', j.name),
      });
      progress('network stacks', stacks.length, total);
    }
    for (const st of stacks) {
      if (st.vnet) ctx.w.set(st.vnet.address, 'struct vnet', { vnet_ifcnt: st.vnet.ifcnt, vnet_sockcnt: 2 * st.vnet.ifcnt });
    }

    progress('jails and processes', 0, 1);
    const prison0 = setupPrison0(ctx, vnet0);
    const simJails: SimJail[] = [prison0];
    const tail = { last: 0n };
    for (const j of jails) {
      const parent = j.parent ? simJails.find((x) => x.name === j.parent || x.name.endsWith(`.${j.parent}`))! : prison0;
      simJails.push(createJail(ctx, j, parent, jailVnets.get(j.jid) ?? null, tail));
    }
    const ps = new ProcState();
    const procs: SimProc[] = [setupProc0(ctx, ps, prison0), setupIdle(ctx, ps, prison0, cpuSetup.cpus)];
    for (const p of s.host.procs ?? []) procs.push(createProc(ctx, ps, prison0, p));
    for (const j of jails) {
      const sj = simJails.find((x) => x.jid === j.jid)!;
      for (const p of j.procs ?? []) procs.push(createProc(ctx, ps, sj, p));
    }
    // The dumping thread: the first process of the named jail (created if it has none).
    const dumpJail = s.dump.jail && s.dump.jail !== 'host' ? simJails.find((x) => x.jid === s.jails.find((j) => j.name === s.dump.jail)!.jid)! : prison0;
    let dumpProc = procs.find((p) => p.jid === dumpJail.jid && p.pid > 11);
    if (!dumpProc) {
      dumpProc = createProc(ctx, ps, dumpJail, { pid: 900 + dumpJail.jid, comm: 'ifconfig' });
      procs.push(dumpProc);
    }
    const dumpCpu = cpuSetup.cpus.find((c) => c.id === (s.dump.cpu ?? s.cpus[0]))!;
    const dumpThread = dumpProc.threads[0]!;
    const tdVnet = s.dump.inNetworkCode && dumpJail.vnet ? dumpJail.vnet.address : 0n;
    setDumpingThread(ctx, ps, dumpThread, dumpCpu, tdVnet, !!s.dump.noDumptid);
    const destroyed = s.destroyedVnet && ctx.vimage ? destroyedVnet(ctx) : null;

    // Page tables last (they describe every mapping), then KPML4phys, then the file.
    progress('writing the dump', 0, 1);
    const core = path.join(opts.outDir, 'vmcore.0');
    const msgbuf = msgbufText(s, flavour.version[s.arch]);
    const dumpHeader = opts.dumpHeader
      ? { architecture: s.arch === 'amd64' ? 'amd64' : 'aarch64', hostname: 'sim', panicString: 'page fault', versionString: flavour.version[s.arch] } as const
      : undefined;
    const common = { mem: m.mem, space: m.space, ...(dumpHeader ? { dumpHeader } : {}) };
    if (s.arch === 'amd64') {
      const tables = buildAmd64PageTables(m.mem, m.space);
      m.mem.writeU64(m.pa(sym(ctx, 'KPML4phys')), tables.pml4);
      if (format.name.startsWith('minidump-amd64')) {
        writeMinidumpAmd64(core, { ...common, version: Number(format.name.slice(-1)) as 1 | 2 | 3, tables, msgbuf, ...(v1 ? { pmapStart: V1_KVA_START } : {}) });
      } else if (format.name === 'fulldump-amd64') {
        writeFullDumpAmd64(core, { ...common, tables });
      } else {
        writeElfVcore(core, { machine: 'amd64', segments: vcoreSegmentsFromSpace(m.space, m.mem, { directMap: true }), ...(dumpHeader ? { dumpHeader } : {}) });
      }
    } else if (format.name.startsWith('minidump-arm64')) {
      writeMinidumpArm64(core, { ...common, version: Number(format.name.slice(-1)) as 1 | 2 | 3, msgbuf });
    } else {
      writeElfVcore(core, { machine: 'arm64', segments: vcoreSegmentsFromSpace(m.space, m.mem, { directMap: true }), ...(dumpHeader ? { dumpHeader } : {}) });
    }

    const expected = toExpected({
      ctx, format: format.name, cpus: cpuSetup, counters: { encoding, count: counters.count },
      stacks, jails: simJails, procs, dumpThread, dumpProc, dumpCpu: dumpCpu.id, dumpJail, tdVnet, destroyed,
      msgbuf: s.arch === 'amd64' || format.name.startsWith('minidump') ? msgbuf.toString('latin1') : null,
      hasSym: (n) => hasSym(ctx, n),
    });
    const expectedPath = path.join(opts.outDir, 'expected.json');
    fs.writeFileSync(expectedPath, JSON.stringify(expected, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 1) + '\n');
    progress('done', 1, 1);
    return { kernel: kernelOut, core, expectedPath, expected };
  } finally {
    kernel.close();
  }
}
