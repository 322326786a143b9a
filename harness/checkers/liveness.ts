// (e) Liveness after a heal: safety is cheap if nothing ever runs again. After every healed fault,
// and after every crash or stop (healed the moment it happens: the survivors must carry on), each
// lease that was held before the fault is held again, and a workload that was running delivers
// again, within one lease (the dead holder's lease must expire) + one retry period (the standby's
// next attempt) + slack. "Held" means inside a safe window (./holds.ts), not mere belief.
import { byTime, endOf, maxOf, partitionOf, type History, type HistorySettings } from '../history.ts';
import { partitionOfLease } from '../../coordination/partitions.ts';
import { check, notExercised, type Check } from './check.ts';
import { safeHolds, withLock, type SafeHold } from './holds.ts';
import { appliedFaults } from '../applied-faults.ts';
import { faultKind } from '../faults/faults.ts';

type Settings = Pick<HistorySettings, 'timing' | 'partitions' | 'messages' | 'intervalMs' | 'lock'>;

export interface Heal {
  /** When the fault was healed (for a kill or stop: when it happened). */
  t: number;
  /** When the fault began. */
  from: number;
  what: string;
  /** The killed or stopped worker: its own holds do not count as recovery. */
  victim?: string;
  /** When it really healed, if recovery is judged later (faults overlapping it). */
  healedAt?: number;
}

function healsOf(h: History, boundMs: number): Heal[] {
  const harness = byTime(h.events.filter((e) => e.source === 'harness'));
  // Windows that healed (their end is a heal); instants and lasting shifts have none.
  const healed = appliedFaults(harness).filter((f) => f.to !== undefined && !faultKind(f.start.fault)?.instant)
    .map((f) => ({ t: f.to!, from: f.from, what: `${f.start.fault}${f.start.target ? ` on ${f.start.target}` : ''} healed` }));
  const crashes = harness.filter((e) => e.type === 'signal' && (e.signal === 'SIGKILL' || e.signal === 'SIGTERM'))
    .map((e) => ({ t: e.t, from: e.t, what: `${e.signal} ${e.target}`, victim: String(e.target) }));
  const out: Heal[] = byTime([...healed, ...crashes]);
  return out.map((x) => afterOverlapping(x, out, boundMs));
}

/**
 * Recovery is owed only once every fault is over: a heal that happens while another fault is
 * still in force (a crash while the standbys are frozen), or that another fault interrupts before
 * its recovery window is out (a second crash), is judged from the end of that other fault.
 */
function afterOverlapping(heal: Heal, all: Heal[], boundMs: number): Heal {
  let t = heal.t;
  for (let changed = true; changed;) {
    changed = false;
    for (const o of all) {
      if (o.t > t && o.from <= t + boundMs && o !== heal) { t = o.t; changed = true; }
    }
  }
  return t === heal.t ? heal : { ...heal, t, healedAt: heal.t };
}

/**
 * The hold that has the lease again within the bound (earliest start first): safe at some moment
 * in (heal, heal + bound]. "Safe" means inside a safe window, not mere belief: a holder frozen for
 * good still believes, but holds nothing. The killed or stopped worker's own holds from before the
 * heal do not count. Held at SOME moment, not at the bound's last instant: a later fault (another
 * kill, the harness's own shutdown) may legitimately end that hold again.
 */
function leaseBack(holds: SafeHold[], lock: string, heal: Heal, cutoff: number): SafeHold | undefined {
  // The victim's holds from before its crash are the dead process's; one it took after a restart is recovery.
  const candidates = holds.filter((x) => x.lock === lock && !(heal.victim === x.source && x.start <= heal.from));
  const held = candidates.filter((x) => x.safe.some((w) => w.to > heal.t && w.from <= cutoff));
  return held.sort((a, b) => a.start - b.start)[0];
}

/** Was partition p's workload running when the fault began (so it must deliver again)? */
function running(h: History, p: number, heal: Heal, s: Settings): boolean {
  const control = byTime(h.events.filter((e) => e.source === 'harness' && e.type === 'command' && (e.cmd === 'start' || e.cmd === 'stop') && e.t <= heal.t));
  if (control.at(-1)?.cmd !== 'start') return false; // STOPPED (the default) owes no deliveries
  const ofP = h.deliveries.filter((d) => partitionOf(d, s.partitions) === p);
  if (s.messages === 0) return ofP.some((d) => d.t >= heal.from - 2_000 && d.t < heal.from);
  const done = new Set(ofP.filter((d) => d.status !== 'stale' && d.t <= heal.t).map((d) => d.seq));
  return Array.from({ length: s.messages }, (_, i) => i).some((seq) => seq % s.partitions === p && !done.has(seq));
}

/** A finite workload whose every seq of partition p was accepted by the end of the history. */
function allDelivered(h: History, p: number, s: Settings): boolean {
  if (s.messages === 0) return false;
  const got = new Set(h.deliveries.filter((d) => d.status !== 'stale' && partitionOf(d, s.partitions) === p).map((d) => d.seq));
  return Array.from({ length: s.messages }, (_, i) => i).every((seq) => seq % s.partitions !== p || got.has(seq));
}

interface Outcome {
  ok: boolean;
  /** ms from the heal to recovery (0 if nothing was ever lost). */
  ms: number;
  line: string;
}

const past = (h: History, until: number) => (endOf(h) < until ? ' (history ended before the bound)' : '');

/**
 * `done`: every message of the partition was delivered by the end. Such a lease, in a history
 * that ended before the bound, cannot be judged (the run was over, not the lease stuck): it is
 * reported, not failed.
 */
function leaseOutcome(h: History, holds: SafeHold[], lock: string, heal: Heal, bound: number, done: boolean): Outcome {
  const back = leaseBack(holds, lock, heal, heal.t + bound);
  const ms = back ? Math.max(0, back.start - heal.t) : NaN;
  if (back) return { ok: true, ms, line: `${lock} held by ${back.source} (fence ${back.fence}) after ${Math.round(ms)} ms` };
  const ended = endOf(h) < heal.t + bound;
  if (ended && done) {
    return { ok: true, ms: 0, line: `${lock} not judged: its work was done and the history ended at +${Math.round(endOf(h) - heal.t)} ms, before the bound` };
  }
  return { ok: false, ms: 0, line: `${lock} held by nobody at +${bound} ms${past(h, heal.t + bound)}` };
}

function deliveryOutcome(h: History, p: number, heal: Heal, withinMs: number, P: number): Outcome {
  const next = byTime(h.deliveries).find((d) => d.status === 'accepted' && partitionOf(d, P) === p && d.t > heal.t && d.t <= heal.t + withinMs);
  return next ? { ok: true, ms: next.t - heal.t, line: `p${p} delivered seq ${next.seq} after ${Math.round(next.t - heal.t)} ms` }
    : { ok: false, ms: 0, line: `p${p} delivered nothing within ${withinMs} ms${past(h, heal.t + withinMs)}` };
}

/** Every lease held when the fault began, and every running partition among them, recovered? */
function recover(h: History, holds: SafeHold[], heal: Heal, s: Settings & { lock: string }, slackMs: number) {
  const bound = s.timing.leaseMs + s.timing.retryMs + slackMs;
  const lost = [...new Set(holds.filter((x) => x.start <= heal.from && x.end >= heal.from).map((x) => x.lock))];
  const outcomes = lost.flatMap((lock) => {
    const p = partitionOfLease(s.lock, lock, s.partitions);
    const lease = leaseOutcome(h, holds, lock, heal, bound, allDelivered(h, p, s));
    return running(h, p, heal, s) ? [lease, deliveryOutcome(h, p, heal, bound + s.intervalMs, s.partitions)] : [lease];
  });
  const at = heal.healedAt === undefined ? `${heal.what} at t=${Math.round(heal.t)}ms`
    : `${heal.what} at t=${Math.round(heal.healedAt)}ms (judged from t=${Math.round(heal.t)}ms, when the faults overlapping it ended)`;
  const lines = [...outcomes.filter((o) => !o.ok), ...outcomes.filter((o) => o.ok)].map((o) => `${at}: ${o.line}`); // failures first
  return {
    ok: outcomes.every((o) => o.ok),
    ms: maxOf(outcomes.map((o) => o.ms), 0),
    lines: lines.length ? lines : [`${at}: no lease was held, nothing to recover`],
  };
}

/**
 * (e) Every heal (fault end, SIGKILL, SIGTERM) recovers within lease + retry + slack: each lease
 * held when the fault began is held at heal + bound, and each partition whose workload was running
 * gets an accepted delivery in (heal, heal + bound + interval]. Measured: the worst recovery time.
 */
export function livenessAfterHeal(h: History, settings: Settings, slackMs = 500): Check {
  const s = withLock(h, settings);
  const name = 'work resumes after every heal';
  const bound = s.timing.leaseMs + s.timing.retryMs + slackMs;
  const boundText = `<= ${bound} ms per heal (lease ${s.timing.leaseMs} + retry ${s.timing.retryMs} + ${slackMs} slack; a delivery within + interval ${s.intervalMs})`;
  const heals = healsOf(h, bound);
  if (heals.length === 0) return notExercised(name, 'no fault, kill or stop happened', boundText);
  const holds = safeHolds(h, s.timing.renewDeadlineMs);
  const results = heals.map((x) => recover(h, holds, x, s, slackMs));
  const failed = results.filter((r) => !r.ok);
  const worst = maxOf(results.map((r) => r.ms));
  const lines = [...failed, ...results.filter((r) => r.ok)].flatMap((r) => r.lines);
  return check(name, failed.length === 0, failed.length ? `${failed.length} of ${heals.length} heals did not recover` : worst,
    failed.length ? '' : `ms worst of ${heals.length} heal(s)`, boundText, lines);
}
