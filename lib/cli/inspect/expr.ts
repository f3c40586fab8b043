/**
 * The expression language of `kvm-inspect print` (docs/inspect.md):
 *
 *   expr  := base path
 *   base  := NAME                      a global; V_name means name (the VNET() macro's spelling)
 *          | '*' '(' TYPE '*' ')' ADDR  the TYPE object at ADDR
 *          | '(' TYPE '*' ')' ADDR      a TYPE * pointer whose value is ADDR
 *          | '(' expr ')'               grouping: ((struct prison *)0x...)->pr_vnet
 *   path  := ( '.' MEMBER | '->' MEMBER | '[' N ']' )*   '.' follows pointers too
 *   ADDR  := 0x... | decimal | SYMBOL [ ('+'|'-') N ]
 *
 * Unlike C, a path after a cast applies to the cast's result: `(struct prison *)ADDR->pr_vnet`
 * reads as `((struct prison *)ADDR)->pr_vnet`. Parsing is pure text; evaluation is print.ts's.
 */
import { UsageError } from '../common';

export type ExprBase =
  | { kind: 'name'; name: string }
  /** `*(TYPE *)ADDR` (deref true) or `(TYPE *)ADDR`; `type` is the pointer type's text */
  | { kind: 'cast'; type: string; addr: string; deref: boolean };

export interface Expr {
  base: ExprBase;
  /** member path for KObject.member, or '' */
  path: string;
}

const NAME = /^[A-Za-z_$][\w$]*/;
const ADDR = /^(0x[0-9a-fA-F]+|[0-9]+|[A-Za-z_$][\w$]*(?:\s*[+-]\s*(?:0x[0-9a-fA-F]+|[0-9]+))?)/;
const PATH = /^(?:\s*(?:\.\s*[A-Za-z_$][\w$]*|->\s*[A-Za-z_$][\w$]*|\[\s*(?:0x[0-9a-fA-F]+|[0-9]+)\s*\]))*\s*$/;
const TYPE = /^(?:(?:const|volatile)\s+)*(?:(?:struct|union|enum)\s+)?[A-Za-z_$][\w$]*(?:\s+[A-Za-z_$][\w$]*)*\s*(?:\*\s*)+$/;

/** Index of the ')' matching the '(' at `open`, or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

function pathOf(rest: string, whole: string): string {
  if (!PATH.test(rest)) throw new UsageError(`cannot parse '${whole}': expected .member, ->member or [N] at '${rest.trim()}'`);
  return rest.trim();
}

export function parseExpr(text: string): Expr {
  const whole = text;
  let t = text.trim();
  if (t === '') throw new UsageError('print needs an expression');
  let deref = false;
  if (t.startsWith('*')) {
    deref = true;
    t = t.slice(1).trimStart();
    if (!t.startsWith('(')) throw new UsageError(`cannot parse '${whole}': '*' must be followed by a cast such as (struct prison *)`);
  }
  if (t.startsWith('(')) {
    const end = closing(t, 0);
    if (end < 0) throw new UsageError(`cannot parse '${whole}': unbalanced parentheses`);
    const inner = t.slice(1, end).trim();
    const after = t.slice(end + 1).trimStart();
    if (TYPE.test(inner)) {
      const m = ADDR.exec(after);
      if (!m) throw new UsageError(`cannot parse '${whole}': expected an address after (${inner})`);
      return { base: { kind: 'cast', type: inner.replace(/\s+/g, ' '), addr: m[1]!.replace(/\s+/g, ''), deref }, path: pathOf(after.slice(m[0].length), whole) };
    }
    if (deref) throw new UsageError(`cannot parse '${whole}': '*' applies to a cast (TYPE *)ADDR only`);
    const sub = parseExpr(inner);
    return { base: sub.base, path: sub.path + pathOf(after, whole) };
  }
  const m = NAME.exec(t);
  if (!m) throw new UsageError(`cannot parse '${whole}': expected a global name, (TYPE *)ADDR or *(TYPE *)ADDR`);
  return { base: { kind: 'name', name: m[0] }, path: pathOf(t.slice(m[0].length), whole) };
}
