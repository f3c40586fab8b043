/**
 * Name tables of usr.bin/netstat/inet6.c: ip6nh[] (IPv6 next-header histogram), icmp6names[]
 * and srcrule_str[]. Every unnamed entry is `#N`; both histograms carry the source's typos at
 * index 90 (`#80`) and 190 (`#180`).
 */

function table(named: Record<number, string>): readonly string[] {
  const t: string[] = [];
  for (let i = 0; i < 256; i++) t.push(named[i] ?? `#${i}`);
  t[90] = '#80';
  t[190] = '#180';
  return t;
}

export const IP6_NEXT_HEADER_NAMES = table({
  0: 'hop by hop',
  1: 'ICMP',
  2: 'IGMP',
  4: 'IP',
  6: 'TCP',
  17: 'UDP',
  22: 'IDP',
  29: 'TP',
  41: 'IP6',
  43: 'routing',
  44: 'fragment',
  50: 'ESP',
  51: 'AH',
  58: 'ICMP6',
  59: 'no next header',
  60: 'destination option',
  62: 'mobility',
  80: 'ISOIP',
  89: 'OSPF',
  97: 'Ethernet',
  103: 'PIM',
  132: 'SCTP',
  136: 'UDPLite',
});

export const ICMP6_NAMES = table({
  1: 'unreach',
  2: 'packet too big',
  3: 'time exceed',
  4: 'parameter problem',
  128: 'echo',
  129: 'echo reply',
  130: 'multicast listener query',
  131: 'MLDv1 listener report',
  132: 'MLDv1 listener done',
  133: 'router solicitation',
  134: 'router advertisement',
  135: 'neighbor solicitation',
  136: 'neighbor advertisement',
  137: 'redirect',
  138: 'router renumbering',
  139: 'node information request',
  140: 'node information reply',
  141: 'inverse neighbor solicitation',
  142: 'inverse neighbor advertisement',
  143: 'MLDv2 listener report',
});

/** Source address selection rules, IP6S_RULESMAX = 16. */
export const SOURCE_RULE_NAMES: readonly string[] = [
  'first candidate',
  'same address',
  'appropriate scope',
  'deprecated address',
  'home address',
  'outgoing interface',
  'matching label',
  'public/temporary address',
  'alive interface',
  'better virtual status',
  'preferred source',
  'rule #11',
  'rule #12',
  'rule #13',
  'longest match',
  'rule #15',
];

/** Name of histogram entry i in a 256-entry table; entries past it print as `#N`. */
export function tableName(t: readonly string[], i: number): { text: string; json: string } {
  const n = t[i] ?? `#${i}`;
  return { text: n, json: n };
}
