/**
 * kvm-netstat's parsed flags and their checks. The CLI (yargs) fills NetstatOptions in; the
 * messages for bad values are FreeBSD netstat's own.
 */

import type { StatsProtocol } from './stats';

/** `--libxo` style: text unless json. */
export interface LibxoStyle {
  json: boolean;
  pretty: boolean;
}

/** Parsed netstat flags (FreeBSD names). -4 / -6 are given as f: 'inet' / 'inet6'. */
export interface NetstatOptions {
  /** -i: the interface table. */
  i?: boolean;
  /** -I ifname: the interface table of one interface (implies -i). */
  I?: string | null;
  /** -b: byte columns. */
  b?: boolean;
  /** -d: output-drop column. */
  d?: boolean;
  /** -h: humanized counters (interface table only). */
  h?: boolean;
  /** -n: numeric addresses. Accepted; output is always numeric (a dump has no resolver). */
  n?: boolean;
  /** -W: wide (13.x layout only; no effect on the 14.x table). */
  W?: boolean;
  /** Number of -s flags: 1 prints every line, 2 or more hide zero lines. */
  s?: number;
  /** -p protocol. */
  p?: string | null;
  /** -f address family (-4 = inet, -6 = inet6). */
  f?: string | null;
  /** --compat 13: FreeBSD 13.x fixed-width interface table. Default 14. */
  compat?: 13 | 14;
  /** --libxo json[,pretty]; text when absent. */
  libxo?: LibxoStyle | null;
  /** --all-vnets: one block per vnet. */
  allVnets?: boolean;
}

/** Families -f accepts (FreeBSD's list; the ones without -i/-s rows here simply match nothing). */
const FAMILIES = ['inet', 'inet6', 'link', 'pfkey', 'unix', 'local', 'ng', 'netgraph'] as const;

/**
 * -p names we can print, and the /etc/protocols aliases FreeBSD's name2protox() maps onto them
 * (the stock file's upper-case aliases of ip, icmp, tcp and udp).
 */
const PROTOCOLS: Record<string, StatsProtocol> = {
  tcp: 'tcp',
  udp: 'udp',
  ip: 'ip',
  icmp: 'icmp',
  ip6: 'ip6',
  icmp6: 'icmp6',
  rip6: 'rip6',
  TCP: 'tcp',
  UDP: 'udp',
  IP: 'ip',
  ICMP: 'icmp',
};

/** FreeBSD's message for a bad -p value. */
export function unknownProtocolMessage(name: string): string {
  return `${name}: unknown or uninstrumented protocol`;
}

/** FreeBSD's message for a bad -f value. */
export function unknownFamilyMessage(name: string): string {
  return `${name}: unknown address family`;
}

/** The protocol -p names, or null if it is not one we print. */
export function resolveProtocol(name: string): StatsProtocol | null {
  return Object.prototype.hasOwnProperty.call(PROTOCOLS, name) ? PROTOCOLS[name]! : null;
}

/** The -f family, or null if unknown. */
export function resolveFamily(name: string): (typeof FAMILIES)[number] | null {
  return (FAMILIES as readonly string[]).includes(name) ? (name as (typeof FAMILIES)[number]) : null;
}

/** The first problem with `o` as a user-facing message, or null if it can be rendered. */
export function validateNetstatOptions(o: NetstatOptions): string | null {
  if (o.p != null && resolveProtocol(o.p) === null) return unknownProtocolMessage(o.p);
  if (o.f != null && resolveFamily(o.f) === null) return unknownFamilyMessage(o.f);
  if (o.compat !== undefined && o.compat !== 13 && o.compat !== 14) return '--compat: expected 13 or 14';
  const iflag = !!o.i || o.I != null;
  const sflag = o.s ?? 0;
  if (iflag && sflag > 0) {
    return 'per-interface protocol statistics (-i with -s) are not available from a crash dump';
  }
  if (!iflag && sflag <= 0) {
    return 'nothing to show: use -i, -I interface or -s (socket lists are not available from a crash dump)';
  }
  return null;
}
