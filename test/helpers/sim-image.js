'use strict';
// Simulated images for tests: `await simImage({ scenario, format, flavour, arch, seed })` builds
// once per content (options + the simulator's own code and kernel sources) and reuses the result
// across test files and runs. Returns { kernel, core, expected } (expected.json parsed, hex strings).
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { root } = require('./tmp');

const REPO = path.join(__dirname, '..', '..');
const { buildScenario } = require('../../dist/sim/builder.js');
const { normalizeScenario, demoScenario, largeScenario } = require('../../dist/sim/scenario.js');

let codeHash = null;
/** Hash of everything that shapes an image: the compiled simulator and the kernel sources. */
function simCodeHash() {
  if (codeHash) return codeHash;
  const h = crypto.createHash('sha256');
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|c|h|json|sh|amd64|arm64)$/.test(e.name) || e.name.startsWith('ldscript')) h.update(p).update(fs.readFileSync(p));
    }
  };
  walk(path.join(REPO, 'dist', 'sim'));
  walk(path.join(REPO, 'sim', 'kernel'));
  codeHash = h.digest('hex').slice(0, 16);
  return codeHash;
}

function rawScenario(s) {
  if (s === undefined || s === 'demo') return demoScenario();
  if (s === 'large') return largeScenario({ vnets: 8, cpus: 4, ifaces: 2 });
  if (typeof s === 'object' && s.large) return largeScenario(s.large);
  return s;
}

/**
 * opts: { scenario: 'demo' | 'large' | { large: {vnets,cpus,ifaces} } | raw scenario object,
 *         format?, flavour?, arch?, seed?, dumpHeader? }
 */
async function simImage(opts = {}) {
  const overrides = {};
  for (const k of ['seed', 'flavour', 'arch']) if (opts[k] !== undefined) overrides[k] = opts[k];
  const scenario = normalizeScenario(rawScenario(opts.scenario), overrides);
  const key = JSON.stringify({ scenario, format: opts.format ?? null, dumpHeader: !!opts.dumpHeader, code: simCodeHash() });
  const hash = crypto.createHash('sha256').update(key).digest('hex').slice(0, 16);
  const dir = path.join(root, `sim-image-${hash}`);
  const done = path.join(dir, '.done');
  if (!fs.existsSync(done)) {
    fs.mkdirSync(root, { recursive: true });
    const work = fs.mkdtempSync(path.join(root, 'sim-image-tmp-'));
    await buildScenario({ scenario, outDir: work, ...(opts.format ? { format: opts.format } : {}), dumpHeader: !!opts.dumpHeader });
    fs.writeFileSync(path.join(work, '.done'), '');
    try {
      fs.renameSync(work, dir);
    } catch (e) {
      fs.rmSync(work, { recursive: true, force: true });
      if (!fs.existsSync(done)) throw e;
    }
  }
  const names = fs.readdirSync(dir);
  const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
  const core = names.find((n) => n.startsWith('vmcore'));
  return { dir, kernel: path.join(dir, 'kernel'), core: path.join(dir, core), expected };
}

module.exports = { simImage };
