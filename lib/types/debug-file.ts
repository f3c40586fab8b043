/**
 * Where the kernel's DWARF lives. Policy (the addon only answers "does this file have DWARF" and
 * "what does its .gnu_debuglink say"):
 *   1. an explicit `debug` path, and nothing else;
 *   2. the kernel file itself;
 *   3. `<kernel>.debug` beside it;
 *   4. the kernel's .gnu_debuglink name: in the kernel's directory, then its `.debug/`
 *      subdirectory, then under each global debug root (`/usr/lib/debug/<kernel's dir>/`).
 * A debuglink candidate whose CRC-32 differs from the link's is skipped. When nothing fits, the
 * NO_TYPES error names every path tried and why each was refused.
 */
import * as fs from 'fs';
import * as path from 'path';
import { addon } from '../binding';
import { KvmError } from '../errors';

export const DEFAULT_DEBUG_ROOTS: readonly string[] = ['/usr/lib/debug'];

export interface DebugFileResult {
  /** The file whose DWARF to read. */
  path: string;
  /** Every candidate looked at, in order, with the verdict ("ok", "missing", "no DWARF", ...). */
  searched: { path: string; verdict: string }[];
}

function probe(file: string): { verdict: string; ok: boolean; crcOk?: (crc: number) => boolean } {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return { verdict: 'missing', ok: false };
  }
  if (!st.isFile()) return { verdict: 'not a file', ok: false };
  try {
    const p = addon.NativeDwarf.probe(file);
    if (!p.isElf) return { verdict: 'not ELF', ok: false };
    if (!p.hasDwarf) return { verdict: 'no DWARF', ok: false };
    return { verdict: 'ok', ok: true };
  } catch (e) {
    return { verdict: `unreadable: ${(e as Error).message}`, ok: false };
  }
}

/**
 * Finds the file holding `kernel`'s DWARF (see the module comment for the order).
 * Throws KvmError('NO_TYPES') naming every path searched.
 */
export function findDebugFile(
  kernel: string,
  debug?: string,
  roots: readonly string[] = DEFAULT_DEBUG_ROOTS,
): DebugFileResult {
  const searched: { path: string; verdict: string }[] = [];
  const fail = (): never => {
    const list = searched.map((s) => `${s.path} (${s.verdict})`).join(', ');
    throw new KvmError('NO_TYPES', `no DWARF debug information for ${kernel}; searched: ${list}`, {
      path: kernel,
    });
  };
  const tryFile = (file: string, crc?: number): boolean => {
    const r = probe(file);
    let verdict = r.verdict;
    let ok = r.ok;
    if (ok && crc !== undefined) {
      const actual = addon.NativeDwarf.crc32(file);
      if (actual !== crc) {
        verdict = `CRC 0x${actual.toString(16)} does not match .gnu_debuglink's 0x${crc.toString(16)}`;
        ok = false;
      }
    }
    searched.push({ path: file, verdict });
    return ok;
  };

  if (debug !== undefined) {
    if (tryFile(debug)) return { path: debug, searched };
    return fail();
  }
  if (tryFile(kernel)) return { path: kernel, searched };
  const beside = `${kernel}.debug`;
  if (tryFile(beside)) return { path: beside, searched };

  let link: { name: string; crc: number } | undefined;
  try {
    const p = addon.NativeDwarf.probe(kernel);
    if (p.debuglink) link = { name: p.debuglink, crc: p.debuglinkCrc ?? 0 };
  } catch {
    // The kernel itself is unreadable; its verdict is already in `searched`.
  }
  if (link) {
    // Only a plain file name is meaningful in a debuglink; refuse paths that climb out.
    const name = path.basename(link.name);
    const dir = path.dirname(path.resolve(kernel));
    const candidates = [path.join(dir, name), path.join(dir, '.debug', name)];
    for (const root of roots) candidates.push(path.join(root, dir, name));
    for (const c of candidates) {
      if (c === path.resolve(beside)) continue;
      if (tryFile(c, link.crc)) return { path: c, searched };
    }
  } else {
    searched.push({ path: `${kernel} .gnu_debuglink`, verdict: 'none' });
  }
  return fail();
}
