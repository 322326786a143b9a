// START / STOP / status from any deployment.
import { byTime, maxOf, ofType, statusHolder, type History, type HistoryEvent } from '../history.ts';
import { check, line, type Check } from './check.ts';

/** The harness's first `command` of `cmd` after `after`: the moment the operator asked. */
const command = (h: History, cmd: string, after = -Infinity) =>
  byTime(ofType(h, 'command')).find((e) => e.source === 'harness' && e.cmd === cmd && e.t > after);

/**
 * After STOP is issued (through whichever deployment), sending stops within `boundMs`. Measured
 * from the command, not its ack: the operator's clock starts when they ask, and a deployment that
 * is slow to ack while its peers keep sending must not shorten the window.
 */
export function stopHonoured(h: History, boundMs: number): Check {
  const stop = command(h, 'stop');
  const via = stop ? String(stop.target) : 'any deployment';
  const start = stop && command(h, 'start', stop.t);
  const sends = stop ? byTime(ofType(h, 'send')).filter((e) => e.t > stop.t && (!start || e.t < start.t)) : [];
  const lastSend = sends.at(-1);
  const ms = stop ? (lastSend ? lastSend.t - stop.t : 0) : NaN;
  return check(`STOP through ${via} honoured`, Number.isFinite(ms) && ms <= boundMs, Number.isFinite(ms) ? ms : 'no STOP', 'ms after the STOP command',
    `<= ${boundMs}`, [stop, lastSend].filter((e): e is HistoryEvent => !!e).map(line));
}

/** Status read from every deployment after `afterCmd` agrees on desired state and holder. */
export function statusAgrees(h: History, workers: string[], afterT: number): Check {
  const views = workers.map((w) => ofType(h, 'ack').find((e) => e.source === w && e.cmd === 'status' && e.t > afterT));
  const describe = (e?: HistoryEvent) => e ? `${e.desired} holder=${statusHolder(e) ?? 'none'}` : 'no answer';
  const distinct = new Set(views.map(describe));
  const ok = views.every(Boolean) && distinct.size === 1;
  return check('status agrees on every deployment', ok, `${distinct.size} distinct view(s) from ${views.filter(Boolean).length}/${workers.length}`, '',
    '1 view from all', views.map((v, i) => `${workers[i]}: ${describe(v)}`));
}

/** After START again (the command), sending resumes at the checkpoint: next seq = last accepted + 1. */
export function resumesFromCheckpoint(h: History): Check {
  const stop = command(h, 'stop');
  const restart = stop && command(h, 'start', stop.t);
  const before = restart ? h.deliveries.filter((d) => d.t < restart.t && d.status === 'accepted') : [];
  const after = restart ? h.deliveries.find((d) => d.t > restart.t) : undefined;
  const expected = before.length ? maxOf(before.map((d) => d.seq)) + 1 : 0;
  const ok = !!after && after.seq === expected;
  return check('START again resumes from the checkpoint', ok, after ? `seq ${after.seq}` : 'nothing sent', '', `seq ${expected}`,
    restart ? [line(restart), after ? `first delivery after: seq=${after.seq} fence=${after.fence}` : 'no delivery after START'] : ['no START after STOP']);
}
