/** kvm-netstat's data model and renderers (pure: no dump access). */
export type {
  AddressCounters,
  AddressFamily,
  InterfaceAddress,
  InterfaceCounters,
  JailRef,
  LinkAddress,
  NetInterface,
  ProtocolStats,
  StatRecord,
  StatValue,
  VnetView,
} from './model';
export type { LibxoStyle, NetstatOptions } from './options';
export {
  resolveFamily,
  resolveProtocol,
  unknownFamilyMessage,
  unknownProtocolMessage,
  validateNetstatOptions,
} from './options';
export { renderNetstat, vnetHeading } from './render';
export { writeOutput } from '../cli/output';
export { humanizeNumber } from './humanize';
export { XoJsonWriter, XoOutput } from './xo';
export { renderInterfaces, maxNumLen } from './iftable';
export { renderProtocolStats, protocolsFor } from './stats';
export type { StatsProtocol } from './stats';
export { decodeSin6 } from './sockaddr';
export { inetNtop4, inetNtop6, inetNetName, inet6NetName, inet6HostName, linkAddressName } from './addrfmt';
