/**
 * `icmp:` of netstat -s (icmp_stats() in usr.bin/netstat/inet.c), struct icmpstat of
 * sys/netinet/icmp_var.h. The "address mask responses" line is live-only and never printed for
 * a dump.
 */

import type { ProtocolBlock } from './engine';
import { histogram, line } from './engine';

/** icmpnames[ICMP_MAXTYPE + 1] of inet.c (ICMP_MAXTYPE = 40). */
const ICMP_NAMES: readonly string[] = (() => {
  const names: string[] = [];
  for (let i = 0; i <= 40; i++) names.push(`#${i}`);
  const known: Record<number, string> = {
    0: 'echo reply',
    3: 'destination unreachable',
    4: 'source quench',
    5: 'routing redirect',
    8: 'echo',
    9: 'router advertisement',
    10: 'router solicitation',
    11: 'time exceeded',
    12: 'parameter problem',
    13: 'time stamp',
    14: 'time stamp reply',
    15: 'information request',
    16: 'information request reply',
    17: 'address mask request',
    18: 'address mask reply',
    30: 'icmp traceroute',
    31: 'datagram conversion error',
    32: 'mobile host redirect',
    33: 'IPv6 where-are-you',
    34: 'IPv6 i-am-here',
    35: 'mobile registration req',
    36: 'mobile registration reply',
    37: 'domain name request',
    38: 'domain name reply',
    39: 'icmp SKIP',
    40: 'icmp photuris',
  };
  for (const [i, n] of Object.entries(known)) names[Number(i)] = n;
  return names;
})();

/** An entry past the table prints as `unknown ICMP #N` with the number as the JSON name. */
function icmpName(i: number): { text: string; json: string | number } {
  const n = ICMP_NAMES[i];
  return n !== undefined ? { text: n, json: n } : { text: `unknown ICMP #${i}`, json: i };
}

export const ICMP_BLOCK: ProtocolBlock = {
  name: 'icmp',
  items: [
    line('\t{icps_error:icmp-calls} call{s} to icmp_error'),
    line('\t{icps_oldicmp:errors-not-from-message} error{s} not generated in response to an icmp message'),
    histogram('icps_outhist', 'output-histogram', '\tOutput histogram:\n', icmpName),
    line('\t{icps_badcode:dropped-bad-code} message{s} with bad code fields'),
    line('\t{icps_tooshort:dropped-too-short} message{s} less than the minimum length'),
    line('\t{icps_checksum:dropped-bad-checksum} message{s} with bad checksum'),
    line('\t{icps_badlen:dropped-bad-length} message{s} with bad length'),
    line('\t{icps_bmcastecho:dropped-multicast-echo} multicast echo requests ignored'),
    line('\t{icps_bmcasttstamp:dropped-multicast-timestamp} multicast timestamp requests ignored'),
    histogram('icps_inhist', 'input-histogram', '\tInput histogram:\n', icmpName),
    line('\t{icps_reflect:sent-packets} message response{s} generated'),
    line('\t{icps_badaddr:discard-invalid-return-address} invalid return address{es}'),
    line('\t{icps_noroute:discard-no-route} no return route{s}'),
  ],
};
