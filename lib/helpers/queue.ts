/**
 * Walkers of the kernel's singly-linked lists (sys/sys/queue.h LIST, TAILQ, STAILQ and their CK_
 * variants all keep the forward pointer first in the entry). Every walk is bounded and detects
 * cycles: a corrupt list ends in KvmError('CORRUPT') naming the list, never a hang.
 */
import { KvmError, hex } from '../errors';
import type { Kvm } from '../kvm';

/** Default bound on list lengths; kernel lists of interest are far shorter. */
export const DEFAULT_LIST_LIMIT = 1_000_000;

export interface ListWalk {
  /** Name of the list for error messages ("vnet_head", "allprison", ...). */
  name: string;
  /** Address of the first element (the head's first pointer, already read). */
  first: bigint;
  /**
   * Offset of the forward pointer (`le_next`/`tqe_next`/`stqe_next`) from the element's address.
   * Elements are linked through `field` at this offset; the next pointer points at the next
   * element's start (not at its field) for LIST/TAILQ/STAILQ.
   */
  nextOffset: number | bigint;
  /** Maximum number of elements (default DEFAULT_LIST_LIMIT). */
  limit?: number;
}

/** Yields element addresses until a NULL next pointer. Throws CORRUPT on a loop or overflow. */
export function* walkList(kd: Kvm, walk: ListWalk): Generator<bigint> {
  const limit = walk.limit ?? DEFAULT_LIST_LIMIT;
  const off = BigInt(walk.nextOffset);
  const mask = (1n << 64n) - 1n;
  const seen = new Set<bigint>();
  let p = walk.first;
  while (p !== 0n) {
    if (seen.has(p)) {
      throw new KvmError('CORRUPT', `list ${walk.name} loops back to ${hex(p)} after ${seen.size} entries`, {
        address: p,
        name: walk.name,
      });
    }
    if (seen.size >= limit) {
      throw new KvmError('CORRUPT', `list ${walk.name} has more than ${limit} entries`, { address: p, name: walk.name });
    }
    seen.add(p);
    yield p;
    p = kd.readPointer((p + off) & mask);
  }
}

/** The addresses of a list as an array (see walkList). */
export function listToArray(kd: Kvm, walk: ListWalk): bigint[] {
  return [...walkList(kd, walk)];
}
