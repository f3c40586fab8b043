/**
 * The one place kvm-netstat writes its result. Renderers return strings; this writes them
 * unchanged (no trailing-whitespace trimming: netstat -d rows end in a space on purpose) and
 * resolves once the stream has taken the data, so a CLI can exit without cutting a pipe short.
 */

import type { Writable } from 'stream';

export function writeOutput(text: string, stream: Writable = process.stdout): Promise<void> {
  if (text.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolve()));
  });
}
