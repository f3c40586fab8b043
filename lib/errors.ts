/**
 * The one error class of the library. The addon builds these (the class is handed to it once in
 * binding.ts); TypeScript code throws them for the same kinds of failure. Misuse of the API
 * (wrong argument types, out-of-range values) is a TypeError or RangeError instead.
 */

/** The closed set of error codes. Keep in step with native/error.cc. */
export const KVM_ERROR_CODES = [
  'BAD_FORMAT', // the file is not what it claims to be
  'UNSUPPORTED', // a valid file of a kind we do not read (compressed, 64K pages, ...)
  'FAULT', // an address that is not in the image
  'TRUNCATED', // the image maps the address but the file ends before its bytes
  'NO_SYMBOL',
  'NO_TYPE',
  'NO_TYPES', // no debug information found
  'NO_VNET',
  'NO_CPU',
  'CORRUPT', // kernel data that cannot be right: a cyclic list, a bad magic number
  'CLOSED',
  'OS', // a system call failed
  'READ_ONLY', // writing to a dump
] as const;

export type KvmErrorCode = (typeof KVM_ERROR_CODES)[number];

export interface KvmErrorFields {
  /** The kernel virtual (or physical) address involved. */
  address?: bigint;
  /** The file offset involved. */
  offset?: bigint;
  /** The file involved. */
  path?: string;
  /** The symbol, type, jail or list involved. */
  name?: string;
  /** errno of a failed system call (code OS). */
  errno?: number;
}

export class KvmError extends Error {
  readonly code: KvmErrorCode;
  readonly address?: bigint;
  readonly offset?: bigint;
  readonly path?: string;
  readonly symbol?: string;
  readonly errno?: number;

  constructor(code: KvmErrorCode, message: string, fields: KvmErrorFields = {}) {
    super(message);
    this.name = 'KvmError';
    this.code = (KVM_ERROR_CODES as readonly string[]).includes(code) ? code : code;
    if (fields.address !== undefined) this.address = fields.address;
    if (fields.offset !== undefined) this.offset = fields.offset;
    if (fields.path !== undefined) this.path = fields.path;
    if (fields.name !== undefined) this.symbol = fields.name;
    if (fields.errno !== undefined) this.errno = fields.errno;
  }
}

/** True if `e` is a KvmError, optionally with the given code. */
export function isKvmError(e: unknown, code?: KvmErrorCode): e is KvmError {
  return e instanceof KvmError && (code === undefined || e.code === code);
}

/** "0x1f" formatting used in messages. */
export function hex(v: bigint | number): string {
  return '0x' + v.toString(16);
}
