// Check names in Hindi-English. Names carry the deployments they are about ("takeover after d2
// was killed"), so the table is patterns; a test keeps it complete for every check baton makes.
type Rule = [RegExp, (...groups: string[]) => string];

const RULES: Rule[] = [
  [/^instance IDs unique$/, () => 'instance IDs unique हैं'],
  [/^instance IDs are 16 lowercase hex chars$/, () => 'instance IDs 16 lowercase hex characters के हैं'],
  [/^instance ID stable within each process$/, () => 'हर process में instance ID एक जैसा रहता है'],
  [/^(\S+) denied while (\S+) holds the lock$/, (s, h) => `${h} के पास lock रहते ${s} को DENIED मिला`],
  [/^owner read from (\S+) is (\S+)$/, (v, h) => `${v} से पढ़ा गया owner ${h} है`],
  [/^heartbeat cadence of (\S+)$/, (s) => `${s} की heartbeat cadence`],
  [/^(\S+) released cleanly$/, (s) => `${s} ने साफ़ release किया`],
  [/^handoff after (\S+) released$/, (s) => `${s} के release के बाद handoff`],
  [/^handoff after (\S+) got (\S+)$/, (s, sig) => `${s} को ${sig} मिलने के बाद handoff`],
  [/^takeover after (\S+) was killed$/, (s) => `${s} के kill होने के बाद takeover`],
  [/^a standby holds the lock (.+) after the crash$/, (t) => `crash के ${t} बाद lock एक standby के पास है`],
  [/^exactly one ACTIVE, the rest STANDBY$/, () => 'ठीक एक ACTIVE, बाकी STANDBY'],
  [/^at most one holder per lease at any time$/, () => 'किसी भी समय एक lease का ज़्यादा से ज़्यादा एक holder'],
  [/^fencing tokens strictly increasing$/, () => 'fencing tokens हमेशा बढ़ते हैं'],
  [/^each instance sends its own residue class$/, () => 'हर instance अपनी residue class भेजता है'],
  [/^work split evenly$/, () => 'काम बराबर बँटा'],
  [/^messages arrive in order$/, () => 'messages क्रम से पहुँचते हैं'],
  [/^no message lost$/, () => 'कोई message lost नहीं'],
  [/^no message lost \(no gap in any partition\)$/, () => 'कोई message lost नहीं (किसी partition में gap नहीं)'],
  [/^each message takes effect once$/, () => 'हर message का असर एक ही बार'],
  [/^holders never interleave on a partition$/, () => 'एक partition पर holders कभी बारी-बारी नहीं भेजते'],
  [/^every send inside a safe window of its lease$/, () => 'हर send अपनी lease की safe window के अंदर'],
  [/^stale writes refused and their sender stepped down$/, () => 'stale writes refuse हुईं और उनका sender हट गया'],
  [/^work resumes after every heal$/, () => 'हर heal के बाद काम फिर शुरू'],
  [/^clock shifts reached the workers$/, () => 'घड़ी का बदलाव workers तक पहुँचा'],
  [/^STOP through (\S+) honoured$/, (v) => `${v} से दिया STOP माना गया`],
  [/^status agrees on every deployment$/, () => 'हर deployment पर status एक जैसा'],
  [/^START again resumes from the checkpoint$/, () => 'दोबारा START checkpoint से आगे चलता है'],
  [/^scenario ran to completion$/, () => 'scenario पूरा चला'],
  [/^the store accepted the workers$/, () => 'store ने workers के connections लिए'],
  [/^the faults reached the workers$/, () => 'faults सच में workers तक पहुँचे'],
  [/^each instance ID acts from one deployment$/, () => 'हर instance ID एक ही deployment से काम करता है'],
  [/^each send line makes one request$/, () => 'हर send line से receiver तक एक ही request'],
  [/^deployments ran as containers$/, () => 'deployments containers की तरह चलीं'],
];

/** The Hindi-English name of a check, or undefined when no rule knows it. */
export function hiCheckNameOrUndefined(name: string): string | undefined {
  for (const [pattern, render] of RULES) {
    const m = pattern.exec(name);
    if (m) return render(...m.slice(1));
  }
  return undefined;
}

export const hiCheckName = (name: string) => hiCheckNameOrUndefined(name) ?? name;
