/**
 * Writes a file at explicit offsets, leaving holes where nothing is written, so dumps of large
 * sparse memories take little disk and never sit whole in memory. Adjacent writes are merged
 * into chunks of up to 1 MiB. An optional leading block (a kerneldumpheader) shifts every offset.
 */
import * as fs from 'fs';

const CHUNK = 1 << 20;

export class SparseFile {
  readonly path: string;
  readonly base: number;
  #fd: number;
  #buf = Buffer.allocUnsafe(CHUNK);
  #bufStart = -1; // payload offset of #buf[0]; -1 when empty
  #bufLen = 0;

  /** Creates (truncates) `path`; payload offset 0 is file offset `base`. */
  constructor(path: string, base = 0) {
    this.path = path;
    this.base = base;
    this.#fd = fs.openSync(path, 'w');
  }

  /** Writes data at payload offset `offset`. */
  write(offset: number, data: Uint8Array): void {
    if (this.#bufStart >= 0 && offset === this.#bufStart + this.#bufLen && this.#bufLen + data.length <= CHUNK) {
      this.#buf.set(data, this.#bufLen);
      this.#bufLen += data.length;
      return;
    }
    this.flush();
    if (data.length >= CHUNK) {
      fs.writeSync(this.#fd, data, 0, data.length, this.base + offset);
      return;
    }
    this.#buf.set(data, 0);
    this.#bufStart = offset;
    this.#bufLen = data.length;
  }

  /** Writes raw bytes at a file offset (outside the payload, e.g. the dump header). */
  writeRaw(fileOffset: number, data: Uint8Array): void {
    this.flush();
    fs.writeSync(this.#fd, data, 0, data.length, fileOffset);
  }

  flush(): void {
    if (this.#bufLen > 0) fs.writeSync(this.#fd, this.#buf, 0, this.#bufLen, this.base + this.#bufStart);
    this.#bufStart = -1;
    this.#bufLen = 0;
  }

  /** Flushes, sets the file size to base + payloadSize + trailer, and closes. */
  close(payloadSize: number, trailer = 0): void {
    this.flush();
    fs.ftruncateSync(this.#fd, this.base + payloadSize + trailer);
    fs.closeSync(this.#fd);
    this.#fd = -1;
  }

  /** Closes without finishing (after an error). */
  abort(): void {
    if (this.#fd >= 0) fs.closeSync(this.#fd);
    this.#fd = -1;
  }
}

/** True if every byte is zero (such pages are left as holes). */
export function isZero(b: Uint8Array): boolean {
  const words = b.length >> 3;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < words; i++) if (dv.getBigUint64(i * 8) !== 0n) return false;
  for (let i = words * 8; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}
