/**
 * Renders a typed object the way gdb's `print` does with its default settings (pretty off,
 * max-depth 20, 200 elements, repeats collapsed past 10): `{a = 1, name = "lo0", next = 0x0}`.
 */
import { hex } from '../errors';
import type { CType } from './model';
import type { KObject } from './object';

export interface FormatOptions {
  /** Nesting of structs/unions/arrays shown before '{...}' (gdb `print max-depth`, 20). */
  depth?: number;
  /** Array elements / string characters shown before '...' (gdb `print elements`, 200). */
  arrayLimit?: number;
  /** Runs longer than this are shown as `x <repeats N times>` (gdb `print repeats`, 10). */
  repeatThreshold?: number;
  /** Show `<symbol+off>` after pointers (gdb `print symbol`, on). */
  symbols?: boolean;
  /**
   * Characters of output after which the rest is shown as `...` (1 MiB). Types come from the
   * debug file, so nested arrays of structs could otherwise ask for output of any size.
   */
  maxLength?: number;
}

/** Largest accepted depth and arrayLimit: beyond these an output bound no longer means much. */
export const FORMAT_MAX_DEPTH = 1000;
export const FORMAT_MAX_ELEMENTS = 1 << 20;
export const FORMAT_DEFAULT_MAX_LENGTH = 1 << 20;
/** Bytes of an array read to find runs of equal elements; past this the array is cut with '...'. */
const ARRAY_SCAN_BYTES = 1 << 20;

interface Ctx {
  depth: number;
  limit: number;
  repeats: number;
  symbols: boolean;
  /** characters of leaf output still allowed */
  budget: number;
}

function intOption(v: number | undefined, dflt: number, min: number, max: number, name: string): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${v}`);
  return v;
}

/** gdb `print` output for `obj`, without the `$1 = ` prefix. */
export function formatObject(obj: KObject, options: FormatOptions = {}): string {
  const ctx: Ctx = {
    depth: intOption(options.depth, 20, 0, FORMAT_MAX_DEPTH, 'depth'),
    limit: intOption(options.arrayLimit, 200, 0, FORMAT_MAX_ELEMENTS, 'arrayLimit'),
    repeats: intOption(options.repeatThreshold, 10, 1, FORMAT_MAX_ELEMENTS, 'repeatThreshold'),
    symbols: options.symbols ?? true,
    budget: intOption(options.maxLength, FORMAT_DEFAULT_MAX_LENGTH, 1, 1 << 28, 'maxLength'),
  };
  return value(obj, 0, true, ctx);
}

function isCharType(t: CType): boolean {
  const s = t.strip();
  return s.kind === 'int' && s.isChar && s.size === 1;
}

// Leaves (numbers, pointers, strings) spend the output budget; once it is spent every further
// value is '...', which bounds the work as well as the length.
function value(obj: KObject, depth: number, top: boolean, ctx: Ctx): string {
  if (ctx.budget <= 0) return '...';
  const kind = obj.type.strip().kind;
  const text = valueOf(obj, depth, top, ctx);
  if (kind !== 'struct' && kind !== 'union' && kind !== 'class') ctx.budget -= text.length;
  return text;
}

function valueOf(obj: KObject, depth: number, top: boolean, ctx: Ctx): string {
  const t = obj.type.strip();
  switch (t.kind) {
    case 'struct':
    case 'union':
    case 'class': {
      if (!t.complete) return '<incomplete type>';
      if (depth >= ctx.depth) return '{...}';
      const parts = obj.members().map(({ name, object }) => {
        const v = value(object, depth + 1, false, ctx);
        return name === null ? v : `${name} = ${v}`;
      });
      return `{${parts.join(', ')}}`;
    }
    case 'array':
      return array(obj, t, depth, ctx);
    case 'pointer':
      return pointer(obj, t, top, ctx);
    case 'int': {
      const v = obj.integer();
      if (isCharType(t)) return `${v} ${charLiteral(Number(v) & 0xff)}`;
      return v.toString();
    }
    case 'bool': {
      const v = obj.integer();
      return v === 0 ? 'false' : v === 1 ? 'true' : v.toString();
    }
    case 'enum':
      return enumValue(obj, t);
    case 'float':
      return floatValue(obj.value() as number, t.size === 4 ? 9 : t.size === 8 ? 17 : 18);
    case 'function': {
      const addr = obj.address ?? 0n;
      return `{${obj.type}} ${hex(addr)}${symbolSuffix(obj, addr, ctx, true)}`;
    }
    default:
      return 'void';
  }
}

function array(obj: KObject, t: CType, depth: number, ctx: Ctx): string {
  const n = t.length;
  if (n === null || n === 0 || t.size === 0) {
    // gdb shows a zero-length or flexible array as its address.
    const addr = obj.address ?? 0n;
    return `${hex(addr)}${symbolSuffix(obj, addr, ctx, false)}`;
  }
  const size = t.target.size ?? 0;
  const total = t.size ?? n * size;
  if (isCharType(t.target)) return charArray(charPrefix(obj, total, ctx), total, ctx);
  if (depth >= ctx.depth) return '{...}';
  // Runs of equal elements are found by comparing bytes (as gdb does), and only what is shown
  // is formatted, so a huge array costs no more than its first `arrayLimit` elements plus a
  // bounded scan for runs.
  const scan = size === 0 ? n : Math.min(n, Math.max(1, Math.floor(ARRAY_SCAN_BYTES / size)));
  const bytes = prefixBytes(obj, total, scan * size);
  const same = (a: number, b: number) => size === 0 || bytes.compare(bytes, a * size, a * size + size, b * size, b * size + size) === 0;
  const parts: string[] = [];
  let printed = 0;
  let i = 0;
  let cut = false;
  while (i < n) {
    if (printed >= ctx.limit || i >= scan || ctx.budget <= 0) {
      cut = true;
      break;
    }
    let run = 1;
    while (i + run < scan && same(i, i + run)) run++;
    const text = value(obj.index(i), depth + 1, false, ctx);
    ctx.budget -= 2; // the separator
    if (run > ctx.repeats) {
      parts.push(`${text} <repeats ${run} times>`);
      i += run;
      printed += ctx.repeats;
    } else {
      parts.push(text);
      i++;
      printed++;
    }
  }
  // gdb puts the ellipsis right after the last element, without a comma.
  return `{${parts.join(', ')}${cut ? '...' : ''}}`;
}

function pointer(obj: KObject, t: CType, top: boolean, ctx: Ctx): string {
  const v = obj.value() as bigint;
  const target = t.hasTarget ? t.target.strip() : null;
  const text = hex(v);
  if (target && isCharType(target) && target.kind === 'int') {
    if (v === 0n) return text;
    return `${text}${symbolSuffix(obj, v, ctx, false)} ${pointedString(obj, v, ctx)}`;
  }
  const isFunc = target !== null && target.kind === 'function';
  const body = `${text}${v === 0n ? '' : symbolSuffix(obj, v, ctx, isFunc)}`;
  return top ? `(${obj.type}) ${body}` : body;
}

function pointedString(obj: KObject, addr: bigint, ctx: Ctx): string {
  // gdb reads up to `print elements` characters; a fault shows as an error marker.
  const host = obj.host;
  const bytes: number[] = [];
  let cur = addr;
  try {
    while (bytes.length < ctx.limit) {
      const chunk = host.read(cur, 1);
      if (chunk[0] === 0) break;
      bytes.push(chunk[0]);
      cur += 1n;
    }
  } catch {
    if (bytes.length === 0) return `<error: Cannot access memory at address ${hex(addr)}>`;
  }
  const truncated = bytes.length >= ctx.limit;
  return quoteRuns(Uint8Array.from(bytes), ctx) + (truncated ? '...' : '');
}

/** The first `want` bytes of an array object of `total` bytes, reading no more than that. */
function prefixBytes(obj: KObject, total: number, want: number): Buffer {
  if (total <= want || total <= ARRAY_SCAN_BYTES || obj.address === null) return obj.bytes().subarray(0, want);
  return obj.host.read(obj.address, want);
}

/**
 * The bytes of a char array needed to print it: `print elements` + 1, or, when a run of equal
 * bytes reaches the end of those (gdb shows a run whole), up to ARRAY_SCAN_BYTES.
 */
function charPrefix(obj: KObject, total: number, ctx: Ctx): Buffer {
  const buf = prefixBytes(obj, total, Math.min(total, ctx.limit + 1));
  const n = buf.length;
  if (n < total && n >= 2 && buf[n - 1] === buf[n - 2]) return prefixBytes(obj, total, Math.min(total, ARRAY_SCAN_BYTES));
  return buf;
}

/** A char array of `total` bytes, of which `buf` holds a prefix (see charPrefix). */
function charArray(buf: Buffer, total: number, ctx: Ctx): string {
  let len = total;
  // A trailing NUL is the terminator, not part of what is shown.
  if (len > 0 && len === buf.length && buf[len - 1] === 0) len--;
  if (len === 0) return '""';
  return quoteRuns(buf.subarray(0, Math.min(len, buf.length)), ctx, len);
}

// "abc", 'x' <repeats 30 times>, "def" — as gdb: characters are consumed until `print elements`
// of them have been shown, a run longer than the repeat threshold is consumed whole (it may
// overshoot the limit), and '...' follows when characters are left.
// `total` counts characters beyond `bytes` that were not read (a prefix of a huge array).
function quoteRuns(bytes: Uint8Array, ctx: Ctx, total = bytes.length): string {
  const segments: string[] = [];
  let str = '';
  let i = 0;
  while (i < bytes.length && i < ctx.limit) {
    let run = 1;
    while (i + run < bytes.length && bytes[i + run] === bytes[i]) run++;
    if (run > ctx.repeats) {
      if (str) segments.push(`"${str}"`);
      str = '';
      segments.push(`${charLiteral(bytes[i]!)} <repeats ${run} times>`);
      i += run;
    } else {
      str += escapeChar(bytes[i]!, '"');
      i += 1;
    }
  }
  if (str) segments.push(`"${str}"`);
  return segments.join(', ') + (i < total ? '...' : '');
}

const ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 27: '\\033' };

function escapeChar(c: number, quote: string): string {
  if (c === 0x5c) return '\\\\';
  if (String.fromCharCode(c) === quote) return '\\' + quote;
  if (c >= 0x20 && c < 0x7f) return String.fromCharCode(c);
  return ESCAPES[c] ?? '\\' + c.toString(8).padStart(3, '0');
}

function charLiteral(c: number): string {
  return `'${escapeChar(c & 0xff, "'")}'`;
}

function enumValue(obj: KObject, t: CType): string {
  const raw = obj.integer();
  const v = BigInt(raw);
  const list = t.enumerators;
  const hit = list.find((e) => e.value === v);
  if (hit) return hit.name;
  // gdb's "flag enum": non-negative values with no bits in common are shown as an OR of names.
  let mask = 0n;
  let flags = true;
  for (const e of list) {
    if (e.value < 0n || (mask & e.value) !== 0n) {
      flags = false;
      break;
    }
    mask |= e.value;
  }
  if (!flags || v < 0n) return raw.toString();
  let rest = v;
  const names: string[] = [];
  for (const e of list) {
    if (e.value !== 0n && (rest & e.value) === e.value) {
      names.push(e.name);
      rest &= ~e.value;
    }
  }
  if (names.length === 0 && rest === 0n) return '0';
  if (rest !== 0n) names.push(`unknown: 0x${rest.toString(16)}`);
  return `(${names.join(' | ')})`;
}

function symbolSuffix(obj: KObject, addr: bigint, ctx: Ctx, code: boolean): string {
  if (!ctx.symbols) return '';
  const s = obj.host.symbolize(addr);
  if (!s) return '';
  // Only addresses inside a symbol (or at a sized-0 label, for code) get a name.
  const inside = s.offset < (s.size > 0n ? s.size : code ? 1n : 1n);
  if (!inside) return '';
  return s.offset === 0n ? ` <${s.name}>` : ` <${s.name}+${s.offset}>`;
}

/** printf's %.<precision>g, as gdb formats floating-point values. */
export function floatValue(x: number, precision: number): string {
  if (Number.isNaN(x)) return 'nan(0x8000000000000)';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const p = Math.min(precision, 21);
  const [mant, expText] = x.toExponential(p - 1).split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= p) {
    const m = stripZeros(mant);
    const sign = exp < 0 ? '-' : '+';
    return `${m}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return stripZeros(x.toFixed(Math.max(0, p - 1 - exp)));
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  return s.replace(/\.?0+$/, '');
}
