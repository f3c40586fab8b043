/**
 * Shared state of one boot: the scenario, the simulated kernel (symbols and DWARF, opened without
 * a core), memory, the struct writer, and what the expected.json will say.
 */
import type { Kvm } from '../../kvm';
import type { SimFlavourInfo } from '../kernel-build';
import type { SimMemory } from '../memory';
import type { Random } from '../random';
import type { Scenario } from '../scenario';
import type { StructWriter } from '../struct-writer';

export interface BootContext {
  scenario: Scenario;
  flavour: SimFlavourInfo;
  rng: Random;
  /** The simulated kernel, opened alone: its symbols and types. */
  kernel: Kvm;
  m: SimMemory;
  w: StructWriter;
  ptrSize: 4 | 8;
  vimage: boolean;
}

/** The address of a kernel symbol (exact ELF name); throws naming it when absent. */
export function sym(ctx: BootContext, name: string): bigint {
  const s = ctx.kernel.lookupPlain(name);
  if (!s || s.symbol !== name) throw new Error(`simulated kernel has no symbol ${name}`);
  return s.value;
}

export function symSize(ctx: BootContext, name: string): bigint {
  const s = ctx.kernel.lookupPlain(name);
  if (!s || s.symbol !== name) throw new Error(`simulated kernel has no symbol ${name}`);
  return s.size;
}

export function hasSym(ctx: BootContext, name: string): boolean {
  const s = ctx.kernel.lookupPlain(name);
  return s !== null && s.symbol === name;
}

/** A virtualized variable's reference copy: vnet_entry_<name> on VIMAGE kernels, else <name>. */
export function vnetVar(ctx: BootContext, name: string): bigint {
  return sym(ctx, ctx.vimage ? `vnet_entry_${name}` : name);
}

export function vnetVarSize(ctx: BootContext, name: string): bigint {
  return symSize(ctx, ctx.vimage ? `vnet_entry_${name}` : name);
}

export function writePtr(ctx: BootContext, va: bigint, value: bigint): void {
  ctx.m.writeInt(va, ctx.ptrSize, value);
}
