// A pause: SIGSTOP to the worker's process group (every thread stops, as in a long GC pause or a
// frozen VM), SIGCONT to heal. Reach: the process was seen stopped (state T in /proc).
import { readFileSync } from 'node:fs';
import { sleep } from '../../../coordination/clock.ts';
import type { Fault } from '../fault.ts';

export const pause: Fault<Record<string, never>> = {
  instant: false,
  available: () => true,
  async inject(w, target) {
    w.cluster.kill(target, 'SIGSTOP');
    const pid = w.cluster.pid(target);
    const stopped = pid !== undefined && await seenStopped(pid);
    w.record({ type: 'fault-result', fault: 'pause', target, reached: stopped,
      detail: stopped ? `${target} (pid ${pid}) seen stopped` : `${target} was not seen stopped${pid === undefined ? ' (not running)' : ''}` });
    return async () => w.cluster.kill(target, 'SIGCONT');
  },
  describe: () => '',
};

/** Whether /proc shows the process stopped within 200 ms (Linux; elsewhere: not seen). */
async function seenStopped(pid: number): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    if (processState(pid) === 'T') return true;
    await sleep(10);
  }
  return false;
}

function processState(pid: number): string | undefined {
  try {
    // "pid (comm) S …": the state follows the last ')' (a command name may contain one).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}
