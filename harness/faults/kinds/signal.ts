// SIGKILL (a crash) and SIGTERM (a graceful stop) to a worker's process group.
import type { Fault } from '../fault.ts';

const signal = (sig: NodeJS.Signals): Fault<Record<string, never>> => ({
  instant: true,
  available: () => true,
  inject: async (w, target) => { w.cluster.kill(target, sig); return undefined; },
  describe: () => '',
});

export const kill = signal('SIGKILL');
export const terminate = signal('SIGTERM');
