// report.md in Hindi mixed with English, the way the seed's report was written: sentences in
// Hindi, technical words (lease, lock, deployment, STOP) in English, as its readers use them.
import type { Messages } from './messages.ts';
import { HI_SCENARIOS } from './hi-scenarios.ts';
import { hiCheckName } from './hi-checks.ts';

export const hi: Messages = {
  title: '# 🚀 Distributed System Verification Report',
  labels: { date: 'तारीख़', status: 'Status', store: 'Store', worker: 'Worker', strategy: 'strategy', builtIn: 'built-in', wall: 'कुल समय', wallTime: (s) => `पूरे suite में ${s} लगे (scenarios साथ-साथ चले)` },
  intro: 'नीचे की हर line असली worker processes और असली store पर measure की गई है; क्या deliver हुआ, इसका फ़ैसला एक असली HTTP receiver करता है।',
  reportStatus: { passed: '✅ PASSED', failed: '❌ FAILED', error: '⚠️ ERROR (इस run का फ़ैसला नहीं हो सका)' },
  scenariosPassed: (passed, total, idle) => `${total} में से ${passed} scenarios pass हुए${idle ? `, ${idle} परखे नहीं गए` : ''}`,
  summaryHeader: ['#', 'Scenario', 'नतीजा', 'Checks pass', 'समय'],
  scenarioResult: { passed: '✅ PASS', failed: '❌ FAIL', error: '⚠️ ERROR', skipped: '— नहीं चला', 'not-exercised': '— परखा नहीं गया' },
  checkResult: { pass: '✅ PASS', fail: '❌ FAIL', 'not-exercised': '— परखा नहीं गया', error: '⚠️ ERROR' },
  checkHeader: ['Check', 'नतीजा', 'Measured', 'सीमा (bound)'],
  test: (n, title) => `Test ${n}: ${title}`,
  notRunOnStore: (why) => `**इस store पर नहीं चला:** ${why}। इस दावे के बारे में कुछ भी measure नहीं हुआ।`,
  sinkLine: (raw, accepted, duplicate, stale) => `sink: ${raw} deliveries (${accepted} accepted, ${duplicate} duplicate, ${stale} stale)`,
  claim: 'दावा',
  run: 'Run',
  faultsApplied: 'डाले गए faults',
  whoSentWhat: 'किसने क्या भेजा',
  whatThisMeans: 'इसका मतलब',
  notExercised: (why) => `**परखा नहीं गया: जिन faults पर यह दावा टिका है, वे किसी worker तक नहीं पहुँचे।** ${why}। इस run में इस दावे को परखा ही नहीं गया।`,
  notJudged: (causes) => `**फ़ैसला नहीं हुआ: run पूरा नहीं हो सका।** ${causes}। इससे system के बारे में कुछ पता नहीं चलता, न पक्ष में न विपक्ष में।`,
  holds: (claim, idle) => `इस run में measure हुआ: ${claim}${idle.length ? ` (परखा नहीं गया: ${idle.join('; ')})` : ''}`,
  doesNotHold: (failed) => `**इस run में दावा सही नहीं निकला।** Fail हुए: ${failed}।`,
  failedCheck: (name, measured, bound) => `${name} (measured ${measured}, सीमा ${bound})`,
  settings: (s) => `${s.instances} deployments; lease ${s.timing.leaseMs} ms, renew deadline ${s.timing.renewDeadlineMs} ms, ` +
    `retry ${s.timing.retryMs} ms; ${s.partitions} partition; ${s.messages ? `${s.messages} messages` : 'STOP होने तक messages'}, हर partition पर हर ${s.intervalMs} ms में एक` +
    (s.faultSeconds ? `; ${s.faultSeconds} s तक random faults` : ''),
  timelineHeading: '### कब किसके पास lease थी',
  chart: {
    holders: 'lease किसके पास',
    axis: (n) => (n === 1 ? 'axis: शुरुआत से seconds' : `axis: शुरुआत से ${n}-${n} s की इकाइयाँ`),
    at: (seconds) => `${seconds} s पर`,
    standby: 'standby', faults: 'faults', events: 'घटनाएँ', denied: 'DENIED',
  },
  evidence: 'सबूत (हर check के पीछे की history lines)',
  features: {
    heading: '## 🛡 Safety features',
    header: ['Feature', 'Status', 'क्या check हुआ', 'Scenarios'],
    notMeasured: '— measure नहीं हुआ',
    noScenario: 'इस run के किसी scenario ने इसे measure नहीं किया',
    failed: (bad, of) => `❌ FAIL (${of} में से ${bad})`,
    passed: (n) => `✅ ${n} checks`,
    rows: {
      duplicates: ['Duplicate prevention', 'कोई seq दो बार असर नहीं करता; एक lease का एक समय में एक ही holder; holders आपस में बारी-बारी नहीं भेजते'],
      recovery: ['Auto recovery', 'holder के crash या बंद होने पर standby takeover करता है, और हर fault के बाद काम फिर शुरू होता है'],
      expiry: ['Lock expiry', 'मरे हुए holder की lease store की घड़ी से expire होती है'],
      heartbeat: ['Heartbeat system', 'holder हर retry period में renew करता है'],
      registration: ['Instance registration', 'हर deployment का अपना unique, स्थिर instance ID है, और कोई भी deployment देख सकता है कि lock किसके पास है'],
      deadline: ['Renew deadline', 'holder तभी काम करता है जब renew deadline से कम पहले भेजा गया renew उसकी lease की गारंटी देता है'],
      fencing: ['Fencing', 'fence सिर्फ़ बढ़ते हैं; हटाए गए holder की देर से पहुँची write refuse होती है'],
      distribution: ['Message distribution', 'partitions messages को बराबर बाँटते हैं'],
      control: ['Control from any deployment', 'किसी भी deployment से STOP / status / START'],
    },
  },
  environment: {
    heading: '## Environment और दोबारा चलाना',
    header: ['चीज़', 'मान'],
    rows: { store: 'Store', uri: 'Store URI', why: 'यह store क्यों', clock: 'Clock faults', node: 'Node.js', os: 'OS', cpu: 'CPU', seed: 'Seed', started: 'शुरू हुआ' },
    faketime: 'libfaketime (किसी भी भाषा में, run के बीच में घड़ी आगे-पीछे)',
    envOffset: 'BATON_CLOCK_OFFSET_MS सिर्फ़ शुरुआत में (इस store के लिए libfaketime नहीं)',
    reproduce: 'यही run दोबारा चलाने के लिए:',
    histories: 'हर scenario की पूरी history (हर worker event, harness action और delivery) इस report के साथ `history/<scenario>.jsonl` में save है, ताकि हर फ़ैसला दोबारा check हो सके।',
  },
  meaning: {
    heading: '## आपकी deployments के लिए इसका मतलब',
    crash: (worst, lease, beyond, count, seedPause) => `- **Crash हुई deployment** की जगह यहाँ ${worst} के अंदर दूसरी ने ले ली (lease ${lease}, यानी उससे ${beyond} ज़्यादा; ${count} में सबसे धीमा)। ` +
      `Seed की production lease 60 s के साथ, crash के बाद automation लगभग ${seedPause} तक रुक सकता है: safely takeover से पहले lease का ख़त्म होना ज़रूरी है।`,
    crashUnmeasured: '- **Crash takeover** इस run में measure नहीं हुआ।',
    handoff: (worstMs) => `- **जान-बूझकर रोकी गई deployment** (redeploy) ने ज़्यादा से ज़्यादा ${worstMs} ms में handover किया: वो अपनी lease release करती है, तो lease कितनी भी लंबी हो, किसी को expire होने का इंतज़ार नहीं करना पड़ता।`,
    messagesFailed: (failures) => `- **Messages:** ${failures}। जब तक यह ठीक न हो, exactly-once delivery पर भरोसा मत करिए।`,
    messageFailure: (check, scenario, measured) => `${check} ${scenario} में FAIL हुआ (${measured})`,
    messagesHeld: (scenarios, lost, dupes) => `- **Messages:** ${scenarios} scenario(s) में ` +
      `${[lost ? 'कोई message lost नहीं हुआ' : 'loss measure नहीं हुआ', dupes ? 'किसी message का असर दो बार नहीं हुआ' : 'duplicates measure नहीं हुए'].join(' और ')}। ` +
      'जो message भेजते समय उसका sender मर गया, उसे अगला holder दोबारा भेज सकता है (report इन्हें in-doubt re-sends गिनती है): ' +
      'receiver को दोहराया गया (automation, seq) ignore करना चाहिए, जैसा seed के receivers को करना चाहिए।',
    staleCaught: (count, scenarios) => `- **पुरानी lease पर काम:** ${count} scenario(s) ने पकड़ा कि कोई deployment अपनी lease की गारंटी खोने के बाद भी भेज रही थी (${scenarios})।`,
    staleNone: (count, scenarios) => `- **पुरानी lease पर काम:** ${count} scenario(s) (${scenarios}) में किसी deployment ने renew deadline निकलने के बाद कोई message नहीं भेजा।`,
  },
  scenarioText: (name, title, claim) => HI_SCENARIOS[name] ?? { title, claim },
  checkName: hiCheckName,
};
