/**
 * vnet_alloc(): a struct vnet, its data block (a copy of the set_vnet reference bytes) with
 * vnet_data_base = block - __start_set_vnet, inserted at the head of vnet_head.
 */
import { BootContext, sym, writePtr } from './context';

export interface SimVnet {
  address: bigint;
  dataMem: bigint;
  dataBase: bigint;
  magic: number;
  ifcnt: number;
}

/** SI_SUB_VNET_DONE: the last sysinit stage a live vnet has run. */
const SI_SUB_VNET_DONE = 0xdc00000;

export function vnetAlloc(ctx: BootContext): SimVnet {
  const { w, m } = ctx;
  const start = sym(ctx, '__start_set_vnet');
  const stop = sym(ctx, '__stop_set_vnet');
  const bytes = Number(stop - start);
  const addr = m.dmapAlloc(w.sizeof('struct vnet'), 64);
  const block = m.kmemAlloc(BigInt(bytes));
  const master = m.read(start, bytes);
  for (let off = 0; off < bytes; off += 4096) {
    const chunk = master.subarray(off, Math.min(off + 4096, bytes));
    if (chunk.some((b) => b !== 0)) m.write(block + BigInt(off), chunk);
  }
  const magic = Number(ctx.flavour.vnet!.magic);
  const dataBase = BigInt.asUintN(64, block - start);
  w.set(addr, 'struct vnet', {
    vnet_magic_n: magic,
    vnet_data_mem: block,
    vnet_data_base: dataBase,
    vnet_state: w.has('struct vnet', 'vnet_state') ? SI_SUB_VNET_DONE : null,
  });
  // LIST_INSERT_HEAD(&vnet_head, vnet, vnet_le)
  const head = sym(ctx, 'vnet_head');
  const first = m.readInt(head, ctx.ptrSize);
  const leNext = BigInt(w.offsetof('struct vnet', 'vnet_le.le_next'));
  const lePrev = BigInt(w.offsetof('struct vnet', 'vnet_le.le_prev'));
  writePtr(ctx, addr + leNext, first);
  if (first !== 0n) writePtr(ctx, first + lePrev, addr + leNext);
  writePtr(ctx, head, addr);
  writePtr(ctx, addr + lePrev, head);
  return { address: addr, dataMem: block, dataBase, magic, ifcnt: 0 };
}

/** Address of virtualized variable `name` in vnet v (or the plain global without VIMAGE). */
export function vnetAddr(ctx: BootContext, v: SimVnet | null, name: string): bigint {
  if (!ctx.vimage || v === null) return sym(ctx, name);
  return BigInt.asUintN(64, sym(ctx, `vnet_entry_${name}`) + v.dataBase);
}

/** A vnet freed by vnet_destroy: magic 0xdeadbeef, data pointers cleared, off the list. */
export function destroyedVnet(ctx: BootContext): bigint {
  const addr = ctx.m.dmapAlloc(ctx.w.sizeof('struct vnet'), 64);
  ctx.w.set(addr, 'struct vnet', { vnet_magic_n: 0xdeadbeef, vnet_data_mem: 0n, vnet_data_base: 0n });
  return addr;
}
