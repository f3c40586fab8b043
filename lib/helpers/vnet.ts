/**
 * struct vnet (sys/net/vnet.h) and the vnet list. On LP64 the fields read here are fixed ABI across
 * every release since the 2009 allocator: vnet_le at 0, vnet_magic_n at 16, vnet_ifcnt 20,
 * vnet_sockcnt 24, vnet_state 28 (where present), vnet_data_mem 32, vnet_data_base 40.
 */
import { KvmError, hex } from '../errors';
import type { Kvm } from '../kvm';
import { walkList } from './queue';

/** VNET_MAGIC_N of current kernels and of the 2009-era design; 0xdeadbeef marks a freed vnet. */
export const VNET_MAGIC_N = 0x5e4a6f28;
export const VNET_MAGIC_N_OLD = 0x3e0d8f29;
export const VNET_MAGIC_DESTROYED = 0xdeadbeef;

const OFF = { next: 0n, magic: 16n, ifcnt: 20n, sockcnt: 24n, state: 28n, dataMem: 32n, dataBase: 40n };

export type VnetMagicKind = 'current' | 'old' | 'destroyed' | 'bad';

export interface Vnet {
  /** struct vnet * */
  address: bigint;
  magic: number;
  magicKind: VnetMagicKind;
  ifcnt: number;
  sockcnt: number;
  /** SI_SUB_* stage last run (newer kernels; 0 where the field is absent) */
  state: number;
  dataMem: bigint;
  dataBase: bigint;
}

function magicKind(m: number): VnetMagicKind {
  if (m === VNET_MAGIC_N) return 'current';
  if (m === VNET_MAGIC_N_OLD) return 'old';
  if (m === VNET_MAGIC_DESTROYED) return 'destroyed';
  return 'bad';
}

function requireLp64(kd: Kvm): void {
  if (kd.info.pointerSize !== 8) {
    throw new KvmError('UNSUPPORTED', `struct vnet is read only on 64-bit kernels (this one is ${kd.info.arch}, 32-bit)`);
  }
}

/** Reads the struct vnet at `addr` without judging it. */
export function readVnet(kd: Kvm, addr: bigint): Vnet {
  requireLp64(kd);
  const magic = kd.readU32(addr + OFF.magic);
  return {
    address: addr,
    magic,
    magicKind: magicKind(magic),
    ifcnt: kd.readU32(addr + OFF.ifcnt),
    sockcnt: kd.readU32(addr + OFF.sockcnt),
    state: kd.readU32(addr + OFF.state),
    dataMem: kd.readU64(addr + OFF.dataMem),
    dataBase: kd.readU64(addr + OFF.dataBase),
  };
}

/** Reads the vnet at `addr` and checks its magic; a destroyed or corrupt vnet is CORRUPT. */
export function checkedVnet(kd: Kvm, addr: bigint): Vnet {
  if (addr === 0n) throw new KvmError('NO_VNET', 'vnet pointer is NULL', { address: 0n });
  const v = readVnet(kd, addr);
  if (v.magicKind === 'current' || v.magicKind === 'old') return v;
  const what = v.magicKind === 'destroyed' ? 'a destroyed vnet (magic 0xdeadbeef)' : `not a vnet: magic ${hex(v.magic)}`;
  throw new KvmError('CORRUPT', `${hex(addr)} is ${what}; expected ${hex(VNET_MAGIC_N)} or ${hex(VNET_MAGIC_N_OLD)}`, {
    address: addr,
  });
}

/** True when the kernel was built with options VIMAGE. */
export function hasVimage(kd: Kvm): boolean {
  const t = kd.native.translation();
  return t[0] !== null && kd.lookupPlain('vnet_head') !== null;
}

export function requireVimage(kd: Kvm): void {
  if (!hasVimage(kd)) {
    throw new KvmError('NO_VNET', `${kd.kernelPath} is not a VIMAGE kernel (no set_vnet linker set and vnet_head)`);
  }
}

/** The address of vnet0 (the host's network stack). */
export function vnet0Address(kd: Kvm): bigint {
  requireVimage(kd);
  const sym = kd.lookupPlain('vnet0');
  if (!sym) throw new KvmError('NO_VNET', 'the kernel has no vnet0 symbol', { name: 'vnet0' });
  const v = kd.readPointer(sym.value);
  if (v === 0n) throw new KvmError('NO_VNET', 'vnet0 is NULL in this image (dumped before vnet0_init)', { name: 'vnet0' });
  return v;
}

/** Addresses of every vnet on vnet_head, newest first (vnet0 is last). */
export function vnetAddresses(kd: Kvm): bigint[] {
  requireVimage(kd);
  const head = kd.lookupPlain('vnet_head')!;
  return [...walkList(kd, { name: 'vnet_head', first: kd.readPointer(head.value), nextOffset: OFF.next })];
}
