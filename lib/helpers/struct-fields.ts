/**
 * Small accessors over DWARF layouts for the walkers: member offsets that may be absent in some
 * releases, and one whole-struct read per element so its fields slice a single buffer.
 */
import { KvmError } from '../errors';
import type { Kvm } from '../kvm';
import type { KObject } from '../types/object';

/** offsetof(type, path), or null when this kernel's type has no such member. */
export function offsetOrNull(kd: Kvm, type: string, path: string): number | null {
  try {
    return kd.offsetof(type, path);
  } catch (e) {
    if (e instanceof KvmError && e.code === 'NO_TYPE') return null;
    throw e;
  }
}

/** A member's integer value as a number (ids, flags, counts). */
export function intMember(o: KObject, path: string): number {
  return Number(o.member(path).integer());
}

/** A pointer member's value. */
export function ptrMember(o: KObject, path: string): bigint {
  return BigInt.asUintN(64, BigInt(o.member(path).integer()));
}

/** A char-array member as a string (up to its first NUL). */
export function strMember(o: KObject, path: string): string {
  return o.member(path).string();
}
