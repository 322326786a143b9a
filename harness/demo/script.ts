// `baton demo --script "kill-active@4s, pause-active@10s for 6s, quit@20s"`: a demo's actions as
// data, parsed up front so a typo fails before anything starts.
import { UsageError } from '../commands/usage.ts';

export const ACTIONS = ['kill-active', 'pause-active', 'stop', 'start', 'quit'] as const;
export type ActionName = (typeof ACTIONS)[number];

export interface Action {
  name: ActionName;
  atMs: number;
  /** pause-active only: how long the holder stays frozen. */
  forMs?: number;
}

const duration = (text: string, what: string): number => {
  const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text.trim());
  if (!m) throw new UsageError(`--script: ${what} "${text}" is not a duration like 4s or 500ms`);
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
};

/** Actions in time order; the last one is always a quit (added at the end if missing). */
export function parseScript(text: string): Action[] {
  const actions = text.split(',').map((part) => part.trim()).filter(Boolean).map((part): Action => {
    const m = /^([a-z-]+)@(\S+)(?:\s+for\s+(\S+))?$/.exec(part);
    if (!m) throw new UsageError(`--script: "${part}" is not <action>@<time>[ for <duration>], e.g. pause-active@10s for 6s`);
    const name = m[1] as ActionName;
    if (!ACTIONS.includes(name)) throw new UsageError(`--script: unknown action "${m[1]}": use ${ACTIONS.join(', ')}`);
    if ((name === 'pause-active') !== (m[3] !== undefined)) {
      throw new UsageError(`--script: ${name === 'pause-active' ? 'pause-active needs "for <duration>"' : `"for" belongs to pause-active only, not ${name}`}`);
    }
    return { name, atMs: duration(m[2]!, 'time'), ...(m[3] ? { forMs: duration(m[3], 'duration') } : {}) };
  }).sort((a, b) => a.atMs - b.atMs);
  if (actions.length === 0) throw new UsageError('--script is empty');
  if (actions.at(-1)!.name !== 'quit') actions.push({ name: 'quit', atMs: actions.at(-1)!.atMs + (actions.at(-1)!.forMs ?? 0) + 5_000 });
  return actions.slice(0, actions.findIndex((a) => a.name === 'quit') + 1);
}
