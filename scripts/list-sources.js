'use strict';
// Prints the addon's source list (native/sources.txt) for binding.gyp, one path per line.
// Usage: node scripts/list-sources.js [--no-addon]
const fs = require('fs');
const path = require('path');

const text = fs.readFileSync(path.join(__dirname, '..', 'native', 'sources.txt'), 'utf8');
const skipAddon = process.argv.includes('--no-addon');
const files = text
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'))
  .filter((file) => !(skipAddon && file === 'native/addon.cc'));
process.stdout.write(files.join('\n') + '\n');
