/**
 * renderNetstat(): the whole netstat output for one vnet, or for every vnet with --all-vnets.
 *
 * --all-vnets (our addition; FreeBSD cannot choose a vnet in a core) prints, per vnet, a heading
 *   `vnet 0xfffff80003a1b000 (jails: 0 host, 2 web)`
 * followed by the normal output, with one empty line between vnets (`(jails: none)` when no jail
 * uses the vnet). In JSON it is a top-level list with one object per vnet:
 *   [{"vnet":"0x...", "jails": [{"jid":0,"name":"host"}], "statistics": {...}}, ...]
 * written with libxo's separators and pretty indentation.
 */

import type { JailRef, VnetView } from './model';
import type { NetstatOptions } from './options';
import { resolveFamily, resolveProtocol, validateNetstatOptions } from './options';
import { XoOutput } from './xo';
import { ifIndexMap, renderInterfaces } from './iftable';
import type { StatsProtocol } from './stats';
import { protocolsFor, renderProtocolStats } from './stats';

function ifFamily(f: string | null | undefined): 'inet' | 'inet6' | 'link' | null {
  if (f == null) return null;
  const fam = resolveFamily(f);
  return fam === 'inet' || fam === 'inet6' || fam === 'link' ? fam : null;
}

/** Does -f select nothing at all (a family with no interface rows or protocol tables here)? */
function familyMatchesNothing(f: string | null | undefined): boolean {
  return f != null && ifFamily(f) === null;
}

/** The body of one vnet inside an open "statistics" container. */
function renderBody(out: XoOutput, o: NetstatOptions, view: VnetView): void {
  out.openContainer('statistics');
  if (o.i || o.I != null) {
    const family = familyMatchesNothing(o.f) ? 'none' : ifFamily(o.f);
    renderInterfaces(out, view, {
      interface: o.I ?? null,
      family: family === 'none' ? null : family,
      familyNone: family === 'none',
      b: !!o.b,
      d: !!o.d,
      h: !!o.h,
      W: !!o.W,
      compat: o.compat ?? 14,
    });
  } else {
    let protocols: StatsProtocol[];
    if (o.p != null) protocols = [resolveProtocol(o.p)!];
    else if (familyMatchesNothing(o.f)) protocols = [];
    else protocols = protocolsFor(ifFamily(o.f));
    renderProtocolStats(out, view.stats, protocols, o.s ?? 1, ifIndexMap(view.interfaces));
  }
  out.closeContainer();
}

/** `vnet 0x... (jails: 0 host, 2 web)`. */
export function vnetHeading(view: VnetView): string {
  const jails = view.jails.map((j: JailRef) => (j.name ? `${j.jid} ${j.name}` : `${j.jid}`));
  return `vnet 0x${BigInt.asUintN(64, view.address).toString(16)} (jails: ${jails.length ? jails.join(', ') : 'none'})`;
}

/**
 * Render netstat's output for `vnets` under `options`. Without allVnets exactly one vnet is
 * expected. Throws RangeError with a user-facing message when the options are invalid (see
 * validateNetstatOptions()).
 */
export function renderNetstat(options: NetstatOptions, vnets: readonly VnetView[]): string {
  const problem = validateNetstatOptions(options);
  if (problem !== null) throw new RangeError(problem);
  const style = { json: !!options.libxo?.json, pretty: !!options.libxo?.pretty };

  if (!options.allVnets) {
    if (vnets.length !== 1) throw new RangeError(`renderNetstat: expected one vnet, got ${vnets.length}`);
    const out = new XoOutput(style);
    renderBody(out, options, vnets[0]!);
    return out.finish();
  }

  if (style.json) {
    const out = new XoOutput(style, true);
    for (const view of vnets) {
      out.openInstance();
      out.encode('vnet', `0x${BigInt.asUintN(64, view.address).toString(16)}`);
      out.openList('jails');
      for (const j of view.jails) {
        out.openInstance();
        out.encode('jid', j.jid);
        out.encode('name', j.name);
        out.closeInstance();
      }
      out.closeList();
      renderBody(out, options, view);
      out.closeInstance();
    }
    return out.finish();
  }

  return vnets
    .map((view) => {
      const out = new XoOutput(style);
      renderBody(out, options, view);
      return `${vnetHeading(view)}\n${out.finish()}`;
    })
    .join('\n');
}
