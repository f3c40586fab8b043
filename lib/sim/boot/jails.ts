/**
 * Jails, credentials, processes and threads: prison0 (static, its pr_vnet set to vnet0), jails on
 * allprison (TAILQ sorted by jid) and their parents' pr_children, a ucred per jail, processes on
 * allproc (newest first) each with its threads, per-CPU idle threads, and the dumping thread
 * (dumptid, pc_curthread of its CPU, td_vnet when it was in network code).
 */
import type { JailSpec, ProcSpec } from '../scenario';
import { BootContext, sym, writePtr } from './context';
import type { SimCpu } from './cpus';
import type { SimVnet } from './vnets';

const PR_PERSIST = 0x1, PR_HOST = 0x2, PR_VNET = 0x10;
const PRISON_STATE_ALIVE = 1;
const NOCPU = -1;

export interface SimJail {
  jid: number;
  name: string;
  path: string;
  hostname: string;
  address: bigint;
  parent: number | null;
  flags: number;
  vnet: SimVnet | null;
  ownsVnet: boolean;
  cred: bigint;
}

export interface SimThread {
  tid: number;
  address: bigint;
  name: string;
  cpu: number | null;
  vnet: bigint;
}

export interface SimProc {
  pid: number;
  comm: string;
  address: bigint;
  jid: number;
  threads: SimThread[];
}

export class ProcState {
  nextTid = 100000;
  procs: SimProc[] = [];
}

function has(ctx: BootContext, type: string, path: string): boolean {
  return ctx.w.has(type, path);
}

/** prison0: pr_vnet = vnet0; returns its record. */
export function setupPrison0(ctx: BootContext, vnet0: SimVnet | null): SimJail {
  const p0 = sym(ctx, 'prison0');
  if (vnet0) ctx.w.set(p0, 'struct prison', { pr_vnet: vnet0.address });
  const cred = newCred(ctx, p0);
  const flags = Number(ctx.m.readInt(p0 + BigInt(ctx.w.offsetof('struct prison', 'pr_flags')), 4));
  return { jid: 0, name: '0', path: '/', hostname: '', address: p0, parent: null, flags, vnet: vnet0, ownsVnet: vnet0 !== null, cred };
}

function newCred(ctx: BootContext, prison: bigint): bigint {
  const cred = ctx.m.dmapAlloc(ctx.w.sizeof('struct ucred'), 16);
  ctx.w.set(cred, 'struct ucred', { cr_ref: 1, cr_prison: prison, cr_ngroups: 1, cr_users: has(ctx, 'struct ucred', 'cr_users') ? 1 : null });
  return cred;
}

/** Creates a jail under `parent`; ownVnet = its new vnet for VNET jails, else null. */
export function createJail(ctx: BootContext, spec: JailSpec, parent: SimJail, ownVnet: SimVnet | null, tailLink: { last: bigint }): SimJail {
  const { w, m } = ctx;
  const addr = m.dmapAlloc(w.sizeof('struct prison'), 16);
  const vnet = ownVnet ?? parent.vnet;
  const flags = PR_PERSIST | PR_HOST | (ownVnet ? PR_VNET : 0);
  const fullName = parent.jid === 0 ? spec.name : `${parent.name}.${spec.name}`;
  const path = spec.path ?? `/jails/${spec.name}`;
  const hostname = spec.hostname ?? spec.name;
  w.set(addr, 'struct prison', {
    pr_id: spec.jid,
    pr_ref: 1,
    pr_uref: 1,
    pr_flags: flags,
    pr_parent: parent.address,
    pr_vnet: vnet ? vnet.address : null,
    pr_name: fullName,
    pr_path: path,
    pr_hostname: hostname,
    pr_state: has(ctx, 'struct prison', 'pr_state') ? PRISON_STATE_ALIVE : null,
    pr_childmax: 999999,
    pr_securelevel: -1,
    pr_enforce_statfs: 2,
  });
  // allprison: TAILQ_INSERT_TAIL through pr_list (jails are created in jid order).
  const head = sym(ctx, 'allprison');
  const next = BigInt(w.offsetof('struct prison', 'pr_list.tqe_next'));
  const prev = BigInt(w.offsetof('struct prison', 'pr_list.tqe_prev'));
  const lastNext = tailLink.last === 0n ? head : tailLink.last + next;
  writePtr(ctx, lastNext, addr);
  writePtr(ctx, addr + prev, lastNext);
  writePtr(ctx, head + BigInt(ctx.ptrSize), addr + next);
  tailLink.last = addr;
  // The parent's children: LIST_INSERT_HEAD(&parent->pr_children, pr, pr_sibling).
  const kids = BigInt(w.offsetof('struct prison', 'pr_children'));
  const sibNext = BigInt(w.offsetof('struct prison', 'pr_sibling.le_next'));
  const sibPrev = BigInt(w.offsetof('struct prison', 'pr_sibling.le_prev'));
  const first = m.readInt(parent.address + kids, ctx.ptrSize);
  writePtr(ctx, addr + sibNext, first);
  if (first !== 0n) writePtr(ctx, first + sibPrev, addr + sibNext);
  writePtr(ctx, parent.address + kids, addr);
  writePtr(ctx, addr + sibPrev, parent.address + kids);
  const cc = BigInt(w.offsetof('struct prison', 'pr_childcount'));
  m.writeInt(parent.address + cc, 4, m.readInt(parent.address + cc, 4) + 1n);
  const cred = newCred(ctx, addr);
  return { jid: spec.jid, name: fullName, path, hostname, address: addr, parent: parent.jid, flags, vnet, ownsVnet: ownVnet !== null, cred };
}

function linkProc(ctx: BootContext, p: bigint): void {
  // LIST_INSERT_HEAD(&allproc, p, p_list)
  const head = sym(ctx, 'allproc');
  const next = BigInt(ctx.w.offsetof('struct proc', 'p_list.le_next'));
  const prev = BigInt(ctx.w.offsetof('struct proc', 'p_list.le_prev'));
  const first = ctx.m.readInt(head, ctx.ptrSize);
  writePtr(ctx, p + next, first);
  if (first !== 0n) writePtr(ctx, first + prev, p + next);
  writePtr(ctx, head, p);
  writePtr(ctx, p + prev, head);
}

function addThreads(ctx: BootContext, st: ProcState, p: bigint, cred: bigint, names: string[], threadAddrs?: bigint[]): SimThread[] {
  const { w } = ctx;
  const threads: SimThread[] = [];
  const headOff = BigInt(w.offsetof('struct proc', 'p_threads'));
  const next = BigInt(w.offsetof('struct thread', 'td_plist.tqe_next'));
  const prev = BigInt(w.offsetof('struct thread', 'td_plist.tqe_prev'));
  let lastNext = p + headOff;
  for (let i = 0; i < names.length; i++) {
    const td = threadAddrs?.[i] ?? ctx.m.dmapAlloc(w.sizeof('struct thread'), 16);
    const tid = st.nextTid++;
    w.set(td, 'struct thread', {
      td_tid: tid,
      td_proc: p,
      td_ucred: cred,
      td_name: names[i]!.slice(0, 19),
      td_oncpu: has(ctx, 'struct thread', 'td_oncpu') ? NOCPU : null,
    });
    writePtr(ctx, lastNext, td);
    writePtr(ctx, td + prev, lastNext);
    lastNext = td + next;
    threads.push({ tid, address: td, name: names[i]!, cpu: null, vnet: 0n });
  }
  writePtr(ctx, p + headOff + BigInt(ctx.ptrSize), lastNext);
  if (has(ctx, 'struct proc', 'p_numthreads')) w.set(p, 'struct proc', { p_numthreads: names.length });
  return threads;
}

/** A process in `jail` with its threads, linked on allproc. */
export function createProc(ctx: BootContext, st: ProcState, jail: SimJail, spec: ProcSpec, addr?: bigint, threadAddrs?: bigint[]): SimProc {
  const p = addr ?? ctx.m.dmapAlloc(ctx.w.sizeof('struct proc'), 16);
  ctx.w.set(p, 'struct proc', { p_pid: spec.pid, p_comm: spec.comm.slice(0, 19), p_ucred: jail.cred });
  if (has(ctx, 'struct proc', 'p_state')) ctx.w.set(p, 'struct proc', { p_state: 2 }); // PRS_NORMAL
  linkProc(ctx, p);
  const n = spec.threads ?? 1;
  const names = Array.from({ length: n }, (_, i) => (n === 1 ? spec.comm : `${spec.comm}/${i}`));
  const proc: SimProc = { pid: spec.pid, comm: spec.comm, address: p, jid: jail.jid, threads: addThreads(ctx, st, p, jail.cred, names, threadAddrs) };
  st.procs.push(proc);
  return proc;
}

/** proc0 and thread0 (static storage) in prison0. */
export function setupProc0(ctx: BootContext, st: ProcState, prison0: SimJail): SimProc {
  const thread0 = sym(ctx, 'thread0_st') + BigInt(ctx.w.offsetof('struct thread0_storage', 't0st_thread'));
  return createProc(ctx, st, prison0, { pid: 0, comm: 'kernel' }, sym(ctx, 'proc0'), [thread0]);
}

/** The idle process (pid 11) with one thread per CPU, each the pc_curthread of its CPU. */
export function setupIdle(ctx: BootContext, st: ProcState, prison0: SimJail, cpus: SimCpu[]): SimProc {
  const idle = createProc(ctx, st, prison0, { pid: 11, comm: 'idle', threads: cpus.length });
  cpus.forEach((c, i) => {
    const td = idle.threads[i]!;
    td.name = `idle: cpu${c.id}`;
    td.cpu = c.id;
    ctx.w.set(td.address, 'struct thread', { td_name: td.name, td_oncpu: has(ctx, 'struct thread', 'td_oncpu') ? c.id : null });
    ctx.w.set(c.pcpu, 'struct pcpu', { pc_curthread: td.address, pc_idlethread: td.address });
  });
  return idle;
}

/** Makes `td` the dumping thread: dumptid, curthread of `cpu`, td_vnet when in network code. */
export function setDumpingThread(ctx: BootContext, st: ProcState, td: SimThread, cpu: SimCpu, vnet: bigint, noDumptid: boolean): void {
  // The CPU's idle thread stops running there.
  for (const p of st.procs) {
    for (const other of p.threads) {
      if (other !== td && other.cpu === cpu.id) {
        other.cpu = null;
        if (has(ctx, 'struct thread', 'td_oncpu')) ctx.w.set(other.address, 'struct thread', { td_oncpu: NOCPU });
      }
    }
  }
  td.cpu = cpu.id;
  td.vnet = vnet;
  ctx.w.set(td.address, 'struct thread', {
    td_oncpu: has(ctx, 'struct thread', 'td_oncpu') ? cpu.id : null,
    td_vnet: vnet !== 0n && has(ctx, 'struct thread', 'td_vnet') ? vnet : null,
  });
  ctx.w.set(cpu.pcpu, 'struct pcpu', { pc_curthread: td.address });
  ctx.m.writeInt(sym(ctx, 'dumptid'), 4, noDumptid ? 0 : td.tid);
}
