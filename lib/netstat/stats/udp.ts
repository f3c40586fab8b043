/**
 * `udp:` of netstat -s (udp_stats() in usr.bin/netstat/inet.c), struct udpstat of
 * sys/netinet/udp_var.h.
 */

import type { ProtocolBlock, StatsContext } from './engine';
import { custom, line, scalar } from './engine';

/**
 * `N delivered`: received datagrams minus every drop counter, in uint64 arithmetic (it wraps when
 * the counters disagree, as netstat's does). Shown if non-zero or with a single -s.
 */
export function deliveredLine(received: string, minus: readonly string[]) {
  return custom((ctx: StatsContext) => {
    let d = scalar(ctx.rec, received);
    if (d === undefined) return;
    for (const m of minus) {
      const v = scalar(ctx.rec, m);
      if (v === undefined) return;
      d -= v;
    }
    d = BigInt.asUintN(64, d);
    if (d === 0n && ctx.sflag > 1) return;
    ctx.out.text('\t');
    ctx.out.field('delivered-packets', d, d.toString());
    ctx.out.text(' delivered\n');
  });
}

export const UDP_BLOCK: ProtocolBlock = {
  name: 'udp',
  items: [
    line('\t{udps_ipackets:received-datagrams} datagram{s} received'),
    line('\t{udps_hdrops:dropped-incomplete-headers} with incomplete header'),
    line('\t{udps_badlen:dropped-bad-data-length} with bad data length field'),
    line('\t{udps_badsum:dropped-bad-checksum} with bad checksum'),
    line('\t{udps_nosum:dropped-no-checksum} with no checksum'),
    line('\t{udps_noport:dropped-no-socket} dropped due to no socket'),
    line('\t{udps_noportbcast:dropped-broadcast-multicast} broadcast/multicast datagram{s} undelivered'),
    line('\t{udps_fullsock:dropped-full-socket-buffer} dropped due to full socket buffers'),
    line('\t{udpps_pcbhashmiss:not-for-hashed-pcb} not for hashed pcb'),
    deliveredLine('udps_ipackets', [
      'udps_hdrops',
      'udps_badlen',
      'udps_badsum',
      'udps_noport',
      'udps_noportbcast',
      'udps_fullsock',
    ]),
    line('\t{udps_opackets:output-packets} datagram{s} output'),
    line('\t{udps_filtermcast:multicast-source-filter-matches} time{s} multicast source filter matched'),
  ],
};
