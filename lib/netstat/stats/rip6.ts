/**
 * `rip6:` of netstat -s (rip6_stats() in usr.bin/netstat/inet6.c), struct rip6stat of
 * sys/netinet6/raw_ip6.h.
 */

import type { ProtocolBlock } from './engine';
import { line } from './engine';
import { deliveredLine } from './udp';

export const RIP6_BLOCK: ProtocolBlock = {
  name: 'rip6',
  items: [
    line('\t{rip6s_ipackets:received-packets} message{s} received'),
    line('\t{rip6s_isum:input-checksum-computation} checksum calculation{s} on inbound'),
    line('\t{rip6s_badsum:received-bad-checksum} message{s} with bad checksum'),
    line('\t{rip6s_nosock:dropped-no-socket} message{s} dropped due to no socket'),
    line('\t{rip6s_nosockmcast:dropped-multicast-no-socket} multicast message{s} dropped due to no socket'),
    line('\t{rip6s_fullsock:dropped-full-socket-buffer} message{s} dropped due to full socket buffers'),
    deliveredLine('rip6s_ipackets', ['rip6s_badsum', 'rip6s_nosock', 'rip6s_nosockmcast', 'rip6s_fullsock']),
    line('\t{rip6s_opackets:sent-packets} datagram{s} output'),
  ],
};
