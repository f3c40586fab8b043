/**
 * `netstat -s`: which protocol blocks print, in which order, from one vnet's statistics.
 *
 * FreeBSD walks its IPv4 table (tcp, udp, ..., ip, icmp, ...) and then its IPv6 table (tcp, udp,
 * ip6, icmp6, ..., rip6), printing tcp and udp once, and skips a block whose kernel symbol is
 * missing. We have tcp, udp, ip, icmp, ip6, icmp6 and rip6; a block prints when its data is present.
 */

import type { ProtocolStats } from '../model';
import type { XoOutput } from '../xo';
import type { ProtocolBlock } from './engine';
import { renderProtocol } from './engine';
import { tcpBlock } from './tcp';
import { UDP_BLOCK } from './udp';
import { IP_BLOCK } from './ip';
import { ICMP_BLOCK } from './icmp';
import { IP6_BLOCK } from './ip6';
import { ICMP6_BLOCK } from './icmp6';
import { RIP6_BLOCK } from './rip6';

export type StatsProtocol = 'tcp' | 'udp' | 'ip' | 'icmp' | 'ip6' | 'icmp6' | 'rip6';

const INET: readonly StatsProtocol[] = ['tcp', 'udp', 'ip', 'icmp'];
const INET6: readonly StatsProtocol[] = ['tcp', 'udp', 'ip6', 'icmp6', 'rip6'];

/** Protocols printed for -f (or none given), before data presence is checked. */
export function protocolsFor(family: 'inet' | 'inet6' | 'link' | null | undefined): StatsProtocol[] {
  if (family === 'inet') return [...INET];
  if (family === 'inet6') return [...INET6];
  if (family === 'link') return [];
  return [...new Set<StatsProtocol>([...INET, ...INET6])];
}

function blockFor(p: StatsProtocol, stats: ProtocolStats): ProtocolBlock | null {
  switch (p) {
    case 'tcp':
      return stats.tcp ? tcpBlock(stats.tcpStates ?? null) : null;
    case 'udp':
      return stats.udp ? UDP_BLOCK : null;
    case 'ip':
      return stats.ip ? IP_BLOCK : null;
    case 'icmp':
      return stats.icmp ? ICMP_BLOCK : null;
    case 'ip6':
      return stats.ip6 ? IP6_BLOCK : null;
    case 'icmp6':
      return stats.icmp6 ? ICMP6_BLOCK : null;
    case 'rip6':
      return stats.rip6 ? RIP6_BLOCK : null;
  }
}

/** Render the given protocols (in order) into `out`, inside the caller's "statistics" container. */
export function renderProtocolStats(
  out: XoOutput,
  stats: ProtocolStats,
  protocols: readonly StatsProtocol[],
  sflag: number,
  ifname: (index: number) => string | null,
): void {
  for (const p of protocols) {
    const block = blockFor(p, stats);
    const rec = stats[p];
    if (!block || !rec) continue;
    renderProtocol({ out, sflag, rec, ifname }, block);
  }
}
