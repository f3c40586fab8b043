/**
 * Processes and threads (sys/sys/proc.h): allproc is a LIST of struct proc linked by p_list, each
 * with a TAILQ of threads on p_threads linked by td_plist. A process's jail is
 * p_ucred->cr_prison; a thread inside network code has td_vnet set (CURVNET_SET).
 */
import { KvmError } from '../errors';
import type { Kvm } from '../kvm';
import { walkList } from './queue';
import { intMember, offsetOrNull, ptrMember, strMember } from './struct-fields';

const PROC_LIMIT = 10_000_000;
const THREAD_LIMIT = 1_000_000;
/** td_oncpu of a thread not running (NOCPU). */
const NOCPU = -1;

export interface Thread {
  tid: number;
  /** struct thread * */
  address: bigint;
  name: string;
  /** td_oncpu, or null when not running (or the member is absent) */
  cpu: number | null;
  /** td_vnet (0n outside network code or without VIMAGE) */
  vnet: bigint;
}

export interface Proc {
  pid: number;
  comm: string;
  /** struct proc * */
  address: bigint;
  /** p_ucred->cr_prison (struct prison *), 0n when unreadable */
  prison: bigint;
  threads: Thread[];
}

function readThreads(kd: Kvm, p: bigint, first: bigint): Thread[] {
  const next = kd.offsetof('struct thread', 'td_plist.tqe_next');
  const hasVnet = offsetOrNull(kd, 'struct thread', 'td_vnet') !== null;
  const hasOncpu = offsetOrNull(kd, 'struct thread', 'td_oncpu') !== null;
  const out: Thread[] = [];
  for (const td of walkList(kd, { name: `p_threads of proc ${p.toString(16)}`, first, nextOffset: next, limit: THREAD_LIMIT })) {
    const o = kd.object('struct thread', td);
    const oncpu = hasOncpu ? intMember(o, 'td_oncpu') : NOCPU;
    out.push({
      tid: intMember(o, 'td_tid'),
      address: td,
      name: strMember(o, 'td_name'),
      cpu: oncpu === NOCPU || oncpu < 0 ? null : oncpu,
      vnet: hasVnet ? ptrMember(o, 'td_vnet') : 0n,
    });
  }
  return out;
}

/** Every process on allproc (newest first, as the kernel keeps them) with its threads. */
export function listProcs(kd: Kvm): Proc[] {
  const head = kd.lookupPlain('allproc');
  if (!head) throw new KvmError('NO_SYMBOL', 'the kernel has no allproc', { name: 'allproc' });
  const next = kd.offsetof('struct proc', 'p_list.le_next');
  const threadsHead = kd.offsetof('struct proc', 'p_threads.tqh_first');
  const prisonOff = offsetOrNull(kd, 'struct ucred', 'cr_prison');
  const out: Proc[] = [];
  for (const p of walkList(kd, { name: 'allproc', first: kd.readPointer(head.value), nextOffset: next, limit: PROC_LIMIT })) {
    const o = kd.object('struct proc', p);
    const cred = ptrMember(o, 'p_ucred');
    let prison = 0n;
    if (cred !== 0n && prisonOff !== null) prison = kd.readPointer(cred + BigInt(prisonOff));
    out.push({
      pid: intMember(o, 'p_pid'),
      comm: strMember(o, 'p_comm'),
      address: p,
      prison,
      threads: readThreads(kd, p, kd.readPointer(p + BigInt(threadsHead))),
    });
  }
  return out;
}

/** The process `pid`; NO_VNET naming the pid when absent (it is used to pick a vnet). */
export function findProc(kd: Kvm, pid: number, procs: Proc[] = listProcs(kd)): Proc {
  if (!Number.isInteger(pid) || pid < 0) throw new RangeError(`pid must be a non-negative integer, got ${pid}`);
  const p = procs.find((x) => x.pid === pid);
  if (!p) throw new KvmError('NO_VNET', `no process with pid ${pid} in this image (${procs.length} processes)`, { name: String(pid) });
  return p;
}

/** The thread `tid` and its process, or null. */
export function findThread(procs: Proc[], tid: number): { proc: Proc; thread: Thread } | null {
  for (const proc of procs) for (const thread of proc.threads) if (thread.tid === tid) return { proc, thread };
  return null;
}

/** dumptid: the thread that wrote the dump (0 or absent on a live image). */
export function dumpTid(kd: Kvm): number | null {
  const s = kd.lookupPlain('dumptid');
  if (!s) return null;
  const tid = kd.readS32(s.value);
  return tid > 0 ? tid : null;
}
