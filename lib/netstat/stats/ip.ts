/**
 * `ip:` of netstat -s (ip_stats() in usr.bin/netstat/inet.c), struct ipstat of
 * sys/netinet/ip_var.h. The forwarded / fast-forwarded pair shares one line, and its newline is
 * printed only when the forwarded count is shown, so with -s -s a lone fast-forward count runs
 * into the next line exactly as in netstat.
 */

import type { ProtocolBlock } from './engine';
import { custom, line, scalar } from './engine';

export const IP_BLOCK: ProtocolBlock = {
  name: 'ip',
  items: [
    line('\t{ips_total:received-packets} total packet{s} received'),
    line('\t{ips_badsum:dropped-bad-checksum} bad header checksum{s}'),
    line('\t{ips_toosmall:dropped-below-minimum-size} with size smaller than minimum'),
    line('\t{ips_tooshort:dropped-short-packets} with data size < data length'),
    line('\t{ips_toolong:dropped-too-long} with ip length > max ip packet size'),
    line('\t{ips_badhlen:dropped-short-header-length} with header length < data size'),
    line('\t{ips_badlen:dropped-short-data} with data length < header length'),
    line('\t{ips_badoptions:dropped-bad-options} with bad options'),
    line('\t{ips_badvers:dropped-bad-version} with incorrect version number'),
    line('\t{ips_fragments:received-fragments} fragment{s} received'),
    line('\t{ips_fragdropped:dropped-fragments} fragment{s} dropped (dup or out of space)'),
    line('\t{ips_fragtimeout:dropped-fragments-after-timeout} fragment{s} dropped after timeout'),
    line('\t{ips_reassembled:reassembled-packets} packet{s} reassembled ok'),
    line('\t{ips_delivered:received-local-packets} packet{s} for this host'),
    line('\t{ips_noproto:dropped-unknown-protocol} packet{s} for unknown/unsupported protocol'),
    line('\t{ips_forward:forwarded-packets} packet{s} forwarded', false),
    line(' ({ips_fastforward:fast-forwarded-packets} packet{s} fast forwarded)', false),
    custom((ctx) => {
      const fwd = scalar(ctx.rec, 'ips_forward');
      if (fwd !== undefined && (fwd !== 0n || ctx.sflag <= 1)) ctx.out.text('\n');
    }),
    line('\t{ips_cantforward:packets-cannot-forward} packet{s} not forwardable'),
    line('\t{ips_notmember:received-unknown-multicast-group} packet{s} received for unknown multicast group'),
    line('\t{ips_redirectsent:redirects-sent} redirect{s} sent'),
    line('\t{ips_localout:sent-packets} packet{s} sent from this host'),
    line('\t{ips_rawout:send-packets-fabricated-header} packet{s} sent with fabricated ip header'),
    line('\t{ips_odropped:discard-no-mbufs} output packet{s} dropped due to no bufs, etc.'),
    line('\t{ips_noroute:discard-no-route} output packet{s} discarded due to no route'),
    line('\t{ips_fragmented:sent-fragments} output datagram{s} fragmented'),
    line('\t{ips_ofragments:fragments-created} fragment{s} created'),
    line("\t{ips_cantfrag:discard-cannot-fragment} datagram{s} that can't be fragmented"),
    line("\t{ips_nogif:discard-tunnel-no-gif} tunneling packet{s} that can't find gif"),
    line('\t{ips_badaddr:discard-bad-address} datagram{s} with bad address in header'),
  ],
};
