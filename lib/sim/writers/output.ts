/** Opening and finishing a dump file, with the optional kerneldumpheader in front (and behind). */
import { KERNELDUMPHEADER_SIZE, KernelDumpHeaderOptions, kernelDumpHeader } from './kerneldumpheader';
import { SparseFile } from './sparse-file';

export interface DumpOutputOptions {
  /** Put a kerneldumpheader before the payload, as the raw dump device has it (savecore strips it). */
  dumpHeader?: KernelDumpHeaderOptions;
}

/** What every writer returns. */
export interface DumpWriteResult {
  path: string;
  /** Bytes of the file (payload plus any kerneldumpheader copies). */
  fileSize: number;
  /** Bytes of the payload (what savecore would save as vmcore.N). */
  payloadSize: number;
  /** Where the payload starts in the file (512 with a kerneldumpheader, else 0). */
  payloadOffset: number;
}

export function openDump(path: string, opts: DumpOutputOptions): SparseFile {
  return new SparseFile(path, opts.dumpHeader ? KERNELDUMPHEADER_SIZE : 0);
}

export function finishDump(f: SparseFile, payloadSize: number, opts: DumpOutputOptions): DumpWriteResult {
  const h = opts.dumpHeader;
  let trailer = 0;
  if (h) {
    const hdr = kernelDumpHeader(h, BigInt(payloadSize));
    f.writeRaw(0, hdr);
    if (h.trailer) {
      f.writeRaw(KERNELDUMPHEADER_SIZE + payloadSize, hdr);
      trailer = KERNELDUMPHEADER_SIZE;
    }
  }
  f.close(payloadSize, trailer);
  return { path: f.path, fileSize: f.base + payloadSize + trailer, payloadSize, payloadOffset: f.base };
}

/** Runs body with an open dump, closing the file on error. */
export function withDump<T>(path: string, opts: DumpOutputOptions, body: (f: SparseFile) => T): T {
  const f = openDump(path, opts);
  try {
    return body(f);
  } catch (e) {
    f.abort();
    throw e;
  }
}
