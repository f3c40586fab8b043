'use strict';
// Issue 2 bench: random 8-byte reads through readU64 and readMany, and a 256 MiB sequential read
// in 1 MiB chunks, on an ELF core with one 256 MiB segment; baselines are the C program reading
// the same mapped bytes and JS Buffer reads of the same data.
const fs = require('fs');
const path = require('path');
const { Kvm } = require('..');
const { writeElf, ET, SHT, SHF, STT, STB } = require('../test/helpers/elf-writer');
const { offsets } = require('./prng');
const { scratch, best, rawBaseline } = require('./util');

const SEG = 256 << 20;
const VA = 0xfffff80000000000n;
const NRAND = 1_000_000;

function image() {
  const dir = path.join(scratch, 'read');
  const kernel = path.join(dir, 'kernel');
  const core = path.join(dir, 'vmcore');
  if (fs.existsSync(core) && fs.statSync(core).size > SEG) return { kernel, core };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(kernel, writeElf({ sections: [{ name: '.data', type: SHT.PROGBITS, flags: SHF.ALLOC | SHF.WRITE, addr: VA, data: Buffer.alloc(8) }],
    symbols: [{ name: 'base', value: VA, size: 8n, type: STT.OBJECT, bind: STB.GLOBAL, section: '.data' }] }));
  // Header with one PT_LOAD, then the data written in chunks (not held in memory at once).
  const hdr = writeElf({ type: ET.CORE, segments: [{ vaddr: VA, data: Buffer.alloc(0), memsz: 0 }] });
  const phoff = Number(hdr.readBigUInt64LE(32));
  const dataOff = 1 << 16;
  hdr.writeBigUInt64LE(BigInt(dataOff), phoff + 8);
  hdr.writeBigUInt64LE(BigInt(SEG), phoff + 32);
  hdr.writeBigUInt64LE(BigInt(SEG), phoff + 40);
  const fd = fs.openSync(core, 'w');
  fs.writeSync(fd, hdr, 0, hdr.length, 0);
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < SEG; i += chunk.length) {
    for (let j = 0; j < chunk.length; j += 4) chunk.writeUInt32LE(((i + j) * 2654435761) >>> 0, j);
    fs.writeSync(fd, chunk, 0, chunk.length, dataOff + i);
  }
  fs.closeSync(fd);
  return { kernel, core };
}

function randomReads(kd, buf, raw, len, label) {
  const offs = offsets(NRAND, len);
  const addrs = new BigUint64Array(NRAND);
  for (let i = 0; i < NRAND; i++) addrs[i] = VA + BigInt(offs[i]);
  kd.readMany(addrs, 8); // warm the page cache and our translation cache
  let sink = 0n;
  const tU64 = best(3, () => {
    for (let i = 0; i < NRAND; i++) sink ^= kd.readU64(addrs[i]);
  });
  const out = Buffer.allocUnsafe(NRAND * 8);
  const tMany = best(3, () => kd.readMany(addrs, 8, out));
  const tBuf = best(3, () => {
    for (let i = 0; i < NRAND; i++) sink ^= buf.readBigUInt64LE(offs[i]);
  });
  if (sink === 42n) console.log('');
  const c = raw(len);
  return [
    { name: `readU64, 1M random 8-byte reads, ${label}`, value: NRAND / tU64 / 1e6, unit: 'M reads/s', baseline: c.rand / 1e6, baselineName: 'C on the mapped file', target: '>= 10 M/s' },
    { name: `readMany, 1M random 8-byte reads, ${label}`, value: NRAND / tMany / 1e6, unit: 'M reads/s', baseline: NRAND / tBuf / 1e6, baselineName: 'JS Buffer random reads', target: '>= 0.5x Buffer' },
  ];
}

module.exports = async function run() {
  const { kernel, core } = image();
  const dataOff = 1 << 16;
  const rawExe = rawBaseline();
  const raw = (len) => rawExe(core, dataOff, len, NRAND, 256 << 20);
  const kd = Kvm.open({ kernel, core });
  const buf = fs.readFileSync(core).subarray(dataOff, dataOff + SEG);
  const rows = [
    // A hot working set (kernel structures being walked) and the whole image (DRAM-latency bound:
    // C overlaps independent misses; a call per read cannot).
    ...randomReads(kd, buf, raw, 1 << 20, '1 MiB working set (cache-resident)'),
    ...randomReads(kd, buf, raw, SEG, '256 MiB working set (DRAM-bound)'),
  ];
  const chunk = Buffer.allocUnsafe(1 << 20);
  const tSeq = best(3, () => {
    for (let done = 0; done < SEG; done += 1 << 20) kd.readInto(VA + BigInt(done), chunk);
  });
  kd.close();
  rows.push({ name: 'readInto 1 MiB chunks, 256 MiB sequential', value: SEG / tSeq / 1e9, unit: 'GB/s', baseline: raw(SEG).seq / 1e9, baselineName: 'C memcpy of the mapped file' });
  return rows;
};
