// report.md in English (the default).
import type { Messages } from './messages.ts';

const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

export const en: Messages = {
  title: '# 🚀 Distributed System Verification Report',
  labels: { date: 'Date', status: 'Status', store: 'Store', worker: 'Worker', strategy: 'strategy', builtIn: 'built-in', wall: 'Wall time', wallTime: (s) => `${s} for the suite (scenarios run in parallel)` },
  intro: 'Every line below was measured from real worker processes against a real store, with a real HTTP receiver as the judge of what was delivered.',
  reportStatus: { passed: '✅ PASSED', failed: '❌ FAILED', error: '⚠️ ERROR (the run could not be judged)' },
  scenariosPassed: (passed, total, idle) => `${passed} of ${total} scenarios passed${idle ? `, ${idle} not exercised` : ''}`,
  summaryHeader: ['#', 'Scenario', 'Result', 'Checks passed', 'Duration'],
  scenarioResult: { passed: '✅ PASS', failed: '❌ FAIL', error: '⚠️ ERROR', skipped: '— skipped', 'not-exercised': '— not exercised' },
  checkResult: { pass: '✅ PASS', fail: '❌ FAIL', 'not-exercised': '— not exercised', error: '⚠️ ERROR' },
  checkHeader: ['Check', 'Result', 'Measured', 'Bound'],
  test: (n, title) => `Test ${n}: ${title}`,
  notRunOnStore: (why) => `**Not run on this store:** ${why}. Nothing about this claim was measured.`,
  sinkLine: (raw, accepted, duplicate, stale) => `sink: ${raw} deliveries (${accepted} accepted, ${duplicate} duplicate, ${stale} stale)`,
  claim: 'Claim',
  run: 'Run',
  faultsApplied: 'Faults applied',
  whoSentWhat: 'Who sent what',
  whatThisMeans: 'What this means',
  notExercised: (why) => `**Not exercised: the faults this claim depends on never reached a worker.** ${why}. Nothing about this claim was tested on this run.`,
  notJudged: (causes) => `**Not judged: the run could not complete.** ${causes}. This says nothing about the system, for or against.`,
  holds: (claim, idle) => `Measured on this run: ${claim}${idle.length ? ` (not exercised: ${idle.join('; ')})` : ''}`,
  doesNotHold: (failed) => `**The claim does not hold on this run.** Failed: ${failed}.`,
  failedCheck: (name, measured, bound) => `${name} (measured ${measured}, bound ${bound})`,
  settings: (s) => `${s.instances} deployments; lease ${s.timing.leaseMs} ms, renew deadline ${s.timing.renewDeadlineMs} ms, ` +
    `retry ${s.timing.retryMs} ms; ${s.partitions} ${plural(s.partitions, 'partition')}; ${s.messages ? `${s.messages} messages` : 'messages until stopped'}, one every ${s.intervalMs} ms per partition` +
    (s.faultSeconds ? `; ${s.faultSeconds} s of random faults` : ''),
  timelineHeading: '### Who held the lease when',
  chart: {
    holders: 'lease holders',
    axis: (n) => (n === 1 ? 'axis: seconds since start' : `axis: units of ${n} s since start`),
    at: (seconds) => `at ${seconds} s`,
    standby: 'standby', faults: 'faults', events: 'events', denied: 'DENIED',
  },
  evidence: 'Evidence (history lines behind each check)',
  features: {
    heading: '## 🛡 Safety features',
    header: ['Feature', 'Status', 'What was checked', 'Scenarios'],
    notMeasured: '— not measured',
    noScenario: 'no scenario in this run measured it',
    failed: (bad, of) => `❌ FAIL (${bad} of ${of})`,
    passed: (n) => `✅ ${n} checks`,
    rows: {
      duplicates: ['Duplicate prevention', 'no seq takes effect twice; one holder per lease at a time; holders never interleave'],
      recovery: ['Auto recovery', 'a standby takes over after the holder dies or stops, and work resumes after every fault'],
      expiry: ['Lock expiry', 'a dead holder\'s lease expires by the store clock'],
      heartbeat: ['Heartbeat system', 'the holder renews every retry period'],
      registration: ['Instance registration', 'every deployment has a unique, stable instance ID, and any deployment sees who holds the lock'],
      deadline: ['Renew deadline', 'the holder acts only while a renew sent less than the renew deadline ago vouches for it'],
      fencing: ['Fencing', 'fences only grow; a deposed holder\'s late write is refused'],
      distribution: ['Message distribution', 'partitions split the stream evenly'],
      control: ['Control from any deployment', 'STOP / status / START from any deployment'],
    },
  },
  environment: {
    heading: '## Environment and reproduction',
    header: ['Item', 'Value'],
    rows: { store: 'Store', uri: 'Store URI', why: 'Why this store', clock: 'Clock faults', node: 'Node.js', os: 'OS', cpu: 'CPU', seed: 'Seed', started: 'Started' },
    faketime: 'libfaketime (any language, stepped mid-run)',
    envOffset: 'BATON_CLOCK_OFFSET_MS at start only (no libfaketime for this store)',
    reproduce: 'Reproduce this run:',
    histories: 'Each scenario\'s full history (every worker event, harness action and delivery) is saved next to this report as `history/<scenario>.jsonl`, so every verdict can be re-checked.',
  },
  meaning: {
    heading: '## What this means for your deployments',
    crash: (worst, lease, beyond, count, seedPause) => `- **A deployment that crashes** was replaced within ${worst} here (lease ${lease}, so ${beyond} beyond it, worst of ${count}). ` +
      `With the seed's production lease of 60 s, expect the automation to pause for up to about ${seedPause} after a crash: the lease must run out before anyone may take over safely.`,
    crashUnmeasured: '- **Crash takeover** was not measured in this run.',
    handoff: (worstMs) => `- **A deployment stopped on purpose** (a redeploy) handed over in at most ${worstMs} ms: it releases its lease, so nobody waits for it to expire, whatever the lease length.`,
    messagesFailed: (failures) => `- **Messages:** ${failures}. Do not rely on exactly-once delivery until this is fixed.`,
    messageFailure: (check, scenario, measured) => `${check} FAILED in ${scenario} (${measured})`,
    messagesHeld: (scenarios, lost, dupes) => `- **Messages:** across ${scenarios} scenario(s), ` +
      `${[lost ? 'none was lost' : 'loss was not measured', dupes ? 'none took effect twice' : 'duplicates were not measured'].join(' and ')}. ` +
      'A message in flight when its sender died may be sent again by the next holder (the report counts these as in-doubt re-sends): ' +
      'the receiver must ignore a repeated (automation, seq), as the seed\'s receivers should.',
    staleCaught: (count, scenarios) => `- **Acting on a stale lease:** ${count} scenario(s) caught a deployment sending after it could no longer vouch for its lease (${scenarios}).`,
    staleNone: (count, scenarios) => `- **Acting on a stale lease:** in ${count} scenario(s) (${scenarios}), no deployment sent a message after its renew deadline had passed.`,
  },
  scenarioText: (_name, title, claim) => ({ title, claim }),
  checkName: (name) => name,
};
