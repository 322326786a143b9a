// The seed's "Instance 1: 0, 2, 4 … / Instance 2: 1, 3, 5 …", generalised: the message stream is
// split into P partitions by `seq % P`, each guarded by its own fenced lease.

/** The lease name guarding partition `p`. With one partition it is the lock itself. */
export function partitionLease(lock: string, p: number, partitions: number): string {
  return partitions === 1 ? lock : `${lock}.p${p}`;
}

export function partitionOfLease(lock: string, name: string, partitions: number): number {
  if (partitions === 1) return 0;
  return Number(name.slice(lock.length + 2));
}

/**
 * How many partitions an instance should hold when `alive` instances share P: at least ⌊P/N⌋
 * and at most ⌈P/N⌉. An instance below the floor says so in the registry (role `short`), and
 * holders then aim for the floor, handing leases back; otherwise everyone may fill up to the
 * ceiling. So shares settle balanced within 1, and nobody keeps trying for leases that the
 * others rightly hold (with ⌈P/N⌉ as everyone's target, instances short of it tried every lease
 * on every tick: 64 × 256 never settled).
 */
export function shareRange(partitions: number, alive: number): { min: number; max: number } {
  const n = Math.max(1, alive);
  return { min: Math.floor(partitions / n), max: Math.ceil(partitions / n) };
}

/** First seq of partition p, and the next one after seq. */
export const firstSeq = (p: number) => p;
export const nextSeqAfter = (seq: number, partitions: number) => seq + partitions;
