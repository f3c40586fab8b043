/**
 * The vnets of an image with the jails that use each: the view `kvm-inspect vnets` and
 * `kvm-netstat --all-vnets` start from. A vnet whose header is bad is listed with its problem
 * instead of ending the walk; only a corrupt vnet_head list itself is fatal.
 */
import { KvmError } from '../errors';
import type { Kvm } from '../kvm';
import { listJails, type Jail } from './jail';
import { readVnet, vnet0Address, vnetAddresses, type Vnet } from './vnet';

export interface VnetEntry extends Vnet {
  /** true for vnet0 (the host's) */
  isVnet0: boolean;
  /** jails whose pr_vnet is this vnet, host first */
  jails: { jid: number; name: string; ownsVnet: boolean }[];
  /** why the vnet cannot be read through (bad magic, unreadable), or null */
  problem: string | null;
}

export function listVnetsWithJails(kd: Kvm, jails: Jail[] | null = null): VnetEntry[] {
  const v0 = vnet0Address(kd);
  let js = jails;
  if (js === null) {
    try {
      js = listJails(kd);
    } catch (e) {
      if (!(e instanceof KvmError)) throw e;
      js = [];
    }
  }
  return vnetAddresses(kd).map((addr) => {
    const users = js!.filter((j) => j.vnet === addr).map((j) => ({ jid: j.jid, name: j.name, ownsVnet: j.ownsVnet }));
    let v: Vnet;
    try {
      v = readVnet(kd, addr);
    } catch (e) {
      if (!(e instanceof KvmError)) throw e;
      const blank = { address: addr, magic: 0, magicKind: 'bad' as const, ifcnt: 0, sockcnt: 0, state: 0, dataMem: 0n, dataBase: 0n };
      return { ...blank, isVnet0: addr === v0, jails: users, problem: e.message };
    }
    const problem =
      v.magicKind === 'destroyed' ? 'destroyed (magic 0xdeadbeef)' : v.magicKind === 'bad' ? `bad magic 0x${v.magic.toString(16)}` : null;
    return { ...v, isVnet0: addr === v0, jails: users, problem };
  });
}
