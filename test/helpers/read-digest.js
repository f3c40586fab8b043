'use strict';
// One digest of everything the library reads from an image: info, symbols, vnets, jails, procs,
// CPUs, per-vnet variables, typed printing, the page walk and raw reads. Two readers of the same
// image (threads, processes, before/after) must produce the same digest.
const crypto = require('node:crypto');
const { Kvm } = require('../..');

const replacer = (_k, v) => (typeof v === 'bigint' ? '0x' + v.toString(16) : v);

/** Digest of reading `kernel` + `core` every way; `onStep` runs between steps (may close). */
function readDigest(kernel, core, onStep = () => {}) {
  const kd = Kvm.open({ kernel, core });
  const h = crypto.createHash('sha256');
  const add = (label, v) => {
    h.update(label).update('\0').update(Buffer.isBuffer(v) ? v : JSON.stringify(v, replacer)).update('\0');
    onStep(kd, label);
  };
  try {
    const { kernelPath, corePath, ...info } = kd.info;
    void kernelPath;
    void corePath;
    add('info', { format: info.format, arch: info.arch, pointerSize: info.pointerSize });
    add('version', kd.readCString(kd.symbol('version').value));
    add('vnets', kd.vnets());
    add('jails', kd.jails());
    add('procs', kd.procs());
    add('cpus', kd.cpuList());
    for (const v of kd.vnets()) {
      const s = kd.resolve('tcpstat', { vnet: v.address });
      if (s) add(`tcpstat@${v.address}`, kd.read(s.value, 256));
    }
    add('prison0', kd.variable('prison0').format());
    const pages = [];
    let n = 0;
    for (const p of kd.walkPages({ batch: 64 })) {
      pages.push(p);
      if (++n >= 256) break;
    }
    add('pages', pages);
    const buf = Buffer.alloc(1 << 16);
    const got = kd.readPartial(kd.symbol('version').value, buf);
    add('data', buf);
    add('data-len', got);
  } finally {
    kd.close();
  }
  return h.digest('hex');
}

module.exports = { readDigest };
