/**
 * `ip6:` of netstat -s (ip6_stats() in usr.bin/netstat/inet6.c), struct ip6stat of
 * sys/netinet6/ip6_var.h: counters, the next-header histogram, mbuf statistics (with
 * ip6s_m2m's per-interface counts named among the selected vnet's interfaces, `(null)` where the
 * index names none), and the source address selection blocks.
 */

import type { ProtocolBlock, StatItem, StatsContext } from './engine';
import { array, container, custom, histogram, line, scalar } from './engine';
import { IP6_NEXT_HEADER_NAMES, SOURCE_RULE_NAMES, tableName } from './names6';

/** An unconditional mbuf line: printed whatever the -s count. */
function alwaysLine(member: string, key: string, label: string): StatItem {
  return custom((ctx) => {
    const v = scalar(ctx.rec, member);
    if (v === undefined) return;
    ctx.out.text('\t\t');
    ctx.out.field(key, v, v.toString());
    ctx.out.text(` ${label}\n`);
  });
}

const mbufTwoOrMore = custom((ctx) => {
  const m2m = array(ctx.rec, 'ip6s_m2m');
  if (!m2m) return;
  let first = true;
  m2m.forEach((n, i) => {
    if (n === 0n) return;
    if (first) {
      ctx.out.text('\t\ttwo or more mbuf:\n');
      ctx.out.openList('mbuf-data');
      first = false;
    }
    // if_indextoname(i): index 0 and unknown indexes give NULL, which libxo prints as (null).
    const name = (i === 0 ? null : ctx.ifname(i)) ?? '(null)';
    ctx.out.openInstance();
    ctx.out.text('\t\t\t');
    ctx.out.field('name', name, name);
    ctx.out.text('= ');
    ctx.out.field('count', n, n.toString());
    ctx.out.text('\n');
    ctx.out.closeInstance();
  });
  if (!first) ctx.out.closeList();
});

/** C printf "%#x": 0 stays `0`, anything else gets `0x`. */
function hashX(i: number): string {
  return i === 0 ? '0' : `0x${i.toString(16)}`;
}

const SCOPE_NAMES: Record<number, [string, string]> = {
  1: ['interface-locals', 'interface-local'],
  2: ['link-locals', 'link-local'],
  5: ['site-locals', 'site-local'],
  14: ['globals', 'global'],
};

/** One PRINT_SCOPESTAT line for scope index i with a non-zero count n. */
function scopeLine(ctx: StatsContext, i: number, n: bigint): void {
  const named = SCOPE_NAMES[i];
  ctx.out.text('\t\t');
  if (named) {
    ctx.out.encode('name', named[0]);
    ctx.out.field('count', n, n.toString());
    ctx.out.text(` ${named[1]}${n === 1n ? '' : 's'}\n`);
  } else {
    ctx.out.encode('name', hashX(i));
    ctx.out.field('count', n, n.toString());
    ctx.out.text(` addresses scope=${hashX(i)}\n`);
  }
}

/** A source-address block: a title and one scope line per non-zero entry, as a JSON list. */
function scopeBlock(member: string, listName: string, title: string): StatItem {
  return custom((ctx) => {
    const a = array(ctx.rec, member);
    if (!a) return;
    let first = true;
    a.forEach((n, i) => {
      if (n === 0n) return;
      if (first) {
        ctx.out.openList(listName);
        ctx.out.text(title);
        first = false;
      }
      ctx.out.openInstance();
      scopeLine(ctx, i, n);
      ctx.out.closeInstance();
    });
    if (!first) ctx.out.closeList();
  });
}

const rulesApplied = custom((ctx) => {
  const a = array(ctx.rec, 'ip6s_sources_rule');
  if (!a) return;
  let first = true;
  a.forEach((n, i) => {
    if (n === 0n) return;
    if (first) {
      ctx.out.openList('rules-applied');
      ctx.out.text('\tSource addresses selection rule applied:\n');
      first = false;
    }
    const rule = SOURCE_RULE_NAMES[i] ?? '(null)';
    ctx.out.openInstance();
    ctx.out.text('\t\t');
    ctx.out.encode('name', rule);
    ctx.out.field('count', n, n.toString());
    ctx.out.text(` ${rule}\n`);
    ctx.out.closeInstance();
  });
  if (!first) ctx.out.closeList();
});

export const IP6_BLOCK: ProtocolBlock = {
  name: 'ip6',
  items: [
    line('\t{ip6s_total:received-packets} total packet{s} received'),
    line('\t{ip6s_toosmall:dropped-below-minimum-size} with size smaller than minimum'),
    line('\t{ip6s_tooshort:dropped-short-packets} with data size < data length'),
    line('\t{ip6s_badoptions:dropped-bad-options} with bad options'),
    line('\t{ip6s_badvers:dropped-bad-version} with incorrect version number'),
    line('\t{ip6s_fragments:received-fragments} fragment{s} received'),
    line('\t{ip6s_fragdropped:dropped-fragment} fragment{s} dropped (dup or out of space)'),
    line('\t{ip6s_fragtimeout:dropped-fragment-after-timeout} fragment{s} dropped after timeout'),
    line('\t{ip6s_fragoverflow:dropped-fragments-overflow} fragment{s} that exceeded limit'),
    line('\t{ip6s_atomicfrags:atomic-fragments} atomic fragment{s}'),
    line('\t{ip6s_reassembled:reassembled-packets} packet{s} reassembled ok'),
    line('\t{ip6s_delivered:received-local-packets} packet{s} for this host'),
    line('\t{ip6s_forward:forwarded-packets} packet{s} forwarded'),
    line('\t{ip6s_cantforward:packets-not-forwardable} packet{s} not forwardable'),
    line('\t{ip6s_redirectsent:sent-redirects} redirect{s} sent'),
    line('\t{ip6s_localout:sent-packets} packet{s} sent from this host'),
    line('\t{ip6s_rawout:send-packets-fabricated-header} packet{s} sent with fabricated ip header'),
    line('\t{ip6s_odropped:discard-no-mbufs} output packet{s} dropped due to no bufs, etc.'),
    line('\t{ip6s_noroute:discard-no-route} output packet{s} discarded due to no route'),
    line('\t{ip6s_fragmented:sent-fragments} output datagram{s} fragmented'),
    line('\t{ip6s_ofragments:fragments-created} fragment{s} created'),
    line("\t{ip6s_cantfrag:discard-cannot-fragment} datagram{s} that can't be fragmented"),
    line('\t{ip6s_badscope:discard-scope-violations} packet{s} that violated scope rules'),
    line("\t{ip6s_notmember:multicast-no-join-packets} multicast packet{s} which we don't join"),
    histogram('ip6s_nxthist', 'input-histogram', '\tInput histogram:\n', (i) =>
      tableName(IP6_NEXT_HEADER_NAMES, i),
    ),
    container('mbuf-statistics', [
      custom((ctx) => ctx.out.text('\tMbuf statistics:\n')),
      alwaysLine('ip6s_m1', 'one-mbuf', 'one mbuf'),
      mbufTwoOrMore,
      alwaysLine('ip6s_mext1', 'one-extra-mbuf', 'one ext mbuf'),
      alwaysLine('ip6s_mext2m', 'two-or-more-extra-mbufs', 'two or more ext mbuf'),
    ]),
    line('\t{ip6s_exthdrtoolong:dropped-header-too-long} packet{s} whose headers are not contiguous'),
    line("\t{ip6s_nogif:discard-tunnel-no-gif} tunneling packet{s} that can't find gif"),
    line('\t{ip6s_toomanyhdr:dropped-too-many-headers} packet{s} discarded because of too many headers'),
    container('source-address-selection', [
      line('\t{ip6s_sources_none:address-selection-failures} failure{s} of source address selection'),
      scopeBlock('ip6s_sources_sameif', 'outgoing-interface', '\tsource addresses on an outgoing I/F\n'),
      scopeBlock('ip6s_sources_otherif', 'non-outgoing-interface', '\tsource addresses on a non-outgoing I/F\n'),
      scopeBlock('ip6s_sources_samescope', 'same-source', '\tsource addresses of same scope\n'),
      scopeBlock('ip6s_sources_otherscope', 'different-scope', '\tsource addresses of a different scope\n'),
      scopeBlock('ip6s_sources_deprecated', 'deprecated-source', '\tdeprecated source addresses\n'),
      rulesApplied,
    ]),
  ],
};
