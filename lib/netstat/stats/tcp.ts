/**
 * `tcp:` of netstat -s (tcp_stats() in usr.bin/netstat/inet.c), struct tcpstat of
 * sys/netinet/tcp_var.h. Lines and JSON keys are FreeBSD 14's. Version differences follow the
 * dumped kernel's own struct: the 14.2+ ack-validation rows when it has tcps_rcvghostack, the
 * 13.x ECN rows when it has tcps_ecn_ce; members it lacks are skipped.
 */

import type { ProtocolBlock, StatItem } from './engine';
import { container, custom, line, lookup, renderItems } from './engine';

/** tcp_fsm.h tcpstates[], TCP_NSTATES = 11. */
export const TCP_STATE_NAMES = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RCVD',
  'ESTABLISHED',
  'CLOSE_WAIT',
  'FIN_WAIT_1',
  'CLOSING',
  'LAST_ACK',
  'FIN_WAIT_2',
  'TIME_WAIT',
] as const;

/** The "acks for unsent data" rows: one row before 14.2, three rows from 14.2 on. */
const ACK_ROWS_14_0 = [line('\t\t{tcps_rcvacktoomuch:received-acks-for-unsent-data} ack{s} for unsent data')];
const ACK_ROWS_14_2 = [
  line('\t\t{tcps_rcvacktoomuch:received-acks-for-data-not-yet-sent} ack{s} for data not yet sent'),
  line('\t\t{tcps_rcvghostack:received-acks-for-data-never-been-sent} ack{s} for data never been sent (ghost acks)'),
  line('\t\t{tcps_rcvacktooold:received-acks-for-data-being-too-old} ack{s} for data being too old'),
];

const ackRows = custom((ctx) => {
  renderItems(ctx, lookup(ctx.rec, ['tcps_rcvghostack']) !== undefined ? ACK_ROWS_14_2 : ACK_ROWS_14_0);
});

/**
 * "TCP connection count by state": a title, then one line per state (zero states skipped with
 * -s -s). The singular is libxo's `{Np:/connection ,connections}` form, so one connection reads
 * `connection  in` (two spaces); libxo reads the count back as a C int, so the singular is chosen
 * when the count is 1 modulo 2^32.
 */
function tcpStates(states: readonly bigint[]): StatItem {
  return custom((ctx) => {
    const out = ctx.out;
    out.openContainer('TCP connection count by state');
    out.text('TCP connection count by state:\n');
    TCP_STATE_NAMES.forEach((name, i) => {
      if (i >= states.length) return;
      const n = BigInt.asUintN(64, states[i]!);
      if (ctx.sflag > 1 && n === 0n) return;
      const one = BigInt.asIntN(32, n) === 1n;
      out.text('\t');
      out.field(name, n, n.toString());
      out.text(` ${one ? 'connection ' : 'connections'} in ${name} state\n`);
    });
    out.closeContainer();
  });
}

const TCP_ITEMS: StatItem[] = [
  line('\t{tcps_sndtotal:sent-packets} packet{s} sent'),
  line('\t\t{tcps_sndpack:sent-data-packets} data packet{s} ({tcps_sndbyte:sent-data-bytes} byte{s})'),
  line(
    '\t\t{tcps_sndrexmitpack:sent-retransmitted-packets} data packet{s} ' +
      '({tcps_sndrexmitbyte:sent-retransmitted-bytes} byte{s}) retransmitted',
  ),
  line('\t\t{tcps_sndrexmitbad:sent-unnecessary-retransmitted-packets} data packet{s} unnecessarily retransmitted'),
  line('\t\t{tcps_mturesent:sent-resends-by-mtu-discovery} resend{s} initiated by MTU discovery'),
  line('\t\t{tcps_sndacks:sent-ack-only-packets} ack-only packet{s} ({tcps_delack:sent-packets-delayed} delayed)'),
  line('\t\t{tcps_sndurg:sent-urg-only-packets} URG only packet{s}'),
  line('\t\t{tcps_sndprobe:sent-window-probe-packets} window probe packet{s}'),
  line('\t\t{tcps_sndwinup:sent-window-update-packets} window update packet{s}'),
  line('\t\t{tcps_sndctrl:sent-control-packets} control packet{s}'),
  line('\t{tcps_rcvtotal:received-packets} packet{s} received'),
  line('\t\t{tcps_rcvackpack:received-ack-packets} ack{s} (for {tcps_rcvackbyte:received-ack-bytes} byte{s})'),
  line('\t\t{tcps_rcvdupack:received-duplicate-acks} duplicate ack{s}'),
  line('\t\t{tcps_tunneled_pkts:received-udp-tunneled-pkts} UDP tunneled pkt{s}'),
  line('\t\t{tcps_tunneled_errs:received-bad-udp-tunneled-pkts} UDP tunneled pkt cnt with error{s}'),
  ackRows,
  line(
    '\t\t{tcps_rcvpack:received-in-sequence-packets} packet{s} ' +
      '({tcps_rcvbyte:received-in-sequence-bytes} byte{s}) received in-sequence',
  ),
  line(
    '\t\t{tcps_rcvduppack:received-completely-duplicate-packets} completely duplicate packet{s} ' +
      '({tcps_rcvdupbyte:received-completely-duplicate-bytes} byte{s})',
  ),
  line('\t\t{tcps_pawsdrop:received-old-duplicate-packets} old duplicate packet{s}'),
  line(
    '\t\t{tcps_rcvpartduppack:received-some-duplicate-packets} packet{s} with some dup. data ' +
      '({tcps_rcvpartdupbyte:received-some-duplicate-bytes} byte{s} duped)',
  ),
  line(
    '\t\t{tcps_rcvoopack:received-out-of-order} out-of-order packet{s} ' +
      '({tcps_rcvoobyte:received-out-of-order-bytes} byte{s})',
  ),
  line(
    '\t\t{tcps_rcvpackafterwin:received-after-window-packets} packet{s} ' +
      '({tcps_rcvbyteafterwin:received-after-window-bytes} byte{s}) of data after window',
  ),
  line('\t\t{tcps_rcvwinprobe:received-window-probes} window probe{s}'),
  line('\t\t{tcps_rcvwinupd:receive-window-update-packets} window update packet{s}'),
  line('\t\t{tcps_dsack_count:received-with-dsack-packets} packet{s} received with dsack'),
  line('\t\t{tcps_dsack_bytes:received-with-dsack-bytes} dsack byte{s} received (no TLP involved)'),
  line('\t\t{tcps_dsack_tlp_bytes:received-with-dsack-bytes-tlp} dsack byte{s} received (TLP responsible)'),
  line('\t\t{tcps_rcvafterclose:received-after-close-packets} packet{s} received after close'),
  line('\t\t{tcps_rcvbadsum:discard-bad-checksum} discarded for bad checksum{s}'),
  line('\t\t{tcps_rcvbadoff:discard-bad-header-offset} discarded for bad header offset field{s}'),
  line('\t\t{tcps_rcvshort:discard-too-short} discarded because packet too short'),
  line('\t\t{tcps_rcvreassfull:discard-reassembly-queue-full} discarded due to full reassembly queue'),
  line('\t{tcps_connattempt:connection-requests} connection request{s}'),
  line('\t{tcps_accepts:connections-accepts} connection accept{s}'),
  line('\t{tcps_badsyn:bad-connection-attempts} bad connection attempt{s}'),
  line('\t{tcps_listendrop:listen-queue-overflows} listen queue overflow{s}'),
  line('\t{tcps_badrst:ignored-in-window-resets} ignored RSTs in the window{s}'),
  line('\t{tcps_connects:connections-established} connection{s} established (including accepts)'),
  line('\t\t{tcps_usedrtt:connections-hostcache-rtt} time{s} used RTT from hostcache'),
  line('\t\t{tcps_usedrttvar:connections-hostcache-rttvar} time{s} used RTT variance from hostcache'),
  line('\t\t{tcps_usedssthresh:connections-hostcache-ssthresh} time{s} used slow-start threshold from hostcache'),
  line('\t{tcps_closed:connections-closed} connection{s} closed (including {tcps_drops:connection-drops} drop{s})'),
  line('\t\t{tcps_cachedrtt:connections-updated-rtt-on-close} connection{s} updated cached RTT on close'),
  line(
    '\t\t{tcps_cachedrttvar:connections-updated-variance-on-close} connection{s} updated cached RTT variance on close',
  ),
  line(
    '\t\t{tcps_cachedssthresh:connections-updated-ssthresh-on-close} connection{s} updated cached ssthresh on close',
  ),
  line('\t{tcps_conndrops:embryonic-connections-dropped} embryonic connection{s} dropped'),
  line(
    '\t{tcps_rttupdated:segments-updated-rtt} segment{s} updated rtt ' +
      '(of {tcps_segstimed:segment-update-attempts} attempt{s})',
  ),
  line('\t{tcps_rexmttimeo:retransmit-timeouts} retransmit timeout{s}'),
  line('\t\t{tcps_timeoutdrop:connections-dropped-by-retransmit-timeout} connection{s} dropped by rexmit timeout'),
  line('\t{tcps_persisttimeo:persist-timeout} persist timeout{s}'),
  line('\t\t{tcps_persistdrop:connections-dropped-by-persist-timeout} connection{s} dropped by persist timeout'),
  line(
    '\t{tcps_finwait2_drops:connections-dropped-by-finwait2-timeout} ' +
      'Connection{s} (fin_wait_2) dropped because of timeout',
  ),
  line('\t{tcps_keeptimeo:keepalive-timeout} keepalive timeout{s}'),
  line('\t\t{tcps_keepprobe:keepalive-probes} keepalive probe{s} sent'),
  line('\t\t{tcps_keepdrops:connections-dropped-by-keepalives} connection{s} dropped by keepalive'),
  line(
    '\t{tcps_progdrops:connections-dropped-due-to-progress-time} connection{s} dropped due to exceeding progress time',
  ),
  line('\t{tcps_predack:ack-header-predictions} correct ACK header prediction{s}'),
  line('\t{tcps_preddat:data-packet-header-predictions} correct data packet header prediction{s}'),
  container('syncache', [
    line('\t{tcps_sc_added:entries-added} syncache entr{y|ies} added'),
    line('\t\t{tcps_sc_retransmitted:retransmitted} retransmitted'),
    line('\t\t{tcps_sc_dupsyn:duplicates} dupsyn'),
    line('\t\t{tcps_sc_dropped:dropped} dropped'),
    line('\t\t{tcps_sc_completed:completed} completed'),
    line('\t\t{tcps_sc_bucketoverflow:bucket-overflow} bucket overflow'),
    line('\t\t{tcps_sc_cacheoverflow:cache-overflow} cache overflow'),
    line('\t\t{tcps_sc_reset:reset} reset'),
    line('\t\t{tcps_sc_stale:stale} stale'),
    line('\t\t{tcps_sc_aborted:aborted} aborted'),
    line('\t\t{tcps_sc_badack:bad-ack} badack'),
    line('\t\t{tcps_sc_unreach:unreachable} unreach'),
    line('\t\t{tcps_sc_zonefail:zone-failures} zone failure{s}'),
    line('\t{tcps_sc_sendcookie:sent-cookies} cookie{s} sent'),
    line('\t{tcps_sc_recvcookie:receivd-cookies} cookie{s} received'),
  ]),
  container('hostcache', [
    line('\t{tcps_hc_added:entries-added} hostcache entr{y|ies} added'),
    line('\t\t{tcps_hc_bucketoverflow:buffer-overflows} bucket overflow'),
  ]),
  container('sack', [
    line('\t{tcps_sack_recovery_episode:recovery-episodes} SACK recovery episode{s}'),
    line('\t{tcps_sack_rexmits:segment-retransmits} segment rexmit{s} in SACK recovery episodes'),
    line('\t{tcps_sack_rexmit_bytes:byte-retransmits} byte rexmit{s} in SACK recovery episodes'),
    line('\t{tcps_sack_rcv_blocks:received-blocks} SACK option{s} (SACK blocks) received'),
    line('\t{tcps_sack_send_blocks:sent-option-blocks} SACK option{s} (SACK blocks) sent'),
    line('\t{tcps_sack_lostrexmt:lost-retransmissions} SACK retransmission{s} lost'),
    line('\t{tcps_sack_sboverflow:scoreboard-overflows} SACK scoreboard overflow'),
  ]),
  container('ecn', [
    // 13.x kernels: tcps_ecn_ce/ect0/ect1 (never present together with the 14.x rcv* members).
    line('\t{tcps_ecn_ce:ce-packets} packet{s} with ECN CE bit set'),
    line('\t{tcps_ecn_ect0:ect0-packets} packet{s} with ECN ECT(0) bit set'),
    line('\t{tcps_ecn_ect1:ect1-packets} packet{s} with ECN ECT(1) bit set'),
    line('\t{tcps_ecn_rcvce:received-ce-packets} packet{s} received with ECN CE bit set'),
    line('\t{tcps_ecn_rcvect0:received-ect0-packets} packet{s} received with ECN ECT(0) bit set'),
    line('\t{tcps_ecn_rcvect1:received-ect1-packets} packet{s} received with ECN ECT(1) bit set'),
    line('\t{tcps_ecn_sndect0:sent-ect0-packets} packet{s} sent with ECN ECT(0) bit set'),
    line('\t{tcps_ecn_sndect1:sent-ect1-packets} packet{s} sent with ECN ECT(1) bit set'),
    line('\t{tcps_ecn_shs:handshakes} successful ECN handshake{s}'),
    line('\t{tcps_ecn_rcwnd:congestion-reductions} time{s} ECN reduced the congestion window'),
    line('\t{tcps_ace_nect:ace-nonect-syn} ACE SYN packet{s} with Non-ECT'),
    line('\t{tcps_ace_ect0:ace-ect0-syn} ACE SYN packet{s} with ECT0'),
    line('\t{tcps_ace_ect1:ace-ect1-syn} ACE SYN packet{s} with ECT1'),
    line('\t{tcps_ace_ce:ace-ce-syn} ACE SYN packet{s} with CE'),
  ]),
  container('tcp-signature', [
    line('\t{tcps_sig_rcvgoodsig:received-good-signature} packet{s} with matching signature received'),
    line('\t{tcps_sig_rcvbadsig:received-bad-signature} packet{s} with bad signature received'),
    line('\t{tcps_sig_err_buildsig:failed-make-signature} time{s} failed to make signature due to no SA'),
    line('\t{tcps_sig_err_sigopt:no-signature-expected} time{s} unexpected signature received'),
    line('\t{tcps_sig_err_nosigopt:no-signature-provided} time{s} no signature provided by segment'),
  ]),
  container('pmtud', [
    line(
      '\t{tcps_pmtud_blackhole_activated:pmtud-activated} Path MTU discovery black hole detection activation{s}',
    ),
    line(
      '\t{tcps_pmtud_blackhole_activated_min_mss:pmtud-activated-min-mss} ' +
        'Path MTU discovery black hole detection min MSS activation{s}',
    ),
    line('\t{tcps_pmtud_blackhole_failed:pmtud-failed} Path MTU discovery black hole detection failure{s}'),
  ]),
  container('tw', [
    line('\t{tcps_tw_responds:tw_responds} time{s} connection in TIME-WAIT responded with ACK'),
    line('\t{tcps_tw_recycles:tw_recycles} time{s} connection in TIME-WAIT was actively recycled'),
    line('\t{tcps_tw_resets:tw_resets} time{s} connection in TIME-WAIT responded with RST'),
  ]),
];

/**
 * The tcp block. `states` is tcps_states; when it is null the state section is left out (FreeBSD
 * would skip the whole block when it cannot read the states; we keep the counters).
 */
export function tcpBlock(states: readonly bigint[] | null): ProtocolBlock {
  return { name: 'tcp', items: states ? [...TCP_ITEMS, tcpStates(states)] : TCP_ITEMS };
}
