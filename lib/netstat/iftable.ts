/**
 * `netstat -i` (intpr() in usr.bin/netstat/if.c): one row for each interface's link address and
 * one for each further address, in list order, as getifaddrs(3) would list them.
 *
 * Two layouts:
 *   - FreeBSD 14 and later (default): column widths measured over all rows first (MEASURE), then
 *     printed (EMIT). Name >= 5, Network/Address >= 8, counters through max_num_len() unless -h.
 *   - FreeBSD 13 and older (--compat 13): fixed widths, Network 13 / Address 17 truncated; with
 *     -W Name grows and Network/Address become 18/17, or 24/39 when an IPv6 row is shown.
 */

import type { InterfaceAddress, NetInterface, VnetView } from './model';
import { XoOutput } from './xo';
import { humanizeNumber } from './humanize';
import { decodeSin6, inetAddrBytes, inet6MaskBytes } from './sockaddr';
import type { IfIndexToName } from './addrfmt';
import { inetNetName, inetNtop4, inet6HostName, inet6NetName, isEmptyLink, linkAddressName } from './addrfmt';

const IFF_UP = 0x1;

/** The -i flags that shape the table. */
export interface IfTableOptions {
  /** -I: only rows of this interface (exact name). */
  interface?: string | null;
  /** -f / -4 / -6: only rows of this family. */
  family?: 'inet' | 'inet6' | 'link' | null;
  /** -f named a family that has no interface rows here (unix, pfkey, ...): header only. */
  familyNone?: boolean;
  b?: boolean;
  d?: boolean;
  h?: boolean;
  W?: boolean;
  /** 13: the fixed-width layout of FreeBSD 13.x and older. */
  compat?: 13 | 14;
}

type RowKind = 'link' | 'network' | 'unspec' | 'other';

interface Row {
  name: string;
  down: boolean;
  flags: number;
  mtu: number;
  kind: RowKind;
  ipv6: boolean;
  /** Network column text (null: nothing printed, an unknown family). */
  network: string | null;
  /** Address column text (null: blank link address). */
  address: string | null;
  ipackets: bigint;
  ierrors: bigint;
  iqdrops: bigint;
  ibytes: bigint;
  opackets: bigint;
  oerrors: bigint;
  obytes: bigint;
  collisions: bigint;
  oqdrops: bigint;
}

function u64(v: bigint): bigint {
  return BigInt.asUintN(64, v);
}

/** Build the index -> name lookup of one vnet (for `%ifname` zones). */
export function ifIndexMap(interfaces: readonly NetInterface[]): IfIndexToName {
  const names = new Map<number, string>();
  for (const ifp of interfaces) if (!names.has(ifp.index)) names.set(ifp.index, ifp.name);
  return (i) => names.get(i) ?? null;
}

function normalizeFamily(f: InterfaceAddress['family']): 'inet' | 'inet6' | 'unspec' | number {
  if (f === 'inet' || f === 2) return 'inet';
  if (f === 'inet6' || f === 28) return 'inet6';
  if (f === 0) return 'unspec';
  return f;
}

function linkRow(ifp: NetInterface): Row {
  const c = ifp.counters;
  return {
    name: ifp.name,
    down: (ifp.flags & IFF_UP) === 0,
    flags: ifp.flags,
    mtu: ifp.mtu,
    kind: 'link',
    ipv6: false,
    network: `<Link#${ifp.index}>`,
    address: isEmptyLink(ifp.link) ? null : linkAddressName(ifp.link!),
    ipackets: u64(c.ipackets),
    ierrors: u64(c.ierrors),
    iqdrops: u64(c.iqdrops),
    ibytes: u64(c.ibytes),
    opackets: u64(c.opackets),
    oerrors: u64(c.oerrors),
    obytes: u64(c.obytes),
    collisions: u64(c.collisions),
    oqdrops: u64(c.oqdrops),
  };
}

function addressRow(ifp: NetInterface, a: InterfaceAddress, ifname: IfIndexToName, view: VnetView): Row {
  const fam = normalizeFamily(a.family);
  let kind: RowKind = 'other';
  let network: string | null = null;
  let address: string | null = null;
  if (fam === 'inet') {
    kind = 'network';
    const addr = inetAddrBytes(a.addr);
    network = inetNetName(addr, a.netmask ? inetAddrBytes(a.netmask) : null);
    address = inetNtop4(addr);
  } else if (fam === 'inet6') {
    kind = 'network';
    const sin6 = decodeSin6(a.addr, view.byteOrder ?? 'little');
    network = inet6NetName(sin6, a.netmask ? inet6MaskBytes(a.netmask) : null, ifname);
    address = inet6HostName(sin6, ifname);
  } else if (fam === 'unspec') {
    kind = 'unspec';
    network = 'none';
    address = 'none';
  }
  const c = a.counters;
  return {
    name: ifp.name,
    down: (ifp.flags & IFF_UP) === 0,
    flags: ifp.flags,
    mtu: 0, // getifaddrs gives address entries an if_data with only the four counters
    kind,
    ipv6: fam === 'inet6',
    network,
    address,
    ipackets: u64(c.ipackets),
    ierrors: 0n,
    iqdrops: 0n,
    ibytes: u64(c.ibytes),
    opackets: u64(c.opackets),
    oerrors: 0n,
    obytes: u64(c.obytes),
    collisions: 0n,
    oqdrops: 0n,
  };
}

function familyOfAddress(a: InterfaceAddress): string {
  const f = normalizeFamily(a.family);
  return typeof f === 'number' ? `#${f}` : f;
}

/** The rows netstat would print, after -I and -f filtering. */
function collectRows(view: VnetView, opts: IfTableOptions): Row[] {
  const ifname = ifIndexMap(view.interfaces);
  const rows: Row[] = [];
  if (opts.familyNone) return rows;
  for (const ifp of view.interfaces) {
    if (opts.interface != null && ifp.name !== opts.interface) continue;
    if (!opts.family || opts.family === 'link') rows.push(linkRow(ifp));
    for (const a of ifp.addresses) {
      if (opts.family && familyOfAddress(a) !== opts.family) continue;
      rows.push(addressRow(ifp, a, ifname, view));
    }
  }
  return rows;
}

/** netstat's max_num_len(): 2 for the separating space and first digit, +1 per division while > 10. */
export function maxNumLen(cur: number, n: bigint): number {
  let len = 2;
  for (; n > 10n; len++) n /= 10n;
  return Math.max(cur, len);
}

function padLeft(s: string, w: number): string {
  return s.length >= w ? s : ' '.repeat(w - s.length) + s;
}
function padRight(s: string, w: number): string {
  return s.length >= w ? s : s + ' '.repeat(w - s.length);
}
/** printf "%-W.Ps". */
function padRightTrunc(s: string, w: number): string {
  return padRight(s.length > w ? s.slice(0, w) : s, w);
}

interface StatSpec {
  key: string;
  width: number;
  value: bigint;
  show: boolean;
  div1000: boolean;
  /** show_stat "LS" prefix: a leading space. */
  lsep?: boolean;
  /** show_stat "NRS" prefix: no trailing space. */
  noRsep?: boolean;
}

/** show_stat(): a right-aligned value (or `-`) between netstat's separators. */
function showStat(out: XoOutput, s: StatSpec, h: boolean): void {
  const l = s.lsep ? ' ' : '';
  const r = s.noRsep ? '' : ' ';
  if (!s.show) {
    out.text(`${l}${padLeft('-', s.width)}${r}`);
    return;
  }
  out.text(l);
  if (h) {
    const v = humanizeNumber(s.value, { len: 5, divisor1000: s.div1000 });
    out.field(s.key, v, padLeft(v, s.width));
  } else {
    out.field(s.key, s.value, padLeft(s.value.toString(), s.width));
  }
  out.text(r);
}

interface Widths {
  ifn: number;
  net: number;
  addr: number;
  npkt: number;
  nerr: number;
  nbyte: number;
}

function measure14(rows: Row[], opts: IfTableOptions): Widths {
  const w: Widths = { ifn: 5, net: 8, addr: 8, npkt: 8, nerr: 5, nbyte: 10 };
  for (const r of rows) {
    w.ifn = Math.max(w.ifn, r.name.length + (r.down ? 1 : 0));
    if (r.kind !== 'other') {
      w.net = Math.max(w.net, r.network!.length);
      w.addr = Math.max(w.addr, r.address === null ? 1 : r.address.length);
    }
    if (!opts.h) {
      w.npkt = maxNumLen(w.npkt, r.ipackets);
      w.npkt = maxNumLen(w.npkt, r.opackets);
      w.nerr = maxNumLen(w.nerr, r.ierrors);
      w.nerr = maxNumLen(w.nerr, r.iqdrops);
      w.nerr = maxNumLen(w.nerr, r.collisions);
      if (opts.d) w.nerr = maxNumLen(w.nerr, r.oqdrops);
      if (opts.b) {
        w.nbyte = maxNumLen(w.nbyte, r.ibytes);
        w.nbyte = maxNumLen(w.nbyte, r.obytes);
      }
    }
  }
  return w;
}

function measure13(rows: Row[], opts: IfTableOptions): Widths {
  const w: Widths = { ifn: 5, net: 13, addr: 17, npkt: 8, nerr: 5, nbyte: 10 };
  if (opts.W) {
    let ipv6 = false;
    for (const r of rows) {
      w.ifn = Math.max(w.ifn, r.name.length + (r.down ? 1 : 0));
      if (r.ipv6) ipv6 = true;
    }
    if (ipv6) {
      w.net = 24;
      w.addr = 39;
    } else w.net = 18;
  }
  return w;
}

function header(out: XoOutput, w: Widths, opts: IfTableOptions): void {
  let s = padRightTrunc('Name', w.ifn);
  s += ` ${padLeft('Mtu', 5)} ${padRightTrunc('Network', w.net)}`;
  s += opts.compat === 13 ? ' ' : '  ';
  s += `${padRightTrunc('Address', w.addr)} ${padLeft('Ipkts', w.npkt)} ${padLeft('Ierrs', w.nerr)} ${padLeft('Idrop', w.nerr)}`;
  if (opts.b) s += ` ${padLeft('Ibytes', w.nbyte)}`;
  s += ` ${padLeft('Opkts', w.npkt)} ${padLeft('Oerrs', w.nerr)}`;
  if (opts.b) s += ` ${padLeft('Obytes', w.nbyte)}`;
  s += ` ${padLeft('Coll', w.nerr)}`;
  if (opts.d) s += ` ${padLeft('Drop', w.nerr)}`;
  out.text(`${s}\n`);
}

/** Network and Address columns, 14.x: `%-*s` + two spaces, `%-*s` + one space. */
function columns14(out: XoOutput, r: Row, w: Widths): void {
  if (r.kind === 'link') {
    out.field('network', r.network!, padRightTrunc(r.network!, w.net));
    out.text('  ');
    if (r.address === null) out.text(`${' '.repeat(w.addr)} `);
    else {
      out.field('address', r.address, padRightTrunc(r.address, w.addr));
      out.text(' ');
    }
  } else if (r.kind === 'network') {
    out.field('network', r.network!, padRight(r.network!, w.net));
    out.text('  ');
    out.field('address', r.address!, padRight(r.address!, w.addr));
    out.text(' ');
  } else if (r.kind === 'unspec') {
    // {:network/%-*.*s}: no trim flag, so libxo's JSON keeps the padding.
    const n = padRightTrunc('none', w.net);
    out.field('network', n, n);
    out.text('  ');
    const a = padRightTrunc('none', w.addr);
    out.field('address', a, a);
    out.text(' ');
  }
}

/** Network and Address columns, 13.x: truncated to the fixed widths unless -W, one space each. */
function columns13(out: XoOutput, r: Row, w: Widths, W: boolean): void {
  if (r.kind === 'link') {
    const net = padRightTrunc(r.network!, w.net);
    out.field('network', net.trimEnd(), net);
    out.text(' ');
    if (r.address === null) out.text(`${' '.repeat(w.addr)} `);
    else {
      const a = padRightTrunc(r.address, w.addr);
      out.field('address', a.trimEnd(), a);
      out.text(' ');
    }
  } else if (r.kind === 'network') {
    const net = W ? padRight(r.network!, w.net) : padRightTrunc(r.network!, w.net);
    const addr = W ? padRight(r.address!, w.addr) : padRightTrunc(r.address!, w.addr);
    out.field('network', r.network!, net);
    out.text(' ');
    out.field('address', r.address!, addr);
    out.text(' ');
  } else if (r.kind === 'unspec') {
    const n = padRightTrunc('none', w.net);
    out.field('network', n, n);
    out.text(' ');
    const a = padRightTrunc('none', w.addr);
    out.field('address', a, a);
    out.text(' ');
  }
}

function emitRow(out: XoOutput, r: Row, w: Widths, opts: IfTableOptions): void {
  const h = !!opts.h;
  out.openInstance();
  out.text(padRightTrunc(r.down ? `${r.name}*` : r.name, w.ifn));
  out.encode('name', r.name);
  out.encode('flags', `0x${(r.flags >>> 0).toString(16)}`);
  // show_stat() takes its show flag as a C short, so an MTU that is a multiple of 65536 shows '-'.
  const mtuShown = (r.mtu & 0xffff) !== 0;
  showStat(out, { key: 'mtu', width: 6, value: BigInt(r.mtu >>> 0), show: mtuShown, div1000: false }, h);
  if (opts.compat === 13) columns13(out, r, w, !!opts.W);
  else columns14(out, r, w);
  const link = r.kind === 'link';
  const any = link || r.kind === 'network';
  showStat(out, { key: 'received-packets', width: w.npkt, value: r.ipackets, show: any, div1000: true }, h);
  showStat(out, { key: 'received-errors', width: w.nerr, value: r.ierrors, show: link, div1000: true }, h);
  showStat(out, { key: 'dropped-packets', width: w.nerr, value: r.iqdrops, show: link, div1000: true }, h);
  if (opts.b) showStat(out, { key: 'received-bytes', width: w.nbyte, value: r.ibytes, show: any, div1000: false }, h);
  showStat(out, { key: 'sent-packets', width: w.npkt, value: r.opackets, show: any, div1000: true }, h);
  showStat(out, { key: 'send-errors', width: w.nerr, value: r.oerrors, show: link, div1000: true }, h);
  if (opts.b) showStat(out, { key: 'sent-bytes', width: w.nbyte, value: r.obytes, show: any, div1000: false }, h);
  showStat(out, { key: 'collisions', width: w.nerr, value: r.collisions, show: link, div1000: true, noRsep: true }, h);
  if (opts.d) {
    showStat(out, { key: 'dropped-packets', width: w.nerr, value: r.oqdrops, show: link, div1000: true, lsep: true }, h);
  }
  out.text('\n');
  out.closeInstance();
}

/** Render the interface table of one vnet into `out` (inside the caller's "statistics" container). */
export function renderInterfaces(out: XoOutput, view: VnetView, opts: IfTableOptions): void {
  const rows = collectRows(view, opts);
  const w = opts.compat === 13 ? measure13(rows, opts) : measure14(rows, opts);
  out.openList('interface');
  header(out, w, opts);
  for (const r of rows) emitRow(out, r, w, opts);
  out.closeList();
}
