/**
 * Jails (sys/sys/jail.h): prison0 is the host, every other jail is on the allprison TAILQ in jid
 * order. A jail's pr_vnet is its network stack: its own for a VNET jail (PR_VNET in pr_flags),
 * the parent's otherwise. Layouts come from DWARF.
 */
import { KvmError } from '../errors';
import type { Kvm } from '../kvm';
import { walkList } from './queue';
import { intMember, offsetOrNull, ptrMember, strMember } from './struct-fields';

/** pr_flags bit of a jail with its own vnet (stable since VIMAGE jails appeared). */
export const PR_VNET = 0x10;

/** Jails are far fewer than this; more means a corrupt list. */
const JAIL_LIMIT = 100_000;

export interface Jail {
  jid: number;
  name: string;
  path: string;
  hostname: string;
  /** struct prison * */
  address: bigint;
  /** parent's jid; null for prison0 */
  parent: number | null;
  flags: number;
  /** pr_vnet (0n on a kernel without VIMAGE) */
  vnet: bigint;
  /** PR_VNET: the jail has its own network stack */
  ownsVnet: boolean;
}

function readJail(kd: Kvm, addr: bigint, parentOf: Map<bigint, number>): Jail {
  const o = kd.object('struct prison', addr);
  const parentPtr = ptrMember(o, 'pr_parent');
  const flags = intMember(o, 'pr_flags') >>> 0;
  const vnet = offsetOrNull(kd, 'struct prison', 'pr_vnet') !== null ? ptrMember(o, 'pr_vnet') : 0n;
  return {
    jid: intMember(o, 'pr_id'),
    name: strMember(o, 'pr_name'),
    path: strMember(o, 'pr_path'),
    hostname: strMember(o, 'pr_hostname'),
    address: addr,
    parent: parentPtr === 0n ? null : (parentOf.get(parentPtr) ?? null),
    flags,
    vnet,
    ownsVnet: (flags & PR_VNET) !== 0,
  };
}

/** prison0 then every jail on allprison. A corrupt allprison is CORRUPT. */
export function listJails(kd: Kvm): Jail[] {
  const p0 = kd.lookupPlain('prison0');
  if (!p0) throw new KvmError('NO_SYMBOL', 'the kernel has no prison0 (no jail support?)', { name: 'prison0' });
  const ids = new Map<bigint, number>();
  const out: Jail[] = [];
  const host = readJail(kd, p0.value, ids);
  ids.set(host.address, host.jid);
  out.push(host);
  const head = kd.lookupPlain('allprison');
  if (!head) return out;
  const next = kd.offsetof('struct prison', 'pr_list.tqe_next');
  for (const addr of walkList(kd, { name: 'allprison', first: kd.readPointer(head.value), nextOffset: next, limit: JAIL_LIMIT })) {
    const j = readJail(kd, addr, ids);
    ids.set(addr, j.jid);
    out.push(j);
  }
  // Parents precede children on allprison only when created first; resolve the rest now.
  const byAddr = new Map(out.map((j) => [j.address, j.jid]));
  for (const j of out) {
    if (j.parent !== null || j.address === host.address) continue;
    const ptr = ptrMember(kd.object('struct prison', j.address), 'pr_parent');
    j.parent = byAddr.get(ptr) ?? null;
  }
  return out;
}

/** A jail by jid (a number or all-digit string) or name; an unknown one is NO_VNET listing the jails. */
export function findJail(kd: Kvm, key: string | number, jails: Jail[] = listJails(kd)): Jail {
  const byId = typeof key === 'number' || /^\d+$/.test(key) ? Number(key) : null;
  const j = jails.find((x) => (byId !== null ? x.jid === byId : x.name === key));
  if (!j) {
    const known = jails.map((x) => (x.jid === 0 ? '0 (host)' : `${x.jid} (${x.name})`)).join(', ');
    throw new KvmError('NO_VNET', `no jail ${JSON.stringify(String(key))} in this image; jails: ${known}`, { name: String(key) });
  }
  return j;
}
