// The receiver misbehaving toward one deployment for a window: it answers late (a slow API), or
// accepts a delivery and then resets the connection without answering (the effect happened, the
// sender cannot know). A client that times out or errors and retries without saying so shows
// its hidden attempts as raw deliveries.
import type { Fault } from '../fault.ts';
import type { ReceiverMode } from '../../sink.ts';

export interface ReceiverParams { mode: ReceiverMode }

export const receiver: Fault<ReceiverParams> = {
  instant: false,
  available: () => true,
  async inject(w, target, p) {
    const before = w.sink.affected(target);
    w.sink.setMode(target, p.mode);
    return async () => {
      w.sink.setMode(target, { kind: 'normal' });
      const n = w.sink.affected(target) - before;
      w.record({ type: 'fault-result', fault: 'receiver', target, reached: n > 0,
        detail: n ? `${n} of ${target}'s deliveries answered ${p.mode.kind === 'slow' ? `after ${p.mode.ms} ms` : p.mode.kind === 'unavailable' ? '503, not applied' : 'with a reset'}` : `${target} delivered nothing meanwhile` });
    };
  },
  describe: (p) => {
    const m = p.mode as ReceiverMode | undefined;
    return m ? ` (${m.kind === 'slow' ? `answers after ${m.ms} ms` : m.kind === 'reset' ? 'accepts, then resets' : m.kind === 'unavailable' ? 'answers 503, applies nothing' : m.kind})` : '';
  },
};
