/**
 * humanize_number(3) from FreeBSD libutil, in the one configuration netstat -h uses:
 * HN_AUTOSCALE with HN_NOSPACE | HN_DECIMAL and, for counts, HN_DIVISOR_1000.
 *
 * Rules (libutil's, reproduced): the value is taken as int64; it is divided by the divisor until it
 * fits the buffer (quotient below 10^(len - baselen), dividing once more when rounding would
 * overflow 999); a result below about 9.5 (remainder under 950 of 1000 or 973 of 1024) after at
 * least one division gets one decimal, `s1 = q + (r*10 + d/2) / d / 10`, `s2 = (r*10 + d/2) / d % 10`;
 * otherwise the quotient is rounded half up, `q + (r + d/2) / d`. Prefixes are k M G T P E for 1000
 * and K M G T P E for 1024. snprintf into a `len`-byte buffer truncates to len - 1 characters.
 */

const MAX_SCALE = 6;
const PREFIX_1000 = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
const PREFIX_1024 = ['', 'K', 'M', 'G', 'T', 'P', 'E'];

export interface HumanizeOptions {
  /** Buffer size including the NUL (netstat: 5). */
  len?: number;
  /** HN_DIVISOR_1000 (netstat: packet, error, drop and collision counts). */
  divisor1000?: boolean;
}

/** humanize_number(buf, len, value, "", HN_AUTOSCALE, HN_NOSPACE | HN_DECIMAL [| HN_DIVISOR_1000]). */
export function humanizeNumber(value: bigint, opts: HumanizeOptions = {}): string {
  const len = opts.len ?? 5;
  const d = opts.divisor1000 ? 1000n : 1024n;
  const deccut = opts.divisor1000 ? 950n : 973n;
  const prefixes = opts.divisor1000 ? PREFIX_1000 : PREFIX_1024;

  let q = BigInt.asIntN(64, value);
  if (q === -(1n << 63n)) {
    // C negates INT64_MIN to itself and prints it unscaled; keep that result.
    return `${q}`.slice(0, Math.max(0, len - 1));
  }
  let sign = '';
  let baselen = 1; // prefix
  if (q < 0n) {
    sign = '-';
    q = -q;
    baselen += 2; // sign, digit
  } else {
    baselen += 1; // digit
  }
  if (len < baselen + 1) return '';

  let max = 1n;
  for (let i = len - baselen; i > 0; i--) max *= 10n;

  let r = 0n;
  let scale = 0;
  while ((q >= max || (q === max - 1n && (r >= deccut || r >= d / 2n))) && scale < MAX_SCALE) {
    r = q % d;
    q /= d;
    scale++;
  }

  let text: string;
  if (((q === 9n && r < deccut) || q < 9n) && scale > 0) {
    const s1 = q + (r * 10n + d / 2n) / d / 10n;
    const s2 = ((r * 10n + d / 2n) / d) % 10n;
    text = `${sign}${s1}.${s2}${prefixes[scale]}`;
  } else {
    text = `${sign}${q + (r + d / 2n) / d}${prefixes[scale]}`;
  }
  return text.length > len - 1 ? text.slice(0, len - 1) : text;
}
