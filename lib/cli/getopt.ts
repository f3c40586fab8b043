/**
 * getopt(3)-style splitting of short-option groups before yargs sees them: `-ibn` is three flags,
 * and a letter that takes a value takes the rest of its word (`-ptcp`, `-Iem0`, `-ibIem0`) or the
 * next word. yargs alone reads `-ptcp` as the flags p, t, c, p.
 */
export function splitShortOptions(argv: readonly string[], takesValue: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (!/^-[^-]/.test(a)) {
      out.push(a);
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const c = a[k]!;
      if (takesValue.has(c)) {
        out.push(`-${c}`);
        if (k + 1 < a.length) out.push(a.slice(k + 1));
        break;
      }
      out.push(`-${c}`);
    }
  }
  return out;
}
