'use strict';
// npm start: kvm-netstat on the bundled sample dump (sample/kernel + sample/vmcore.0, described by
// sample/expected.json): the interface table and the TCP statistics of the host and of jail `web`.
const { spawnSync } = require('child_process');
const path = require('path');

const root = path.join(__dirname, '..');
const bin = path.join(root, 'bin', 'kvm-netstat');
const runs = [
  ['host', ['-i']],
  ['host', ['-s', '-p', 'tcp']],
  ['jail web', ['-j', 'web', '-i']],
  ['jail web', ['-j', 'web', '-s', '-p', 'tcp']],
];

let status = 0;
runs.forEach(([who, args], k) => {
  const argv = ['-M', 'sample', ...args];
  process.stdout.write(`${k ? '\n' : ''}=== ${who}: kvm-netstat ${argv.join(' ')}\n`);
  const r = spawnSync(process.execPath, [bin, ...argv], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) status = r.status ?? 1;
});
process.exitCode = status;
