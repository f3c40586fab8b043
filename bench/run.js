'use strict';
// npm run bench: runs every bench module (bench/<name>.js exporting an async function that returns
// rows) and prints one table with ratios against baselines measured in the same run.
// usage: node bench/run.js [name ...]
const fs = require('fs');
const path = require('path');
const Table = require('cli-table3');

const NOT_MODULES = new Set(['run.js', 'util.js', 'prng.js']);

function fmt(v) {
  if (v === undefined || v === null || Number.isNaN(v)) return '';
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

async function main() {
  const only = process.argv.slice(2);
  const names = fs.readdirSync(__dirname)
    .filter((f) => f.endsWith('.js') && !NOT_MODULES.has(f))
    .map((f) => f.slice(0, -3))
    .filter((n) => only.length === 0 || only.includes(n));
  const table = new Table({ head: ['bench', 'value', 'unit', 'baseline', 'baseline is', 'ratio', 'target'] });
  for (const name of names) {
    process.stderr.write(`bench ${name}...\n`);
    let rows;
    try {
      rows = await require(path.join(__dirname, name))();
    } catch (e) {
      table.push([`${name}: failed`, '', '', '', String(e.message).slice(0, 60), '', '']);
      continue;
    }
    for (const r of rows) {
      const ratio = r.ratio ?? (r.baseline ? r.value / r.baseline : undefined);
      table.push([r.name, fmt(r.value), r.unit, fmt(r.baseline), r.baselineName ?? '', ratio === undefined ? '' : `${fmt(ratio)}x`, r.target ?? '']);
    }
  }
  console.log(table.toString());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
