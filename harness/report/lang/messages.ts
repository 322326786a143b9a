// Every sentence report.md prints, as a table per language: `--lang hi` renders the same report
// from the Hindi-English table the seed's readers wrote in, with no translation at run time.
// Numbers, units, bounds and history lines stay as measured: they are data, not sentences.
import type { Check } from '../../checkers/check.ts';
import type { Report } from '../model.ts';
import { en } from './en.ts';
import { hi } from './hi.ts';

type Scenario = Report['scenarios'][number];
type Settings = Scenario['settings'];

export interface Messages {
  title: string;
  labels: { date: string; status: string; store: string; worker: string; strategy: string; builtIn: string; wall: string; wallTime: (s: string) => string };
  intro: string;
  reportStatus: Record<Report['status'], string>;
  scenariosPassed: (passed: number, total: number, notExercised: number) => string;
  summaryHeader: [string, string, string, string, string];
  scenarioResult: Record<Scenario['status'], string>;
  checkResult: Record<Check['status'], string>;
  checkHeader: [string, string, string, string];
  test: (n: number, title: string) => string;
  notRunOnStore: (why: string) => string;
  sinkLine: (raw: number, accepted: number, duplicate: number, stale: number) => string;
  claim: string;
  run: string;
  faultsApplied: string;
  whoSentWhat: string;
  whatThisMeans: string;
  notExercised: (why: string) => string;
  notJudged: (causes: string) => string;
  holds: (claim: string, idle: string[]) => string;
  doesNotHold: (failed: string) => string;
  failedCheck: (name: string, measured: string, bound: string) => string;
  settings: (s: Settings) => string;
  timelineHeading: string;
  /** The Mermaid chart's words (no `:`, `#` or `;`: Mermaid reads them as syntax). */
  chart: { holders: string; axis: (secondsPerUnit: number) => string; at: (seconds: string) => string; standby: string; faults: string; events: string; denied: string };
  evidence: string;
  features: { heading: string; header: [string, string, string, string]; notMeasured: string; noScenario: string; failed: (bad: number, of: number) => string; passed: (n: number) => string; rows: Record<FeatureKey, [string, string]> };
  environment: { heading: string; header: [string, string]; rows: Record<'store' | 'uri' | 'why' | 'clock' | 'node' | 'os' | 'cpu' | 'seed' | 'started', string>; faketime: string; envOffset: string; reproduce: string; histories: string };
  meaning: {
    heading: string;
    crash: (worst: string, lease: string, beyond: string, count: number, seedPause: string) => string;
    crashUnmeasured: string;
    handoff: (worstMs: number) => string;
    messagesFailed: (failures: string) => string;
    messageFailure: (check: string, scenario: string, measured: string) => string;
    messagesHeld: (scenarios: number, lost: boolean, dupes: boolean) => string;
    staleCaught: (count: number, scenarios: string) => string;
    staleNone: (count: number, scenarios: string) => string;
  };
  /** A scenario's title and claim in this language (the English ones when it has none). */
  scenarioText: (name: string, title: string, claim: string) => { title: string; claim: string };
  /** A check's name in this language (the English one when it has none). */
  checkName: (name: string) => string;
}

/** The seed's safety features, in the order its report lists them. */
export const FEATURE_KEYS = ['duplicates', 'recovery', 'expiry', 'heartbeat', 'registration', 'deadline', 'fencing', 'distribution', 'control'] as const;
export type FeatureKey = (typeof FEATURE_KEYS)[number];

export const LANGS = { en, hi } as const;
export type Lang = keyof typeof LANGS;
export const LANG_NAMES = Object.keys(LANGS) as Lang[];

export function messages(lang: Lang = 'en'): Messages {
  return LANGS[lang];
}
