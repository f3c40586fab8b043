/** hexdump -C style lines: address, 16 bytes in two groups of 8, printable ASCII. */
export function hexdump(addr: bigint, bytes: Uint8Array): string {
  const lines: string[] = [];
  const width = 16;
  for (let i = 0; i < bytes.length; i += width) {
    const chunk = bytes.subarray(i, Math.min(i + width, bytes.length));
    const hex: string[] = [];
    for (let j = 0; j < width; j++) {
      hex.push(j < chunk.length ? chunk[j]!.toString(16).padStart(2, '0') : '  ');
      if (j === 7) hex.push('');
    }
    let ascii = '';
    for (const b of chunk) ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    const a = ((addr + BigInt(i)) & ((1n << 64n) - 1n)).toString(16).padStart(16, '0');
    lines.push(`${a}  ${hex.join(' ')}  |${ascii}|`);
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}
