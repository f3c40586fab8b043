'use strict';
// netstat -s text: every line kind, FreeBSD's order and labels, -s -s suppression and its
// exceptions, version differences chosen by the members present. Expectations are worked by hand
// from usr.bin/netstat/inet.c and inet6.c (labels as in docs/freebsd-netstat.md §3).
const test = require('node:test');
const assert = require('node:assert/strict');
const { renderNetstat } = require('../dist/netstat');
const d = require('./helpers/netstat-data');

const stats = (s, opts) => renderNetstat({ s: 1, ...opts }, [d.vnet(d.docExample().interfaces, s)]);
const lines = (text) => text.slice(0, -1).split('\n');
/** Every member numbered 1, 2, 3, ... in struct order (doc §5). */
const seq = (m, i) => i + 1;

test('tcp, FreeBSD 14.2+ struct: every line in order, numbered by struct position', () => {
  const out = stats({ tcp: d.record(d.TCPSTAT_14_2, seq), tcpStates: d.zeros(11) }, { p: 'tcp' });
  assert.deepEqual(lines(out), [
    "tcp:",
    "\t18 packets sent",
    "\t\t19 data packets (20 bytes)",
    "\t\t21 data packets (22 bytes) retransmitted",
    "\t\t23 data packets unnecessarily retransmitted",
    "\t\t63 resends initiated by MTU discovery",
    "\t\t24 ack-only packets (10 delayed)",
    "\t\t26 URG only packets",
    "\t\t25 window probe packets",
    "\t\t27 window update packets",
    "\t\t28 control packets",
    "\t29 packets received",
    "\t\t48 acks (for 49 bytes)",
    "\t\t46 duplicate acks",
    "\t\t104 UDP tunneled pkts",
    "\t\t105 UDP tunneled pkt cnt with errors",
    "\t\t47 acks for data not yet sent",
    "\t\t120 acks for data never been sent (ghost acks)",
    "\t\t121 acks for data being too old",
    "\t\t30 packets (31 bytes) received in-sequence",
    "\t\t36 completely duplicate packets (37 bytes)",
    "\t\t51 old duplicate packets",
    "\t\t38 packets with some dup. data (39 bytes duped)",
    "\t\t40 out-of-order packets (41 bytes)",
    "\t\t42 packets (43 bytes) of data after window",
    "\t\t45 window probes",
    "\t\t50 window update packets",
    "\t\t106 packets received with dsack",
    "\t\t107 dsack bytes received (no TLP involved)",
    "\t\t108 dsack bytes received (TLP responsible)",
    "\t\t44 packets received after close",
    "\t\t32 discarded for bad checksums",
    "\t\t33 discarded for bad header offset fields",
    "\t\t35 discarded because packet too short",
    "\t\t34 discarded due to full reassembly queue",
    "\t1 connection request",
    "\t2 connection accepts",
    "\t62 bad connection attempts",
    "\t64 listen queue overflows",
    "\t65 ignored RSTs in the windows",
    "\t3 connections established (including accepts)",
    "\t\t58 times used RTT from hostcache",
    "\t\t59 times used RTT variance from hostcache",
    "\t\t60 times used slow-start threshold from hostcache",
    "\t7 connections closed (including 4 drops)",
    "\t\t55 connections updated cached RTT on close",
    "\t\t56 connections updated cached RTT variance on close",
    "\t\t57 connections updated cached ssthresh on close",
    "\t5 embryonic connections dropped",
    "\t9 segments updated rtt (of 8 attempts)",
    "\t12 retransmit timeouts",
    "\t\t11 connections dropped by rexmit timeout",
    "\t13 persist timeouts",
    "\t\t61 connections dropped by persist timeout",
    "\t83 Connections (fin_wait_2) dropped because of timeout",
    "\t14 keepalive timeouts",
    "\t\t15 keepalive probes sent",
    "\t\t16 connections dropped by keepalive",
    "\t17 connections dropped due to exceeding progress time",
    "\t52 correct ACK header predictions",
    "\t53 correct data packet header predictions",
    "\t66 syncache entries added",
    "\t\t67 retransmitted",
    "\t\t68 dupsyn",
    "\t\t69 dropped",
    "\t\t70 completed",
    "\t\t71 bucket overflow",
    "\t\t72 cache overflow",
    "\t\t73 reset",
    "\t\t74 stale",
    "\t\t75 aborted",
    "\t\t76 badack",
    "\t\t77 unreach",
    "\t\t78 zone failures",
    "\t79 cookies sent",
    "\t80 cookies received",
    "\t81 hostcache entries added",
    "\t\t82 bucket overflow",
    "\t84 SACK recovery episodes",
    "\t85 segment rexmits in SACK recovery episodes",
    "\t86 byte rexmits in SACK recovery episodes",
    "\t87 SACK options (SACK blocks) received",
    "\t88 SACK options (SACK blocks) sent",
    "\t89 SACK retransmissions lost",
    "\t90 SACK scoreboard overflow",
    "\t91 packets received with ECN CE bit set",
    "\t92 packets received with ECN ECT(0) bit set",
    "\t93 packets received with ECN ECT(1) bit set",
    "\t116 packets sent with ECN ECT(0) bit set",
    "\t117 packets sent with ECN ECT(1) bit set",
    "\t94 successful ECN handshakes",
    "\t95 times ECN reduced the congestion window",
    "\t112 ACE SYN packets with Non-ECT",
    "\t114 ACE SYN packets with ECT0",
    "\t113 ACE SYN packets with ECT1",
    "\t115 ACE SYN packets with CE",
    "\t96 packets with matching signature received",
    "\t97 packets with bad signature received",
    "\t98 times failed to make signature due to no SA",
    "\t99 times unexpected signature received",
    "\t100 times no signature provided by segment",
    "\t101 Path MTU discovery black hole detection activations",
    "\t102 Path MTU discovery black hole detection min MSS activations",
    "\t103 Path MTU discovery black hole detection failures",
    "\t111 times connection in TIME-WAIT responded with ACK",
    "\t109 times connection in TIME-WAIT was actively recycled",
    "\t110 times connection in TIME-WAIT responded with RST",
    "TCP connection count by state:",
    "\t0 connections in CLOSED state",
    "\t0 connections in LISTEN state",
    "\t0 connections in SYN_SENT state",
    "\t0 connections in SYN_RCVD state",
    "\t0 connections in ESTABLISHED state",
    "\t0 connections in CLOSE_WAIT state",
    "\t0 connections in FIN_WAIT_1 state",
    "\t0 connections in CLOSING state",
    "\t0 connections in LAST_ACK state",
    "\t0 connections in FIN_WAIT_2 state",
    "\t0 connections in TIME_WAIT state",
  ]);
});

test('tcp, FreeBSD 14.0/14.1 struct: the single "for unsent data" ack row', () => {
  const out = lines(stats({ tcp: d.record(d.TCPSTAT_14_1, seq), tcpStates: d.zeros(11) }, { p: 'tcp' }));
  const i = out.indexOf('\t\t105 UDP tunneled pkt cnt with errors');
  assert.deepEqual(out.slice(i, i + 3), [
    '\t\t105 UDP tunneled pkt cnt with errors',
    '\t\t47 acks for unsent data',
    '\t\t30 packets (31 bytes) received in-sequence',
  ]);
  assert.ok(!out.some((l) => l.includes('ghost')));
});

test('tcp: members missing from an older struct drop their lines only', () => {
  const tcp = d.record(d.TCPSTAT_14_1, () => 1);
  delete tcp.tcps_progdrops; // p line
  delete tcp.tcps_sndbyte; // one half of a p2 line
  delete tcp.tcps_tw_resets;
  const out = lines(stats({ tcp, tcpStates: d.zeros(11) }, { p: 'tcp' }));
  assert.ok(!out.some((l) => l.includes('exceeding progress time')));
  assert.ok(!out.some((l) => /^\t\t\d+ data packets? \(\d+ bytes?\)$/.test(l)));
  assert.ok(!out.some((l) => l.includes('responded with RST')));
  assert.ok(out.includes('\t1 packet sent'));
  assert.ok(out.includes('\t\t1 data packet (1 byte) retransmitted'));
  assert.ok(out.includes('\t1 time connection in TIME-WAIT was actively recycled'));
  // a 13.x kernel's ECN members print the 13.x labels
  const old = d.record(d.TCPSTAT_14_1.filter((m) => !m.startsWith('tcps_ecn_rcvect') && m !== 'tcps_ecn_rcvce'), () => 2);
  Object.assign(old, { tcps_ecn_ce: 1n, tcps_ecn_ect0: 2n, tcps_ecn_ect1: 3n });
  const o = lines(stats({ tcp: old, tcpStates: d.zeros(11) }, { p: 'tcp' }));
  const e = o.indexOf('\t1 packet with ECN CE bit set');
  assert.deepEqual(o.slice(e, e + 4), [
    '\t1 packet with ECN CE bit set',
    '\t2 packets with ECN ECT(0) bit set',
    '\t3 packets with ECN ECT(1) bit set',
    '\t2 packets sent with ECN ECT(0) bit set',
  ]);
});

test('singular and plural of every macro kind', () => {
  const tcp = d.record(d.TCPSTAT_14_2, () => 0);
  Object.assign(tcp, {
    tcps_sndtotal: 1n, // p
    tcps_rcvtotal: 2n,
    tcps_rcvshort: 1n, // p1a: never pluralized
    tcps_rcvreassfull: 2n,
    tcps_sndpack: 1n, // p2
    tcps_sndbyte: 1n,
    tcps_sndrexmitpack: 2n,
    tcps_sndrexmitbyte: 1n,
    tcps_sndacks: 1n, // p2a: only the first counter pluralized
    tcps_delack: 2n,
    tcps_sc_added: 1n, // p3: entry/entries
    tcps_hc_added: 2n,
  });
  const icmp = d.icmpRecord(() => 0);
  icmp.icps_badaddr = 1n; // plurales: address/addresses
  icmp.icps_noroute = 2n;
  const icmp6 = d.icmp6Record(() => 0);
  icmp6.icp6s_outerrhist.icp6errs_dst_unreach_noroute = 2n; // p_5: no plural
  const states = d.zeros(11);
  states[1] = 1n;
  states[4] = 2n;
  states[10] = (1n << 32n) + 1n; // libxo reads the count back as a C int: singular
  const out = lines(stats({ tcp, tcpStates: states, icmp, icmp6 }, { s: 2 }));
  assert.deepEqual(out, [
    'tcp:',
    '\t1 packet sent',
    '\t\t1 data packet (1 byte)',
    '\t\t2 data packets (1 byte) retransmitted',
    '\t\t1 ack-only packet (2 delayed)',
    '\t2 packets received',
    '\t\t1 discarded because packet too short',
    '\t\t2 discarded due to full reassembly queue',
    '\t1 syncache entry added',
    '\t2 hostcache entries added',
    'TCP connection count by state:',
    '\t1 connection  in LISTEN state',
    '\t2 connections in ESTABLISHED state',
    '\t4294967297 connection  in TIME_WAIT state',
    'icmp:',
    '\t1 invalid return address',
    '\t2 no return routes',
    'icmp6:',
    '\tHistogram of error messages to be generated:',
    '\t\t2 no route',
  ]);
});

test('-s -s: zero lines hidden; mbuf and error-histogram titles and the state title stay', () => {
  const all0 = {
    tcp: d.record(d.TCPSTAT_14_2),
    tcpStates: d.zeros(11),
    udp: d.record(d.UDPSTAT),
    ip: d.record(d.IPSTAT),
    icmp: d.icmpRecord(),
    ip6: d.ip6Record(),
    icmp6: d.icmp6Record(),
    rip6: d.record(d.RIP6STAT),
  };
  assert.deepEqual(lines(stats(all0, { s: 2 })), [
    'tcp:',
    'TCP connection count by state:',
    'udp:',
    'ip:',
    'icmp:',
    'ip6:',
    '\tMbuf statistics:',
    '\t\t0 one mbuf',
    '\t\t0 one ext mbuf',
    '\t\t0 two or more ext mbuf',
    'icmp6:',
    '\tHistogram of error messages to be generated:',
    'rip6:',
  ]);
  // a single -s prints every line, zeros included
  const one = lines(stats(all0, { s: 1 }));
  assert.ok(one.includes('\t0 packets sent'));
  assert.ok(one.includes('\t0 connections in CLOSED state'));
  assert.ok(one.includes('\t0 delivered'));
  assert.ok(one.includes('\t0 packets forwarded (0 packets fast forwarded)'));
  // tcp 119, udp 13, ip 29, icmp 12, ip6 33 (no histogram/scope lines), icmp6 37, rip6 9
  assert.equal(one.length, 119 + 13 + 29 + 12 + 33 + 37 + 9);
});

test('udp and rip6 "delivered": uint64 arithmetic that wraps', () => {
  const udp = d.record(d.UDPSTAT, seq); // ipackets 1, hdrops 2, badsum 3, badlen 5, noport 6, bcast 7, fullsock 8
  assert.deepEqual(lines(stats({ udp }, { p: 'udp' })), [
    'udp:',
    '\t1 datagram received',
    '\t2 with incomplete header',
    '\t5 with bad data length field',
    '\t3 with bad checksum',
    '\t4 with no checksum',
    '\t6 dropped due to no socket',
    '\t7 broadcast/multicast datagrams undelivered',
    '\t8 dropped due to full socket buffers',
    '\t10 not for hashed pcb',
    '\t18446744073709551586 delivered', // 1 - (2+5+3+6+7+8) mod 2^64
    '\t11 datagrams output',
    '\t14 times multicast source filter matched',
  ]);
  const udp2 = d.record(d.UDPSTAT, () => 0);
  udp2.udps_ipackets = 10n;
  udp2.udps_noport = 4n;
  assert.ok(lines(stats({ udp: udp2 }, { p: 'udp', s: 2 })).includes('\t6 delivered'));
  const rip6 = d.record(d.RIP6STAT, seq);
  assert.deepEqual(lines(stats({ rip6 }, { p: 'rip6' })), [
    'rip6:',
    '\t1 message received',
    '\t2 checksum calculations on inbound',
    '\t3 messages with bad checksum',
    '\t4 messages dropped due to no socket',
    '\t5 multicast messages dropped due to no socket',
    '\t6 messages dropped due to full socket buffers',
    '\t18446744073709551599 delivered', // 1 - (3+4+5+6)
    '\t7 datagrams output',
  ]);
});

test('ip: every line, and the forward/fast-forward newline quirk under -s -s', () => {
  const out = lines(stats({ ip: d.record(d.IPSTAT, seq) }, { p: 'ip' }));
  assert.deepEqual(out, [
    'ip:',
    '\t1 total packet received',
    '\t2 bad header checksums',
    '\t4 with size smaller than minimum',
    '\t3 with data size < data length',
    '\t26 with ip length > max ip packet size',
    '\t5 with header length < data size',
    '\t6 with data length < header length',
    '\t22 with bad options',
    '\t24 with incorrect version number',
    '\t7 fragments received',
    '\t8 fragments dropped (dup or out of space)',
    '\t9 fragments dropped after timeout',
    '\t18 packets reassembled ok',
    '\t15 packets for this host',
    '\t14 packets for unknown/unsupported protocol',
    '\t10 packets forwarded (11 packets fast forwarded)',
    '\t12 packets not forwardable',
    '\t27 packets received for unknown multicast group',
    '\t13 redirects sent',
    '\t16 packets sent from this host',
    '\t25 packets sent with fabricated ip header',
    '\t17 output packets dropped due to no bufs, etc.',
    '\t23 output packets discarded due to no route',
    '\t19 output datagrams fragmented',
    '\t20 fragments created',
    "\t21 datagrams that can't be fragmented",
    "\t28 tunneling packets that can't find gif",
    '\t29 datagrams with bad address in header',
  ]);
  const ip = d.record(d.IPSTAT, () => 0);
  ip.ips_fastforward = 5n;
  ip.ips_cantforward = 1n;
  assert.equal(stats({ ip }, { p: 'ip', s: 2 }), 'ip:\n (5 packets fast forwarded)\t1 packet not forwardable\n');
  ip.ips_forward = 1n;
  assert.equal(
    stats({ ip }, { p: 'ip', s: 2 }),
    'ip:\n\t1 packet forwarded (5 packets fast forwarded)\n\t1 packet not forwardable\n',
  );
  ip.ips_fastforward = 0n;
  assert.equal(stats({ ip }, { p: 'ip', s: 2 }), 'ip:\n\t1 packet forwarded\n\t1 packet not forwardable\n');
});

test('icmp: histograms list only non-zero types, under any -s count', () => {
  const icmp = d.icmpRecord(seq);
  icmp.icps_outhist[0] = 4n;
  icmp.icps_outhist[3] = 1n;
  icmp.icps_outhist[40] = 2n;
  icmp.icps_inhist[8] = 9n;
  icmp.icps_inhist[19] = 1n;
  assert.deepEqual(lines(stats({ icmp }, { p: 'icmp' })), [
    'icmp:',
    '\t1 call to icmp_error',
    '\t3 errors not generated in response to an icmp message',
    '\tOutput histogram:',
    '\t\techo reply: 4',
    '\t\tdestination unreachable: 1',
    '\t\ticmp photuris: 2',
    '\t4 messages with bad code fields',
    '\t5 messages less than the minimum length',
    '\t6 messages with bad checksum',
    '\t7 messages with bad length',
    '\t9 multicast echo requests ignored',
    '\t10 multicast timestamp requests ignored',
    '\tInput histogram:',
    '\t\techo: 9',
    '\t\t#19: 1',
    '\t8 message responses generated',
    '\t11 invalid return addresses',
    '\t12 no return routes',
  ]);
  // an array longer than ICMP_MAXTYPE + 1 prints its extra entries as "unknown ICMP #N"
  const long = d.icmpRecord(() => 0);
  long.icps_inhist = [...d.zeros(41), 6n];
  assert.deepEqual(lines(stats({ icmp: long }, { p: 'icmp', s: 2 })), [
    'icmp:',
    '\tInput histogram:',
    '\t\tunknown ICMP #41: 6',
  ]);
});

test('ip6: histogram names with the #80/#180 typos, mbuf interface names, scope lines, rules', () => {
  const ip6 = d.ip6Record(() => 0);
  ip6.ip6s_total = 1n;
  ip6.ip6s_nxthist[6] = 7n;
  ip6.ip6s_nxthist[58] = 3n;
  ip6.ip6s_nxthist[90] = 1n;
  ip6.ip6s_nxthist[190] = 2n;
  ip6.ip6s_m1 = 5n;
  ip6.ip6s_m2m[0] = 1n; // index 0 never names an interface
  ip6.ip6s_m2m[1] = 2n; // em0 in the vnet
  ip6.ip6s_m2m[2] = 3n; // lo0
  ip6.ip6s_m2m[31] = 4n; // no such interface
  ip6.ip6s_sources_sameif[0] = 1n;
  ip6.ip6s_sources_sameif[1] = 1n;
  ip6.ip6s_sources_sameif[2] = 2n;
  ip6.ip6s_sources_sameif[3] = 4n;
  ip6.ip6s_sources_otherscope[5] = 1n;
  ip6.ip6s_sources_otherscope[14] = 9n;
  ip6.ip6s_sources_otherscope[15] = 1n;
  ip6.ip6s_sources_deprecated[14] = 1n;
  ip6.ip6s_sources_rule[0] = 1n;
  ip6.ip6s_sources_rule[7] = 2n;
  ip6.ip6s_sources_rule[15] = 3n;
  assert.deepEqual(lines(stats({ ip6 }, { p: 'ip6', s: 2 })), [
    'ip6:',
    '\t1 total packet received',
    '\tInput histogram:',
    '\t\tTCP: 7',
    '\t\tICMP6: 3',
    '\t\t#80: 1',
    '\t\t#180: 2',
    '\tMbuf statistics:',
    '\t\t5 one mbuf',
    '\t\ttwo or more mbuf:',
    '\t\t\t(null)= 1',
    '\t\t\tem0= 2',
    '\t\t\tlo0= 3',
    '\t\t\t(null)= 4',
    '\t\t0 one ext mbuf',
    '\t\t0 two or more ext mbuf',
    '\tsource addresses on an outgoing I/F',
    '\t\t1 addresses scope=0',
    '\t\t1 interface-local',
    '\t\t2 link-locals',
    '\t\t4 addresses scope=0x3',
    '\tsource addresses of a different scope',
    '\t\t1 site-local',
    '\t\t9 globals',
    '\t\t1 addresses scope=0xf',
    '\tdeprecated source addresses',
    '\t\t1 global',
    '\tSource addresses selection rule applied:',
    '\t\t1 first candidate',
    '\t\t2 public/temporary address',
    '\t\t3 rule #15',
  ]);
  // an older struct without ip6s_atomicfrags skips that line only
  const old = d.ip6Record(seq);
  delete old.ip6s_atomicfrags;
  const o = lines(stats({ ip6: old }, { p: 'ip6' }));
  assert.ok(!o.some((l) => l.includes('atomic')));
  assert.ok(o.includes('\t7 fragments that exceeded limit'));
});

test('icmp6: every line, nested error struct, histogram names', () => {
  const icmp6 = d.icmp6Record(seq);
  icmp6.icp6s_outhist[1] = 2n;
  icmp6.icp6s_outhist[128] = 1n;
  icmp6.icp6s_inhist[143] = 6n;
  icmp6.icp6s_inhist[90] = 1n;
  assert.deepEqual(lines(stats({ icmp6 }, { p: 'icmp6' })), [
    'icmp6:',
    '\t1 call to icmp6_error',
    '\t2 errors not generated in response to an icmp6 message',
    '\t3 errors not generated because of rate limitation',
    '\tOutput histogram:',
    '\t\tunreach: 2',
    '\t\techo: 1',
    '\t4 messages with bad code fields',
    '\t5 messages < minimum length',
    '\t6 bad checksums',
    '\t7 messages with bad length',
    '\t8 total packets dropped due to failed NDP resolution',
    '\tInput histogram:',
    '\t\t#80: 1',
    '\t\tMLDv2 listener report: 6',
    '\tHistogram of error messages to be generated:',
    '\t\t1 no route',
    '\t\t2 administratively prohibited',
    '\t\t3 beyond scope',
    '\t\t4 address unreachable',
    '\t\t5 port unreachable',
    '\t\t6 packet too big',
    '\t\t7 time exceed transit',
    '\t\t8 time exceed reassembly',
    '\t\t9 erroneous header field',
    '\t\t10 unrecognized next header',
    '\t\t11 unrecognized option',
    '\t\t12 redirect',
    '\t\t13 unknown',
    '\t9 message responses generated',
    '\t10 messages with too many ND options',
    '\t12 messages with bad ND options',
    '\t13 bad neighbor solicitation messages',
    '\t14 bad neighbor advertisement messages',
    '\t15 bad router solicitation messages',
    '\t16 bad router advertisement messages',
    '\t17 bad redirect messages',
    '\t18 default routers overflows',
    '\t19 prefix overflows',
    '\t20 neighbour entries overflows',
    '\t21 redirect overflows',
    '\t22 messages with invalid hop limit',
    '\t11 path MTU changes',
  ]);
  const old = d.icmp6Record(() => 1);
  delete old.icp6s_dropped;
  assert.ok(!lines(stats({ icmp6: old }, { p: 'icmp6' })).some((l) => l.includes('NDP')));
});

test('protocol selection: default order, -p, -f, missing data, bad values', () => {
  const all = {
    tcp: d.record(d.TCPSTAT_14_2),
    tcpStates: d.zeros(11),
    udp: d.record(d.UDPSTAT),
    ip: d.record(d.IPSTAT),
    icmp: d.icmpRecord(),
    ip6: d.ip6Record(),
    icmp6: d.icmp6Record(),
    rip6: d.record(d.RIP6STAT),
  };
  const titles = (text) => lines(text).filter((l) => /^[a-z0-9]+:$/.test(l));
  assert.deepEqual(titles(stats(all, { s: 2 })), ['tcp:', 'udp:', 'ip:', 'icmp:', 'ip6:', 'icmp6:', 'rip6:']);
  assert.deepEqual(titles(stats(all, { s: 2, f: 'inet' })), ['tcp:', 'udp:', 'ip:', 'icmp:']);
  assert.deepEqual(titles(stats(all, { s: 2, f: 'inet6' })), ['tcp:', 'udp:', 'ip6:', 'icmp6:', 'rip6:']);
  assert.equal(stats(all, { s: 2, f: 'link' }), '');
  assert.deepEqual(titles(stats(all, { s: 2, p: 'icmp6' })), ['icmp6:']);
  assert.deepEqual(titles(stats(all, { s: 2, p: 'TCP' })), ['tcp:']); // /etc/protocols alias
  assert.deepEqual(titles(stats({ udp: all.udp, ip6: all.ip6 }, { s: 2 })), ['udp:', 'ip6:']);
  assert.equal(stats({}, { p: 'tcp' }), '');
  // no tcps_states: the counters print, the state section does not
  assert.ok(!stats({ tcp: all.tcp, tcpStates: null }, { s: 2 }).includes('TCP connection count'));
  assert.throws(() => stats(all, { p: 'tcpx' }), { name: 'RangeError', message: 'tcpx: unknown or uninstrumented protocol' });
  assert.throws(() => stats(all, { f: 'inet7' }), { name: 'RangeError', message: 'inet7: unknown address family' });
});
