/**
 * struct kerneldumpheader (512 bytes, big-endian integers, XOR parity of its 32-bit words = 0):
 * what the kernel writes in front of a dump on the dump device. savecore strips it; keeping it
 * gives a "raw" dump whose payload starts at offset 512.
 */

export const KERNELDUMPHEADER_SIZE = 512;

export interface KernelDumpHeaderOptions {
  /** MACHINE_ARCH: 'amd64' or 'aarch64'. */
  architecture: 'amd64' | 'aarch64';
  /** Also write a copy after the payload, as on the dump device (default false). */
  trailer?: boolean;
  magic?: string;
  dumptime?: bigint;
  hostname?: string;
  versionString?: string;
  panicString?: string;
}

/** Builds the header for a payload of dumplength bytes. */
export function kernelDumpHeader(opts: KernelDumpHeaderOptions, dumplength: bigint): Buffer {
  const h = Buffer.alloc(KERNELDUMPHEADER_SIZE);
  const str = (s: string, off: number, max: number): void => {
    h.write(s.slice(0, max - 1), off, 'latin1');
  };
  str(opts.magic ?? 'FreeBSD Kernel Dump', 0, 20);
  str(opts.architecture, 20, 12);
  h.writeUInt32BE(4, 32); // KERNELDUMPVERSION
  h.writeUInt32BE(opts.architecture === 'amd64' ? 2 : 1, 36); // KERNELDUMP_{AMD64,AARCH64}_VERSION
  h.writeBigUInt64BE(dumplength, 40);
  h.writeBigUInt64BE(opts.dumptime ?? 0n, 48);
  h.writeUInt32BE(0, 56); // dumpkeysize
  h.writeUInt32BE(512, 60); // blocksize
  str(opts.hostname ?? 'sim', 64, 64);
  str(opts.versionString ?? 'FreeBSD simulated kernel', 128, 192);
  str(opts.panicString ?? 'simulated dump', 320, 175);
  h.writeUInt8(0, 495); // compression: none
  h.writeBigUInt64BE(dumplength, 496); // dumpextent
  let parity = 0;
  for (let off = 0; off < 508; off += 4) parity ^= h.readUInt32BE(off);
  h.writeUInt32BE(parity >>> 0, 508);
  return h;
}
