/**
 * The plain data kvm-netstat renders. The dump readers fill these in; everything under
 * lib/netstat/ turns them into FreeBSD netstat's text or its `--libxo json` form without touching
 * the dump again.
 *
 * Counters are `bigint` sums of counter(9) slots (uint64 in the kernel). Sockaddrs are handed over
 * as the raw bytes found in kernel memory; sockaddr.ts decodes them (fixed ABI layouts).
 */

/** The 12 `enum ift_counter` values summed for one interface (sys/net/if_var.h). */
export interface InterfaceCounters {
  ipackets: bigint;
  ierrors: bigint;
  opackets: bigint;
  oerrors: bigint;
  collisions: bigint;
  ibytes: bigint;
  obytes: bigint;
  imcasts: bigint;
  omcasts: bigint;
  iqdrops: bigint;
  oqdrops: bigint;
  noproto: bigint;
}

/** The per-address counters of `struct ifaddr` (ifa_ipackets ... ifa_obytes). */
export interface AddressCounters {
  ipackets: bigint;
  opackets: bigint;
  ibytes: bigint;
  obytes: bigint;
}

/**
 * The link-level address of an interface (`struct sockaddr_dl` at `if_addr->ifa_addr`), already
 * split into its header bytes. `data` is `sdl_data`: `nlen` name bytes, then `alen` address bytes,
 * then `slen` selector bytes.
 */
export interface LinkAddress {
  /** sdl_type (IFT_ETHER = 6, IFT_LOOP = 0x18, IFT_IEEE1394 = 0x90, ...). */
  type: number;
  nlen: number;
  alen: number;
  slen: number;
  data: Uint8Array;
}

/** `sa_family` of an address row: the two families netstat formats, or the raw number. */
export type AddressFamily = 'inet' | 'inet6' | number;

/** One `struct ifaddr` after `if_addr` on `if_addrhead`, in list order. */
export interface InterfaceAddress {
  family: AddressFamily;
  /** Raw sockaddr bytes of `ifa_addr` (sockaddr_in: 16 bytes, sockaddr_in6: 28 bytes). */
  addr: Uint8Array;
  /** Raw bytes of `ifa_netmask` (read at full family length; a short sa_len is ignored), or null. */
  netmask: Uint8Array | null;
  /** Raw bytes of `ifa_dstaddr` / `ifa_broadaddr`, or null. Not shown by `netstat -i`. */
  dstaddr: Uint8Array | null;
  counters: AddressCounters;
}

/** One `struct ifnet` of the vnet's `V_ifnet` list, in list order. */
export interface NetInterface {
  /** if_xname. */
  name: string;
  /** if_index (global in 14.x; shown as `<Link#N>` and used for `%ifname` zones). */
  index: number;
  /** if_flags | if_drv_flags. IFF_UP is 0x1. */
  flags: number;
  /** if_mtu. */
  mtu: number;
  /** The link-level address, or null if it could not be read (a link row with no address is shown). */
  link: LinkAddress | null;
  counters: InterfaceCounters;
  addresses: InterfaceAddress[];
}

/**
 * A protocol statistics structure keyed by its DWARF member names: scalars are bigint, arrays are
 * bigint[], nested structs are nested records (e.g. `icp6s_outerrhist.icp6errs_unknown`).
 * Members missing from the dumped kernel's struct are simply absent; their lines are not printed.
 */
export interface StatRecord {
  [member: string]: StatValue | undefined;
}
export type StatValue = bigint | bigint[] | StatRecord;

/** Protocol statistics of one vnet; a protocol is absent (or null) when its symbol was not found. */
export interface ProtocolStats {
  tcp?: StatRecord | null;
  /** tcps_states[TCP_NSTATES]: connection counts per TCP state, CLOSED .. TIME_WAIT. */
  tcpStates?: bigint[] | null;
  udp?: StatRecord | null;
  ip?: StatRecord | null;
  icmp?: StatRecord | null;
  ip6?: StatRecord | null;
  icmp6?: StatRecord | null;
  rip6?: StatRecord | null;
}

/** A jail whose prison points at a vnet (prison0 is jid 0). */
export interface JailRef {
  jid: number;
  name: string;
}

/** Everything rendered for one virtual network stack. */
export interface VnetView {
  /** Address of the `struct vnet` (used only in --all-vnets headings). */
  address: bigint;
  /** Jails attached to this vnet (used only in --all-vnets headings). */
  jails: JailRef[];
  interfaces: NetInterface[];
  stats: ProtocolStats;
  /** Byte order of host-order sockaddr fields (sin6_scope_id). Default 'little'. */
  byteOrder?: 'little' | 'big';
}
