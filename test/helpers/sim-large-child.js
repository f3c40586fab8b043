'use strict';
// Child process of test 53: builds one large scenario into argv[2] and reports, as JSON on
// stdout, its wall time, the peak RSS of this process, and what the opened image shows.
const path = require('node:path');
const { buildScenario } = require('../../dist/sim/builder.js');
const { normalizeScenario, largeScenario } = require('../../dist/sim/scenario.js');

async function main() {
  const [outDir, vnets, cpus, ifaces] = [process.argv[2], ...process.argv.slice(3, 6).map(Number)];
  const started = process.hrtime.bigint();
  await buildScenario({ scenario: normalizeScenario(largeScenario({ vnets, cpus, ifaces })), outDir });
  const buildMs = Number(process.hrtime.bigint() - started) / 1e6;
  const buildRssKiB = process.resourceUsage().maxRSS;
  const { Kvm } = require('../..');
  const fs = require('node:fs');
  const core = fs.readdirSync(outDir).find((n) => n.startsWith('vmcore'));
  const kd = Kvm.open({ kernel: path.join(outDir, 'kernel'), core: path.join(outDir, core) });
  const list = kd.vnets();
  const report = {
    buildMs,
    buildRssKiB,
    maxRssKiB: process.resourceUsage().maxRSS,
    coreBytes: fs.statSync(path.join(outDir, core)).size,
    vnets: list.length,
    vnet0Last: list[list.length - 1].isVnet0,
    problems: list.filter((v) => v.problem).length,
    cpus: kd.cpuList().length,
    expectedVnets: JSON.parse(fs.readFileSync(path.join(outDir, 'expected.json'), 'utf8')).vnets.map((v) => v.address),
    vnetAddresses: list.map((v) => '0x' + v.address.toString(16)),
  };
  kd.close();
  process.stdout.write(JSON.stringify(report));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack));
  process.exitCode = 1;
});
