/**
 * JSON for the CLIs: bigints print as plain digits (JSON numbers of any size, as libxo prints
 * counters), except where a caller turned them into "0x..." strings for addresses.
 */

function enc(v: unknown, indent: string, step: string): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v).toString('hex'));
  const inner = indent + step;
  const nl = step ? '\n' : '';
  const sep = step ? ': ' : ':';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${nl}${v.map((x) => inner + enc(x, inner, step)).join(`,${nl}`)}${nl}${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return `{${nl}${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}${sep}${enc(x, inner, step)}`).join(`,${nl}`)}${nl}${indent}}`;
}

/** JSON text of `value`; `pretty` indents by two spaces. */
export function toJson(value: unknown, pretty = true): string {
  return enc(value, '', pretty ? '  ' : '');
}

/** "0x..." form for addresses in JSON and tables. */
export function hexAddr(v: bigint | null | undefined): string | null {
  return v === null || v === undefined ? null : '0x' + v.toString(16);
}
