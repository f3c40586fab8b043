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
