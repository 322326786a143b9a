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

/** The most partitions one instance should hold: ⌈P / alive⌉, so every live instance gets work. */
export function fairShare(partitions: number, alive: number): number {
  return Math.ceil(partitions / Math.max(1, alive));
}

/** First seq of partition p, and the next one after seq. */
export const firstSeq = (p: number) => p;
export const nextSeqAfter = (seq: number, partitions: number) => seq + partitions;
