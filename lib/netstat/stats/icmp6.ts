/**
 * `icmp6:` of netstat -s (icmp6_stats() in usr.bin/netstat/inet6.c), struct icmp6stat of
 * sys/netinet/icmp6.h. The output-error counts live in the nested struct icmp6errstat
 * (icp6s_outerrhist); netstat's JSON container `errors` opens at their title and, as in netstat,
 * closes only after the invalid-hop-limit line.
 */

import type { ProtocolBlock } from './engine';
import { container, custom, histogram, line } from './engine';
import { ICMP6_NAMES, tableName } from './names6';

const E = 'icp6s_outerrhist';

export const ICMP6_BLOCK: ProtocolBlock = {
  name: 'icmp6',
  items: [
    line('\t{icp6s_error:icmp6-calls} call{s} to icmp6_error'),
    line('\t{icp6s_canterror:errors-not-generated-from-message} error{s} not generated in response to an icmp6 message'),
    line('\t{icp6s_toofreq:errors-discarded-by-rate-limitation} error{s} not generated because of rate limitation'),
    histogram('icp6s_outhist', 'output-histogram', '\tOutput histogram:\n', (i) => tableName(ICMP6_NAMES, i)),
    line('\t{icp6s_badcode:dropped-bad-code} message{s} with bad code fields'),
    line('\t{icp6s_tooshort:dropped-too-short} message{s} < minimum length'),
    line('\t{icp6s_checksum:dropped-bad-checksum} bad checksum{s}'),
    line('\t{icp6s_badlen:dropped-bad-length} message{s} with bad length'),
    line('\t{icp6s_dropped:dropped-no-entry} total packet{s} dropped due to failed NDP resolution'),
    histogram('icp6s_inhist', 'input-histogram', '\tInput histogram:\n', (i) => tableName(ICMP6_NAMES, i)),
    custom((ctx) => ctx.out.text('\tHistogram of error messages to be generated:\n')),
    container('errors', [
      line(`\t\t{${E}.icp6errs_dst_unreach_noroute:no-route} no route`),
      line(`\t\t{${E}.icp6errs_dst_unreach_admin:admin-prohibited} administratively prohibited`),
      line(`\t\t{${E}.icp6errs_dst_unreach_beyondscope:beyond-scope} beyond scope`),
      line(`\t\t{${E}.icp6errs_dst_unreach_addr:address-unreachable} address unreachable`),
      line(`\t\t{${E}.icp6errs_dst_unreach_noport:port-unreachable} port unreachable`),
      line(`\t\t{${E}.icp6errs_packet_too_big:packet-too-big} packet too big`),
      line(`\t\t{${E}.icp6errs_time_exceed_transit:time-exceed-transmit} time exceed transit`),
      line(`\t\t{${E}.icp6errs_time_exceed_reassembly:time-exceed-reassembly} time exceed reassembly`),
      line(`\t\t{${E}.icp6errs_paramprob_header:bad-header} erroneous header field`),
      line(`\t\t{${E}.icp6errs_paramprob_nextheader:bad-next-header} unrecognized next header`),
      line(`\t\t{${E}.icp6errs_paramprob_option:bad-option} unrecognized option`),
      line(`\t\t{${E}.icp6errs_redirect:redirects} redirect`),
      line(`\t\t{${E}.icp6errs_unknown:unknown} unknown`),
      line('\t{icp6s_reflect:reflect} message response{s} generated'),
      line('\t{icp6s_nd_toomanyopt:too-many-nd-options} message{s} with too many ND options'),
      line('\t{icp6s_nd_badopt:bad-nd-options} message{s} with bad ND options'),
      line('\t{icp6s_badns:bad-neighbor-solicitation} bad neighbor solicitation message{s}'),
      line('\t{icp6s_badna:bad-neighbor-advertisement} bad neighbor advertisement message{s}'),
      line('\t{icp6s_badrs:bad-router-solicitation} bad router solicitation message{s}'),
      line('\t{icp6s_badra:bad-router-advertisement} bad router advertisement message{s}'),
      line('\t{icp6s_badredirect:bad-redirect} bad redirect message{s}'),
      line('\t{icp6s_overflowdefrtr:default-routers-overflows} default routers overflow{s}'),
      line('\t{icp6s_overflowprfx:prefixes-overflows} prefix overflow{s}'),
      line('\t{icp6s_overflownndp:neighbour-entries-overflows} neighbour entries overflow{s}'),
      line('\t{icp6s_overflowredirect:redirect-overflows} redirect overflow{s}'),
      line('\t{icp6s_invlhlim:dropped-invalid-hop-limit} message{s} with invalid hop limit'),
    ]),
    line('\t{icp6s_pmtuchg:path-mtu-changes} path MTU change{s}'),
  ],
};
