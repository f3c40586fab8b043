/**
 * The only place that loads the compiled addon. Resolution order: the LIBKVM_NATIVE environment
 * variable (a path to a .node file, e.g. the sanitizer build), prebuilds/<platform>-<arch>.node,
 * build/Release, build/Debug. On failure the error lists every path tried.
 */
import * as fs from 'fs';
import * as path from 'path';
import { KvmError } from './errors';
import type { NativeAddon } from './native';

const root = path.join(__dirname, '..');

function candidates(): string[] {
  const list: string[] = [];
  const env = process.env.LIBKVM_NATIVE;
  if (env) list.push(path.resolve(env));
  list.push(path.join(root, 'prebuilds', `${process.platform}-${process.arch}.node`));
  list.push(path.join(root, 'build', 'Release', 'kvm.node'));
  list.push(path.join(root, 'build', 'Debug', 'kvm.node'));
  return list;
}

function load(): NativeAddon {
  const tried: string[] = [];
  for (const file of candidates()) {
    if (!fs.existsSync(file)) {
      tried.push(`${file} (missing)`);
      continue;
    }
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const addon = require(file) as NativeAddon;
    addon.setErrorClass(KvmError);
    return addon;
  }
  const napi = process.versions.napi ?? 'unknown';
  throw new Error(
    `libkvm: cannot find the compiled addon for ${process.platform}-${process.arch} ` +
      `(Node-API ${napi}). Run \`npm install\` (or \`npm run build\`) in the package. Tried:\n  ` +
      tried.join('\n  '),
  );
}

export const addon: NativeAddon = load();
