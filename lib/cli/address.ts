/**
 * Addresses typed by users: "0xffffffff80200000", "1234", "symbol", "symbol+0x10".
 * Symbols resolve with vnet/pcpu translation under the given options.
 */
import type { Kvm } from '../kvm';
import type { ResolveOptions } from '../translation';
import { UsageError } from './common';

export function parseNumber(text: string): bigint | null {
  const t = text.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return BigInt(t);
  if (/^[0-9]+$/.test(t)) return BigInt(t);
  return null;
}

export function parseAddress(kd: Kvm, text: string, options: ResolveOptions = {}): bigint {
  const n = parseNumber(text);
  if (n !== null) {
    if (n >= 1n << 64n) throw new UsageError(`address ${text} does not fit in 64 bits`);
    return n;
  }
  const m = /^([A-Za-z_.$][\w.$]*)\s*(?:([+-])\s*(0x[0-9a-f]+|[0-9]+))?$/i.exec(text.trim());
  if (!m) throw new UsageError(`not an address or symbol: ${text}`);
  const sym = kd.symbol(m[1]!, options);
  const off = m[3] ? BigInt(m[3]) : 0n;
  return (m[2] === '-' ? sym.value - off : sym.value + off) & ((1n << 64n) - 1n);
}
