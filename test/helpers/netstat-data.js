'use strict';
// Builders of kvm-netstat model data for the 7x tests: raw sockaddr bytes laid out as the kernel
// stores them (sockaddr_in, sockaddr_in6 with KAME embedded zones, sockaddr_dl) and interfaces.

/** Parse an IPv6 text address (with optional ::) into 16 bytes. */
function parse6(text) {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const words = (s) => (s ? s.split(':') : []);
  let parts = words(head);
  if (tail !== null) {
    const t = words(tail);
    parts = [...parts, ...Array(8 - parts.length - t.length).fill('0'), ...t];
  }
  const b = new Uint8Array(16);
  parts.forEach((w, i) => {
    const v = parseInt(w, 16);
    b[2 * i] = v >> 8;
    b[2 * i + 1] = v & 0xff;
  });
  return b;
}

/** struct sockaddr_in for a dotted quad. */
function sin(dotted) {
  const b = new Uint8Array(16);
  b[0] = 16;
  b[1] = 2;
  dotted.split('.').forEach((x, i) => (b[4 + i] = Number(x)));
  return b;
}

/** sockaddr_in netmask of a prefix length. */
function mask4(len) {
  const m = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return sin(`${m >>> 24}.${(m >>> 16) & 255}.${(m >>> 8) & 255}.${m & 255}`);
}

/** struct sockaddr_in6; `zone` is embedded KAME-style in bytes 2-3 of the address. */
function sin6(text, zone = 0, scopeId = 0) {
  const b = new Uint8Array(28);
  b[0] = 28;
  b[1] = 28;
  b.set(parse6(text), 8);
  if (zone) {
    b[10] = zone >> 8;
    b[11] = zone & 0xff;
  }
  new DataView(b.buffer).setUint32(24, scopeId, true);
  return b;
}

/** sockaddr_in6 netmask of a prefix length. */
function mask6(len) {
  const b = new Uint8Array(28);
  b[0] = 28;
  b[1] = 28;
  for (let i = 0; i < 16; i++) {
    const bits = Math.max(0, Math.min(8, len - 8 * i));
    b[8 + i] = (0xff00 >> bits) & 0xff;
  }
  return b;
}

/** A sockaddr_dl-like link address: name bytes then address bytes. */
function link(name, mac, type = 6) {
  const addr = mac ? mac.split(':').map((x) => parseInt(x, 16)) : [];
  const data = new Uint8Array([...Buffer.from(name, 'latin1'), ...addr]);
  return { type, nlen: name.length, alen: addr.length, slen: 0, data };
}

function ifCounters(c = {}) {
  const keys = ['ipackets', 'ierrors', 'opackets', 'oerrors', 'collisions', 'ibytes', 'obytes',
    'imcasts', 'omcasts', 'iqdrops', 'oqdrops', 'noproto'];
  const out = {};
  for (const k of keys) out[k] = BigInt(c[k] ?? 0);
  return out;
}

function addrCounters(c = {}) {
  return {
    ipackets: BigInt(c.ipackets ?? 0),
    opackets: BigInt(c.opackets ?? 0),
    ibytes: BigInt(c.ibytes ?? 0),
    obytes: BigInt(c.obytes ?? 0),
  };
}

function inet(dotted, len, c) {
  return { family: 'inet', addr: sin(dotted), netmask: mask4(len), dstaddr: null, counters: addrCounters(c) };
}

function inet6(text, len, c, zone = 0) {
  return { family: 'inet6', addr: sin6(text, zone), netmask: mask6(len), dstaddr: null, counters: addrCounters(c) };
}

function iface(name, index, opts = {}) {
  return {
    name,
    index,
    flags: opts.flags ?? 0x8843,
    mtu: opts.mtu ?? 1500,
    link: opts.link === undefined ? link(name, '00:00:00:00:00:00') : opts.link,
    counters: ifCounters(opts.counters),
    addresses: opts.addresses ?? [],
  };
}

function vnet(interfaces, stats = {}, extra = {}) {
  return { address: 0xfffff80003a1b000n, jails: [{ jid: 0, name: 'host' }], interfaces, stats, ...extra };
}

/** The em0 + lo0 interfaces behind the examples in freebsd-netstat.md §2.3 and §2.6. */
function docExample() {
  return vnet([
    iface('em0', 1, {
      flags: 0x8843,
      mtu: 1500,
      link: link('em0', '08:00:27:4f:3a:1c'),
      counters: { ipackets: 1523456, ierrors: 3, iqdrops: 12, opackets: 982310, oerrors: 0, collisions: 0,
        ibytes: 2012345678, obytes: 123456789, oqdrops: 7 },
      addresses: [
        inet('10.0.2.15', 24, { ipackets: 1500120, opackets: 980001, ibytes: 2000012345, obytes: 123000000 }),
        inet6('fe80::a00:27ff:fe4f:3a1c', 64, { ipackets: 0, opackets: 2, ibytes: 0, obytes: 152 }, 1),
      ],
    }),
    iface('lo0', 2, {
      flags: 0x8049,
      mtu: 16384,
      link: link('lo0', null, 0x18),
      counters: { ipackets: 1212, opackets: 1212, ibytes: 96464, obytes: 96464 },
      addresses: [
        inet6('::1', 128, {}),
        inet6('fe80::1', 64, {}, 2),
        inet('127.0.0.1', 8, { ipackets: 1212, opackets: 1212, ibytes: 96464, obytes: 96464 }),
      ],
    }),
  ]);
}

module.exports = { parse6, sin, mask4, sin6, mask6, link, ifCounters, addrCounters, inet, inet6, iface, vnet, docExample };

// Member lists of the kernel structs (FreeBSD 14.x order), for building StatRecords in tests.
const TCPSTAT_14_1 = ('connattempt accepts connects drops conndrops minmssdrops closed segstimed rttupdated ' +
  'delack timeoutdrop rexmttimeo persisttimeo keeptimeo keepprobe keepdrops progdrops sndtotal sndpack sndbyte ' +
  'sndrexmitpack sndrexmitbyte sndrexmitbad sndacks sndprobe sndurg sndwinup sndctrl rcvtotal rcvpack rcvbyte ' +
  'rcvbadsum rcvbadoff rcvreassfull rcvshort rcvduppack rcvdupbyte rcvpartduppack rcvpartdupbyte rcvoopack ' +
  'rcvoobyte rcvpackafterwin rcvbyteafterwin rcvafterclose rcvwinprobe rcvdupack rcvacktoomuch rcvackpack ' +
  'rcvackbyte rcvwinupd pawsdrop predack preddat pcbcachemiss cachedrtt cachedrttvar cachedssthresh usedrtt ' +
  'usedrttvar usedssthresh persistdrop badsyn mturesent listendrop badrst sc_added sc_retransmitted sc_dupsyn ' +
  'sc_dropped sc_completed sc_bucketoverflow sc_cacheoverflow sc_reset sc_stale sc_aborted sc_badack sc_unreach ' +
  'sc_zonefail sc_sendcookie sc_recvcookie hc_added hc_bucketoverflow finwait2_drops sack_recovery_episode ' +
  'sack_rexmits sack_rexmit_bytes sack_rcv_blocks sack_send_blocks sack_lostrexmt sack_sboverflow ecn_rcvce ' +
  'ecn_rcvect0 ecn_rcvect1 ecn_shs ecn_rcwnd sig_rcvgoodsig sig_rcvbadsig sig_err_buildsig sig_err_sigopt ' +
  'sig_err_nosigopt pmtud_blackhole_activated pmtud_blackhole_activated_min_mss pmtud_blackhole_failed ' +
  'tunneled_pkts tunneled_errs dsack_count dsack_bytes dsack_tlp_bytes tw_recycles tw_resets tw_responds ' +
  'ace_nect ace_ect1 ace_ect0 ace_ce ecn_sndect0 ecn_sndect1 tlpresends tlpresend_bytes').split(' ').map((n) => `tcps_${n}`);
const TCPSTAT_14_2 = [...TCPSTAT_14_1, 'tcps_rcvghostack', 'tcps_rcvacktooold'];
const UDPSTAT = ['udps_ipackets', 'udps_hdrops', 'udps_badsum', 'udps_nosum', 'udps_badlen', 'udps_noport',
  'udps_noportbcast', 'udps_fullsock', 'udpps_pcbcachemiss', 'udpps_pcbhashmiss', 'udps_opackets', 'udps_fastout',
  'udps_noportmcast', 'udps_filtermcast'];
const IPSTAT = ('total badsum tooshort toosmall badhlen badlen fragments fragdropped fragtimeout forward ' +
  'fastforward cantforward redirectsent noproto delivered localout odropped reassembled fragmented ofragments ' +
  'cantfrag badoptions noroute badvers rawout toolong notmember nogif badaddr').split(' ').map((n) => `ips_${n}`);
const IP6STAT_SCALARS = ('total tooshort toosmall fragments fragdropped fragtimeout fragoverflow forward ' +
  'cantforward redirectsent delivered localout odropped reassembled atomicfrags fragmented ofragments cantfrag ' +
  'badoptions noroute badvers rawout badscope notmember m1 mext1 mext2m exthdrtoolong nogif toomanyhdr ' +
  'sources_none').split(' ').map((n) => `ip6s_${n}`);
const ICMP6_ERRSTAT = ['dst_unreach_noroute', 'dst_unreach_admin', 'dst_unreach_beyondscope', 'dst_unreach_addr',
  'dst_unreach_noport', 'packet_too_big', 'time_exceed_transit', 'time_exceed_reassembly', 'paramprob_header',
  'paramprob_nextheader', 'paramprob_option', 'redirect', 'unknown'].map((n) => `icp6errs_${n}`);
const ICMP6STAT_SCALARS = ('error canterror toofreq badcode tooshort checksum badlen dropped reflect ' +
  'nd_toomanyopt pmtuchg nd_badopt badns badna badrs badra badredirect overflowdefrtr overflowprfx overflownndp ' +
  'overflowredirect invlhlim').split(' ').map((n) => `icp6s_${n}`);
const ICMPSTAT_SCALARS = ['icps_error', 'icps_oldshort', 'icps_oldicmp', 'icps_badcode', 'icps_tooshort',
  'icps_checksum', 'icps_badlen', 'icps_reflect', 'icps_bmcastecho', 'icps_bmcasttstamp', 'icps_badaddr',
  'icps_noroute'];
const RIP6STAT = ['rip6s_ipackets', 'rip6s_isum', 'rip6s_badsum', 'rip6s_nosock', 'rip6s_nosockmcast',
  'rip6s_fullsock', 'rip6s_opackets'];

/** A record with every member set by value(name, index) (default: 0). */
function record(members, value = () => 0n) {
  const r = {};
  members.forEach((m, i) => (r[m] = BigInt(value(m, i))));
  return r;
}

function zeros(n) {
  return Array.from({ length: n }, () => 0n);
}

function icmpRecord(value) {
  return { ...record(ICMPSTAT_SCALARS, value), icps_outhist: zeros(41), icps_inhist: zeros(41) };
}

function ip6Record(value) {
  return {
    ...record(IP6STAT_SCALARS, value),
    ip6s_nxthist: zeros(256),
    ip6s_m2m: zeros(32),
    ip6s_sources_sameif: zeros(16),
    ip6s_sources_otherif: zeros(16),
    ip6s_sources_samescope: zeros(16),
    ip6s_sources_otherscope: zeros(16),
    ip6s_sources_deprecated: zeros(16),
    ip6s_sources_rule: zeros(16),
  };
}

function icmp6Record(value) {
  return {
    ...record(ICMP6STAT_SCALARS, value),
    icp6s_outhist: zeros(256),
    icp6s_inhist: zeros(256),
    icp6s_outerrhist: record(ICMP6_ERRSTAT, value),
    icp6s_spare: zeros(32),
  };
}

Object.assign(module.exports, {
  TCPSTAT_14_1, TCPSTAT_14_2, UDPSTAT, IPSTAT, IP6STAT_SCALARS, ICMP6_ERRSTAT, ICMP6STAT_SCALARS,
  ICMPSTAT_SCALARS, RIP6STAT, record, zeros, icmpRecord, ip6Record, icmp6Record,
});
