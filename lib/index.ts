/** libkvm for Node.js: the public entry point. */
export { KvmError, KVM_ERROR_CODES, isKvmError } from './errors';
export type { KvmErrorCode, KvmErrorFields } from './errors';
export { Kvm, listFormats } from './kvm';
export type {
  OpenOptions,
  KvmInfo,
  SymbolInfo,
  SymbolKind,
  NlistEntry,
  SymbolizeResult,
  PartialRead,
  PageRecord,
  ByteOrder,
} from './kvm';
export * from './libkvm';
export { CType, VOID, parseMemberPath } from './types/model';
export type { TypeKind, Qualifier, Member, Enumerator, MemberLocation } from './types/model';
export { KObject } from './types/object';
export type { Value, ScalarValue } from './types/object';
export { formatObject } from './types/format';
export type { FormatOptions } from './types/format';
export { TypeContext } from './types/context';
export { findDebugFile, DEFAULT_DEBUG_ROOTS } from './types/debug-file';
export type { DebugFileResult } from './types/debug-file';
export type { VnetSelector, VnetChoice, ResolveOptions } from './translation';
export type { Vnet } from './helpers/vnet';
export type { VnetEntry } from './helpers/vnet-jails';
export type { Cpu, CpuGlobals } from './helpers/pcpu';
export type { Jail } from './helpers/jail';
export type { Proc, Thread } from './helpers/proc';
export type { PcpuStat, PcpuStatOptions } from './helpers/pcpustat';
export type { StatRecord, StatValue } from './types/counter-struct';
