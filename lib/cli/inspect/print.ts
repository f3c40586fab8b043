/**
 * `kvm-inspect print EXPR`: DDB's way of naming things, on a dump. A global resolves plain, then
 * per-CPU, then per-vnet (DDB's order, not libkvm's); per-CPU names use the dumping thread's CPU
 * and per-vnet names its vnet ('current') unless --cpu/--vnet/--jail/--pid say otherwise. What
 * was used, and why, goes to stderr (or into each block's header with --all-vnets/--all-cpus).
 * Counter(9) data is summed unless --raw: a VNET_PCPUSTAT array as a record by field name, a
 * counter_u64_t as its value.
 */
import { KvmError, hex } from '../../errors';
import type { Kvm, SymbolInfo } from '../../kvm';
import type { CType } from '../../types/model';
import type { KObject, Value } from '../../types/object';
import type { StatValue } from '../../types/counter-struct';
import { chooseVnet, type VnetChoice, type VnetSelector } from '../../translation';
import { hasVimage } from '../../helpers/vnet';
import { UsageError } from '../common';
import { parseNumber } from '../address';
import { hexAddr, toJson } from '../json';
import { parseExpr, type Expr } from './expr';

export interface PrintOptions {
  vnet?: VnetSelector;
  cpu?: number;
  allVnets: boolean;
  allCpus: boolean;
  raw: boolean;
  json: boolean;
}

export interface CpuChoice {
  id: number;
  how: string;
}

/** Where one block of output was evaluated. */
interface Place {
  vnet: VnetChoice | null;
  cpu: CpuChoice | null;
}

interface Evaluated {
  expr: string;
  symbol: SymbolInfo | null;
  object: KObject | null;
  /** set when the symbol has no type in the debug info: its raw bytes */
  bytes: Buffer | null;
  place: Place;
}

/** DDB's default CPU: the one the dumping thread ran on, else CPU 0 (or the first present). */
export function defaultCpu(kd: Kvm): CpuChoice {
  let why = 'no dumping thread (dumptid is 0)';
  const dt = kd.dumpThread();
  if (dt && dt.thread.cpu !== null) return { id: dt.thread.cpu, how: `dumping thread ${dt.thread.tid}'s CPU` };
  if (dt) why = `dumping thread ${dt.thread.tid} was not on a CPU`;
  const cpus = kd.cpus();
  const c = cpus.find((x) => x.id === 0) ?? cpus[0];
  if (!c) throw new KvmError('NO_CPU', 'the image has no present CPU');
  return { id: c.id, how: `CPU ${c.id}: ${why}` };
}

function explicitCpu(kd: Kvm, id: number): CpuChoice {
  if (!kd.cpus().some((c) => c.id === id)) {
    throw new KvmError('NO_CPU', `CPU ${id} is not present (present: ${kd.cpus().map((c) => c.id).join(', ')})`);
  }
  return { id, how: '--cpu' };
}

/** What a bare name needs: which prefixed symbols exist when the plain one does not. */
function needs(kd: Kvm, name: string): { plain: boolean; pcpu: boolean; vnet: boolean } {
  if (kd.lookupPlain(name)) return { plain: true, pcpu: false, vnet: false };
  const bare = name.replace(/^_/, '');
  return { plain: false, pcpu: kd.lookupPlain(`pcpu_entry_${bare}`) !== null, vnet: kd.lookupPlain(`vnet_entry_${bare}`) !== null };
}

/** `V_tcpstat` is how kernel code spells VNET(tcpstat); accept it when no symbol has that name. */
function symbolName(kd: Kvm, name: string): string {
  if (!name.startsWith('V_')) return name;
  const n = needs(kd, name);
  return n.plain || n.pcpu || n.vnet ? name : name.slice(2);
}

class Resolver {
  #vnet: VnetChoice | null | undefined;
  #cpu: CpuChoice | null | undefined;

  constructor(private readonly kd: Kvm, private readonly opts: PrintOptions, fixed: Partial<Place> = {}) {
    if (fixed.vnet !== undefined) this.#vnet = fixed.vnet;
    if (fixed.cpu !== undefined) this.#cpu = fixed.cpu;
  }

  vnet(): VnetChoice {
    if (this.#vnet === undefined) {
      if (this.opts.vnet !== undefined) {
        const c = chooseVnet(this.kd, this.opts.vnet);
        this.#vnet = { vnet: c.vnet, how: typeof this.opts.vnet === 'bigint' ? '--vnet' : c.how };
      } else {
        this.#vnet = chooseVnet(this.kd, 'current');
      }
    }
    if (this.#vnet === null) throw new KvmError('NO_VNET', 'no vnet selected');
    return this.#vnet;
  }

  cpu(): CpuChoice {
    this.#cpu ??= this.opts.cpu !== undefined ? explicitCpu(this.kd, this.opts.cpu) : defaultCpu(this.kd);
    return this.#cpu;
  }

  /** Resolves a global in DDB order, noting the vnet/CPU used when translation happened. */
  resolve(name: string, place: Place): SymbolInfo {
    const sym = symbolName(this.kd, name);
    const n = needs(this.kd, sym);
    if (!n.plain && !n.pcpu && !n.vnet) throw new KvmError('NO_SYMBOL', `Symbol '${name}' not found`, { name });
    const cpu = n.pcpu ? this.cpu() : null;
    const vnet = n.vnet && hasVimage(this.kd) ? this.vnet() : null;
    const info = this.kd.resolve(sym, {
      order: 'ddb',
      ...(cpu ? { cpu: cpu.id } : {}),
      ...(vnet ? { vnet: vnet.vnet.address } : {}),
    });
    if (!info) throw new KvmError('NO_SYMBOL', `Symbol '${name}' not found`, { name });
    if (info.kind === 'pcpu') place.cpu = cpu;
    if (info.kind === 'vnet') place.vnet = vnet;
    return info;
  }

  /** An address operand: a number, or a symbol (+/- offset) resolved like a name. */
  address(text: string, place: Place): bigint {
    const n = parseNumber(text);
    if (n !== null) {
      if (n >= 1n << 64n) throw new UsageError(`address ${text} does not fit in 64 bits`);
      return n;
    }
    const m = /^([A-Za-z_$][\w$]*)(?:([+-])(0x[0-9a-fA-F]+|[0-9]+))?$/.exec(text)!;
    const base = this.resolve(m[1]!, place).value;
    const off = m[3] ? BigInt(m[3]) : 0n;
    return BigInt.asUintN(64, m[2] === '-' ? base - off : base + off);
  }
}

function typeOf(kd: Kvm, sym: SymbolInfo): CType | null {
  try {
    return kd.types.variableType(sym.symbol);
  } catch (e) {
    if (e instanceof KvmError && (e.code === 'NO_SYMBOL' || e.code === 'NO_TYPE')) return null;
    throw e;
  }
}

function evaluate(kd: Kvm, expr: Expr, text: string, r: Resolver, place: Place): Evaluated {
  let obj: KObject;
  let symbol: SymbolInfo | null = null;
  if (expr.base.kind === 'name') {
    symbol = r.resolve(expr.base.name, place);
    const type = typeOf(kd, symbol);
    if (!type) {
      if (expr.path) throw new KvmError('NO_TYPE', `${symbol.symbol} has no type in the debug information`, { name: symbol.symbol });
      const size = symbol.size > 0n && symbol.size <= 4096n ? Number(symbol.size) : 8;
      return { expr: text, symbol, object: null, bytes: kd.read(symbol.value, size), place };
    }
    obj = kd.object(type, symbol.value);
  } else {
    const addr = r.address(expr.base.addr, place);
    const ptr = kd.type(expr.base.type);
    const target = ptr.strip().target;
    obj = expr.base.deref ? kd.object(target, addr) : kd.object(target, addr).addressOf();
  }
  if (expr.path) obj = walkPath(obj, expr.path);
  return { expr: text, symbol, object: obj, bytes: null, place };
}

/** Follows a member path; like gdb, '.' and '->' both work on a struct and on a pointer to one. */
function walkPath(start: KObject, path: string): KObject {
  let obj = start;
  for (const m of path.matchAll(/(?:\.|->)\s*([A-Za-z_$][\w$]*)|\[\s*(0x[0-9a-fA-F]+|[0-9]+)\s*\]/g)) {
    obj = m[1] !== undefined ? obj.member(m[1]) : obj.index(Number(BigInt(m[2]!)));
  }
  return obj;
}

// ---- counter(9) views ----------------------------------------------------------------------

function isCounterHandle(t: CType): boolean {
  let cur: CType = t;
  for (let i = 0; i < 16 && cur.kind === 'typedef'; i++) {
    if (cur.name === 'counter_u64_t') return true;
    cur = cur.target;
  }
  return false;
}

function counterArrayLength(t: CType): number | null {
  const s = t.strip();
  return s.kind === 'array' && s.length !== null && s.length > 0 && isCounterHandle(s.target) ? s.length : null;
}

/** The stat struct naming a VNET_PCPUSTAT array's slots: `struct <name>` for a bare global. */
function statStruct(kd: Kvm, ev: Evaluated, expr: Expr): string | null {
  if (expr.base.kind !== 'name' || expr.path !== '' || !ev.symbol || ev.symbol.kind === 'pcpu') return null;
  const bare = ev.symbol.symbol.replace(/^vnet_entry_/, '');
  return kd.types.registry.find('struct', bare) ? bare : null;
}

type Summed =
  | { kind: 'record'; struct: string; record: Record<string, StatValue> }
  | { kind: 'counter'; value: bigint }
  | { kind: 'counters'; values: bigint[] };

function summed(kd: Kvm, ev: Evaluated, expr: Expr): Summed | null {
  const obj = ev.object;
  if (!obj || obj.address === null) return obj && isCounterHandle(obj.type) ? { kind: 'counter', value: kd.counter(obj.value() as bigint) } : null;
  if (isCounterHandle(obj.type)) return { kind: 'counter', value: kd.counter(obj.value() as bigint) };
  const n = counterArrayLength(obj.type);
  if (n === null) return null;
  const struct = statStruct(kd, ev, expr);
  if (struct) {
    const vnet = ev.place.vnet ? { vnet: ev.place.vnet.vnet.address } : {};
    const st = kd.pcpuStat(struct, vnet);
    if (st.address !== obj.address) {
      throw new KvmError('CORRUPT', `${struct}: pcpuStat read ${hex(st.address)} but print resolved ${hex(obj.address)}`);
    }
    return { kind: 'record', struct: `struct ${struct}`, record: st.record };
  }
  return { kind: 'counters', values: Array.from(kd.counters(kd.readArray(obj.address, n, 8))) };
}

// ---- rendering -----------------------------------------------------------------------------

function statText(v: StatValue): string {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return `{${v.map(statText).join(', ')}}`;
  return `{${Object.entries(v).map(([k, x]) => `${k} = ${statText(x)}`).join(', ')}}`;
}

function renderText(kd: Kvm, ev: Evaluated, expr: Expr, raw: boolean): string {
  if (ev.bytes) {
    const words = ev.bytes.length === 4 || ev.bytes.length === 8;
    const v = words ? (ev.bytes.length === 4 ? BigInt(kd.info.byteOrder === 'little' ? ev.bytes.readUInt32LE(0) : ev.bytes.readUInt32BE(0))
      : kd.info.byteOrder === 'little' ? ev.bytes.readBigUInt64LE(0) : ev.bytes.readBigUInt64BE(0)) : null;
    return `${ev.expr} = ${v !== null ? `${hex(v)} (no type information; ${ev.bytes.length} bytes)` : `<no type information> ${ev.bytes.toString('hex')}`}\n`;
  }
  const obj = ev.object!;
  const s = raw ? null : summed(kd, ev, expr);
  if (!s) return `${ev.expr} = ${obj.format()}\n`;
  if (s.kind === 'counter') return `${ev.expr} = ${s.value}\n`;
  if (s.kind === 'counters') return `${ev.expr} = {${s.values.join(', ')}}\n`;
  const lines = Object.entries(s.record).map(([k, v]) => `  ${k} = ${statText(v)}`);
  return `${ev.expr} = ${s.struct} (summed over CPUs) {\n${lines.join('\n')}\n}\n`;
}

function renderJson(kd: Kvm, ev: Evaluated, expr: Expr, raw: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    expr: ev.expr,
    symbol: ev.symbol ? ev.symbol.symbol : null,
    kind: ev.symbol ? ev.symbol.kind : null,
    address: hexAddr(ev.object ? ev.object.address : ev.symbol?.value),
    type: ev.object ? String(ev.object.type) : null,
    vnet: ev.place.vnet ? { address: hexAddr(ev.place.vnet.vnet.address), how: ev.place.vnet.how } : null,
    cpu: ev.place.cpu ? { id: ev.place.cpu.id, how: ev.place.cpu.how } : null,
  };
  if (ev.bytes) return { ...out, bytes: ev.bytes.toString('hex') };
  const s = raw ? null : summed(kd, ev, expr);
  if (!s) return { ...out, value: ev.object!.value() as Value };
  if (s.kind === 'counter') return { ...out, summed: true, value: s.value };
  if (s.kind === 'counters') return { ...out, summed: true, value: s.values };
  return { ...out, summed: true, type: s.struct, value: s.record };
}

function vnetHeader(v: VnetChoice, jails: { jid: number; name: string }[], isVnet0: boolean): string {
  const who = jails.map((j) => (j.jid === 0 ? '0 host' : `${j.jid} ${j.name}`)).join(', ');
  return `vnet ${hex(v.vnet.address)}${isVnet0 ? ' (vnet0)' : ''}: jails ${who || '(none)'}`;
}

/** Runs `print`; returns stdout text, writing the selection note to `note` (stderr). */
export function runPrint(kd: Kvm, text: string, opts: PrintOptions, note: (line: string) => void): string {
  const expr = parseExpr(text);
  const shown = text.trim();
  if (opts.allVnets && opts.vnet !== undefined) throw new UsageError('--all-vnets cannot be combined with --vnet, --jail or --pid');
  if (opts.allCpus && opts.cpu !== undefined) throw new UsageError('--all-cpus cannot be combined with --cpu');

  // One evaluation decides whether the expression depends on the vnet and the CPU at all.
  const firstPlace: Place = { vnet: null, cpu: null };
  const first = evaluate(kd, expr, shown, new Resolver(kd, opts), firstPlace);
  const perVnet = opts.allVnets && first.place.vnet !== null;
  const perCpu = opts.allCpus && first.place.cpu !== null;
  if (opts.allVnets && !perVnet) note(`${shown} does not depend on the vnet; printed once`);
  if (opts.allCpus && !perCpu) note(`${shown} does not depend on the CPU; printed once`);

  const blocks: { header: string | null; ev: Evaluated }[] = [];
  if (!perVnet && !perCpu) {
    if (first.place.vnet) note(`vnet ${hex(first.place.vnet.vnet.address)} (${first.place.vnet.how})`);
    if (first.place.cpu) note(`CPU ${first.place.cpu.id} (${first.place.cpu.how})`);
    blocks.push({ header: null, ev: first });
  } else {
    const vnets = perVnet ? kd.vnets() : [null];
    const cpus = perCpu ? kd.cpus() : [null];
    for (const v of vnets) {
      if (v && v.problem) {
        blocks.push({ header: `vnet ${hex(v.address)}: skipped, ${v.problem}`, ev: null as unknown as Evaluated });
        continue;
      }
      for (const c of cpus) {
        const fixed: Partial<Place> = {};
        if (v) fixed.vnet = { vnet: v, how: '--all-vnets' };
        if (c) fixed.cpu = { id: c.id, how: '--all-cpus' };
        const ev = evaluate(kd, expr, shown, new Resolver(kd, opts, fixed), { vnet: null, cpu: null });
        const parts: string[] = [];
        if (v) parts.push(vnetHeader(fixed.vnet!, v.jails, v.isVnet0));
        if (c) parts.push(`cpu ${c.id}`);
        blocks.push({ header: parts.join(', '), ev });
      }
    }
    if (!perVnet && first.place.vnet) note(`vnet ${hex(first.place.vnet.vnet.address)} (${first.place.vnet.how})`);
    if (!perCpu && first.place.cpu) note(`CPU ${first.place.cpu.id} (${first.place.cpu.how})`);
  }

  if (opts.json) {
    const recs = blocks.filter((b) => b.ev).map((b) => renderJson(kd, b.ev, expr, opts.raw));
    return toJson(perVnet || perCpu ? recs : recs[0]) + '\n';
  }
  return blocks
    .map((b) => (b.header === null ? '' : b.header + '\n') + (b.ev ? renderText(kd, b.ev, expr, opts.raw) : ''))
    .join(perVnet || perCpu ? '\n' : '');
}
