/**
 * Name resolution with per-vnet and per-CPU translation, and the handle's selected vnet and CPU.
 * The addon does the lookups and arithmetic (native/translate.*); this module holds the policy:
 * defaults (vnet0 and CPU 0, as libkvm on a dump), selectors, and the stateless forms.
 */
import { KvmError } from './errors';
import type { Kvm, SymbolInfo, SymbolKind } from './kvm';
import { checkedVnet, hasVimage, vnet0Address, vnetAddresses, type Vnet } from './helpers/vnet';
import { cpuById, presentCpus, type Cpu } from './helpers/pcpu';
import { currentVnet, jailVnet, pidVnet } from './helpers/vnet-select';

/** How to name a vnet: its address, 'vnet0', 'current' (the dumping thread's), a jail, a process. */
export type VnetSelector = bigint | 'vnet0' | 'current' | { jail: string | number } | { pid: number };

export interface ResolveOptions {
  vnet?: VnetSelector;
  cpu?: number;
  /** 'libkvm' (default): plain, vnet, per-CPU. 'ddb': plain, per-CPU, vnet. */
  order?: 'libkvm' | 'ddb';
}

export interface VnetChoice {
  vnet: Vnet;
  /** How the vnet was found, e.g. 'vnet0', 'address', 'jail web (jid 3)', 'thread 100123 td_vnet'. */
  how: string;
}

const KIND: SymbolKind[] = ['plain', 'vnet', 'pcpu'];

export function chooseVnet(kd: Kvm, sel: VnetSelector): VnetChoice {
  if (typeof sel === 'bigint') return { vnet: checkedVnet(kd, sel), how: 'address' };
  if (sel === 'vnet0') return { vnet: checkedVnet(kd, vnet0Address(kd)), how: 'vnet0' };
  if (typeof sel === 'number') throw new TypeError('A vnet address must be a bigint');
  if (sel === 'current') return currentVnet(kd);
  if (sel !== null && typeof sel === 'object' && 'jail' in sel) return jailVnet(kd, sel.jail);
  if (sel !== null && typeof sel === 'object' && 'pid' in sel) return pidVnet(kd, sel.pid);
  throw new TypeError(`Unknown vnet selector ${JSON.stringify(sel, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
}

/** The per-handle selection; created lazily with libkvm's defaults. */
export class Selection {
  vnet: VnetChoice | null = null;
  cpu: Cpu | null = null;
  #initialized = false;

  constructor(private readonly kd: Kvm) {}

  /** libkvm's defaults on a dump: vnet0 (when the kernel has VIMAGE) and CPU 0. */
  ensure(): void {
    if (this.#initialized) return;
    this.#initialized = true;
    if (hasVimage(this.kd)) {
      try {
        this.vnet = chooseVnet(this.kd, 'vnet0');
      } catch (e) {
        if (!(e instanceof KvmError)) throw e;
      }
    }
    if (this.kd.native.translation()[2] !== null) {
      try {
        const cpus = presentCpus(this.kd);
        this.cpu = cpus.find((c) => c.id === 0) ?? cpus[0] ?? null;
      } catch (e) {
        if (!(e instanceof KvmError)) throw e;
      }
    }
    this.push();
  }

  setVnet(sel: VnetSelector): VnetChoice {
    this.ensure();
    this.vnet = chooseVnet(this.kd, sel);
    this.push();
    return this.vnet;
  }

  setCpu(id: number): Cpu {
    this.ensure();
    this.cpu = cpuById(this.kd, id);
    this.push();
    return this.cpu;
  }

  private push(): void {
    this.kd.native.select(this.vnet ? this.vnet.vnet.dataBase : null, this.cpu ? this.cpu.dpcpuOff : null);
  }
}

function toInfo(name: string, r: ReturnType<Kvm['native']['resolve']>): SymbolInfo | null {
  if (!r) return null;
  return { name, symbol: r[5], value: r[0], size: r[1], type: r[2], kind: KIND[r[6]]! };
}

/** Resolves `name` with translation; null when no pass finds it. */
export function resolveName(kd: Kvm, sel: Selection, name: string, opts: ResolveOptions = {}): SymbolInfo | null {
  if (typeof name !== 'string') throw new TypeError('Expected a symbol name');
  const order = opts.order === 'ddb' ? 1 : opts.order === undefined || opts.order === 'libkvm' ? 0 : -1;
  if (order < 0) throw new RangeError(`order must be 'libkvm' or 'ddb'`);
  let vnetBase: bigint | null = null;
  let cpuOff: bigint | null = null;
  if (opts.vnet !== undefined) vnetBase = chooseVnet(kd, opts.vnet).vnet.dataBase;
  if (opts.cpu !== undefined) cpuOff = cpuById(kd, opts.cpu).dpcpuOff;
  sel.ensure();
  return toInfo(name, kd.native.resolve(name, order as 0 | 1, vnetBase, cpuOff));
}

/** `name`'s address in every vnet (newest first, as on vnet_head). */
export function perVnet(kd: Kvm, name: string): { vnet: bigint; address: bigint }[] {
  const out: { vnet: bigint; address: bigint }[] = [];
  for (const v of vnetAddresses(kd)) {
    const vnet = checkedVnet(kd, v);
    const r = kd.native.resolve(name, 0, vnet.dataBase, null);
    if (!r) throw new KvmError('NO_SYMBOL', `no symbol ${name} or vnet_entry_${name.replace(/^_/, '')}`, { name });
    if (r[6] !== 1) throw new KvmError('NO_VNET', `${name} is not a virtualized (per-vnet) variable`, { name });
    out.push({ vnet: v, address: r[0] });
  }
  return out;
}

/** `name`'s address on every present CPU. */
export function perCpu(kd: Kvm, name: string): { cpu: number; address: bigint }[] {
  const out: { cpu: number; address: bigint }[] = [];
  for (const c of presentCpus(kd)) {
    const r = kd.native.resolve(name, 1, null, c.dpcpuOff);
    if (!r) throw new KvmError('NO_SYMBOL', `no symbol ${name} or pcpu_entry_${name.replace(/^_/, '')}`, { name });
    if (r[6] !== 2) throw new KvmError('NO_CPU', `${name} is not a per-CPU (DPCPU) variable`, { name });
    out.push({ cpu: c.id, address: r[0] });
  }
  return out;
}
