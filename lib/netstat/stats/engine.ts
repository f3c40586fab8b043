/**
 * The machinery behind `netstat -s`: each protocol is a list of items (counter lines written as
 * templates, JSON containers, and hand-written pieces for the irregular parts), rendered with
 * netstat's rules:
 *   - a line prints if any of its counters is non-zero, or always with a single -s
 *     (its p/p1a/p2/p2a/p3 macros all test `f || sflag <= 1`);
 *   - numbers are plain unpadded decimals (uint64);
 *   - a line whose counter is missing from the dumped kernel's struct is skipped.
 *
 * Template syntax: `{member:json-key}` is a counter (member may be a dotted path into a nested
 * struct), `{s}` / `{es}` / `{y|ies}` pluralize the counter before them (`s`/`es` unless it is 1;
 * `y` if 1 else `ies`). Everything else is literal text. A line ends with a newline unless the item
 * says `nl: false`.
 */

import type { StatRecord, StatValue } from '../model';
import type { XoOutput } from '../xo';

/** State shared by the items of one protocol block. */
export interface StatsContext {
  out: XoOutput;
  /** Number of -s flags. */
  sflag: number;
  rec: StatRecord;
  /** Interface index -> name within the selected vnet (ip6s_m2m). */
  ifname: (index: number) => string | null;
}

type Piece =
  | { kind: 'text'; text: string }
  | { kind: 'value'; path: string[]; key: string }
  | { kind: 'plural'; one: string; many: string };

export interface CompiledLine {
  pieces: Piece[];
  nl: boolean;
}

export type StatItem =
  | CompiledLine
  | { kind: 'container'; name: string; items: StatItem[] }
  | { kind: 'custom'; render: (ctx: StatsContext) => void };

const TOKEN = /\{([^{}]*)\}/g;

/** Compile a line template (see the module comment). */
export function line(template: string, nl = true): CompiledLine {
  const pieces: Piece[] = [];
  let last = 0;
  for (const m of template.matchAll(TOKEN)) {
    if (m.index! > last) pieces.push({ kind: 'text', text: template.slice(last, m.index) });
    const body = m[1]!;
    if (body === 's') pieces.push({ kind: 'plural', one: '', many: 's' });
    else if (body === 'es') pieces.push({ kind: 'plural', one: '', many: 'es' });
    else if (body === 'y|ies') pieces.push({ kind: 'plural', one: 'y', many: 'ies' });
    else {
      const colon = body.indexOf(':');
      if (colon < 0) throw new Error(`stats template: bad token {${body}} in ${template}`);
      pieces.push({ kind: 'value', path: body.slice(0, colon).split('.'), key: body.slice(colon + 1) });
    }
    last = m.index! + m[0].length;
  }
  if (last < template.length) pieces.push({ kind: 'text', text: template.slice(last) });
  return { pieces, nl };
}

export function container(name: string, items: StatItem[]): StatItem {
  return { kind: 'container', name, items };
}

export function custom(render: (ctx: StatsContext) => void): StatItem {
  return { kind: 'custom', render };
}

/** Look up a member path; undefined when absent (older kernel) or not the expected kind. */
export function lookup(rec: StatRecord, path: readonly string[]): StatValue | undefined {
  let v: StatValue | undefined = rec;
  for (const p of path) {
    if (v === undefined || typeof v === 'bigint' || Array.isArray(v)) return undefined;
    v = (v as StatRecord)[p];
  }
  return v;
}

/** A scalar counter as uint64, or undefined when absent. */
export function scalar(rec: StatRecord, member: string): bigint | undefined {
  const v = lookup(rec, member.split('.'));
  return typeof v === 'bigint' ? BigInt.asUintN(64, v) : undefined;
}

/** An array counter, or undefined when absent. */
export function array(rec: StatRecord, member: string): bigint[] | undefined {
  const v = lookup(rec, member.split('.'));
  return Array.isArray(v) ? v.map((x) => BigInt.asUintN(64, x)) : undefined;
}

/** Plural form netstat's plural()/plurales()/pluralies() choose for n. */
function pluralOf(p: { one: string; many: string }, n: bigint): string {
  return n === 1n ? p.one : p.many;
}

function renderLine(ctx: StatsContext, l: CompiledLine): void {
  const values: bigint[] = [];
  for (const p of l.pieces) {
    if (p.kind !== 'value') continue;
    const v = lookup(ctx.rec, p.path);
    if (typeof v !== 'bigint') return; // not in this kernel's struct
    values.push(BigInt.asUintN(64, v));
  }
  if (ctx.sflag > 1 && values.every((v) => v === 0n)) return;
  let i = 0;
  let lastValue = 0n;
  for (const p of l.pieces) {
    if (p.kind === 'text') ctx.out.text(p.text);
    else if (p.kind === 'value') {
      lastValue = values[i++]!;
      ctx.out.field(p.key, lastValue, lastValue.toString());
    } else ctx.out.text(pluralOf(p, lastValue));
  }
  if (l.nl) ctx.out.text('\n');
}

export function renderItems(ctx: StatsContext, items: readonly StatItem[]): void {
  for (const item of items) {
    if ('pieces' in item) renderLine(ctx, item);
    else if (item.kind === 'container') {
      ctx.out.openContainer(item.name);
      renderItems(ctx, item.items);
      ctx.out.closeContainer();
    } else item.render(ctx);
  }
}

/**
 * A histogram (ICMP, IPv6 next header, ICMPv6): when any entry is non-zero, a title line and one
 * `NAME: N` line per non-zero entry, as a JSON list of {name, count}. Zero entries never print,
 * whatever the -s count.
 */
export function histogram(
  member: string,
  listName: string,
  title: string,
  name: (i: number) => { text: string; json: string | number },
): StatItem {
  return custom((ctx) => {
    const h = array(ctx.rec, member);
    if (!h) return;
    let first = true;
    h.forEach((n, i) => {
      if (n === 0n) return;
      if (first) {
        ctx.out.openList(listName);
        ctx.out.text(title);
        first = false;
      }
      const nm = name(i);
      ctx.out.openInstance();
      ctx.out.text('\t\t');
      ctx.out.field('name', nm.json, nm.text);
      ctx.out.text(': ');
      ctx.out.field('count', n, n.toString());
      ctx.out.text('\n');
      ctx.out.closeInstance();
    });
    if (!first) ctx.out.closeList();
  });
}

/** A protocol block: `name:` title and a JSON container of the same name. */
export interface ProtocolBlock {
  name: string;
  items: StatItem[];
}

export function renderProtocol(ctx: StatsContext, block: ProtocolBlock): void {
  ctx.out.openContainer(block.name);
  ctx.out.text(`${block.name}:\n`);
  renderItems(ctx, block.items);
  ctx.out.closeContainer();
}
