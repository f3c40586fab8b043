/**
 * Vnet selectors that go through kernel structures: a jail (its pr_vnet), a process (its
 * credential's jail), and 'current', the vnet of the thread that wrote the dump: its td_vnet when
 * it was in network code, else its process's jail's vnet, else vnet0. The choice says how it was made.
 */
import { KvmError } from '../errors';
import type { Kvm } from '../kvm';
import type { VnetChoice } from '../translation';
import { findJail, listJails, type Jail } from './jail';
import { dumpTid, findProc, findThread, listProcs, type Proc } from './proc';
import { checkedVnet, requireVimage, vnet0Address } from './vnet';

const label = (j: Jail): string => (j.jid === 0 ? 'host (jid 0)' : `jail ${j.name} (jid ${j.jid})`);

export function jailVnet(kd: Kvm, key: string | number): VnetChoice {
  if (typeof key !== 'string' && typeof key !== 'number') throw new TypeError('{ jail } takes a name or a jid');
  requireVimage(kd);
  const j = findJail(kd, key);
  return { vnet: checkedVnet(kd, j.vnet), how: label(j) };
}

function procJail(p: Proc, jails: Jail[]): Jail {
  const j = jails.find((x) => x.address === p.prison);
  if (!j) {
    throw new KvmError('CORRUPT', `pid ${p.pid}'s credential points at no known jail (cr_prison ${p.prison.toString(16)})`, {
      address: p.prison,
    });
  }
  return j;
}

export function pidVnet(kd: Kvm, pid: number): VnetChoice {
  if (typeof pid !== 'number') throw new TypeError('{ pid } takes a number');
  requireVimage(kd);
  const p = findProc(kd, pid);
  const j = procJail(p, listJails(kd));
  return { vnet: checkedVnet(kd, j.vnet), how: `pid ${pid} in ${label(j)}` };
}

export function currentVnet(kd: Kvm): VnetChoice {
  requireVimage(kd);
  const tid = dumpTid(kd);
  if (tid !== null) {
    const procs = listProcs(kd);
    const found = findThread(procs, tid);
    if (found) {
      if (found.thread.vnet !== 0n) {
        return { vnet: checkedVnet(kd, found.thread.vnet), how: `dumping thread ${tid}'s td_vnet` };
      }
      const j = procJail(found.proc, listJails(kd));
      return { vnet: checkedVnet(kd, j.vnet), how: `dumping thread ${tid}'s process (pid ${found.proc.pid}) in ${label(j)}` };
    }
  }
  const why = tid === null ? 'no dumping thread (dumptid is 0)' : `dumping thread ${tid} not found on allproc`;
  return { vnet: checkedVnet(kd, vnet0Address(kd)), how: `vnet0: ${why}` };
}
