// report.md in either language from its message table: the Hindi-English table is complete for
// every scenario and check baton makes, and a Hindi report keeps no English sentence of the table.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toMarkdown } from '../harness/report/markdown.ts';
import { messages, type Messages } from '../harness/report/lang/messages.ts';
import { HI_SCENARIOS } from '../harness/report/lang/hi-scenarios.ts';
import { hiCheckNameOrUndefined } from '../harness/report/lang/hi-checks.ts';
import { ALL_SCENARIOS } from '../scenarios/index.ts';
import { demoScenario } from '../harness/demo/scenario.ts';
import type { Report } from '../harness/report/model.ts';

/** A full `--suite all` run as committed: every scenario, every kind of check name. */
const sample = JSON.parse(readFileSync('reports/sample/report.json', 'utf8')) as Report;

/** Every plain string in a message table, with its path, so the two tables can be compared leaf by leaf. */
function leaves(o: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof o === 'string') out.set(path, o);
  else if (o && typeof o === 'object') for (const [k, v] of Object.entries(o)) for (const [p, s] of leaves(v, `${path}.${k}`)) out.set(p, s);
  return out;
}

describe('report languages', () => {
  it('has a Hindi title and claim for every scenario baton can run', () => {
    const names = [...ALL_SCENARIOS.keys(), demoScenario(3, { next: async () => undefined }, () => {}).name];
    expect(names.filter((n) => !HI_SCENARIOS[n])).toEqual([]);
    for (const n of names) expect(HI_SCENARIOS[n]!.claim).toMatch(/[\u0900-\u097F]/);
  });

  it('has a Hindi name for every check in a full run, and keeps the deployments a name is about', () => {
    const names = new Set(sample.scenarios.flatMap((s) => s.checks.map((c) => c.name)));
    expect(names.size).toBeGreaterThan(25);
    expect([...names].filter((n) => hiCheckNameOrUndefined(n) === undefined)).toEqual([]);
    expect(hiCheckNameOrUndefined('takeover after d3 was killed')).toBe('d3 के kill होने के बाद takeover');
    expect(hiCheckNameOrUndefined('d2 denied while d1 holds the lock')).toBe('d1 के पास lock रहते d2 को DENIED मिला');
    expect(hiCheckNameOrUndefined('a check nobody wrote')).toBeUndefined();
  });

  it('renders a Hindi report.md with no English sentence of the table left in it', () => {
    const en = toMarkdown(sample);
    const hi = toMarkdown(sample, messages('hi'));
    expect(en).toBe(toMarkdown(sample, messages('en')));
    // Headings the seed itself wrote in English stay English; every other sentence is translated.
    const keptFromSeed = new Set(['.title', '.features.heading', '.features.rows.control.0']);
    const english = [...leaves(messages('en'))].filter(([p, s]) => !keptFromSeed.has(p) && s.split(' ').length >= 3 && en.includes(s));
    expect(english.length).toBeGreaterThan(10);
    expect(english.filter(([, s]) => hi.includes(s)).map(([p]) => p)).toEqual([]);
    for (const s of sample.scenarios) expect(hi).toContain(HI_SCENARIOS[s.name]!.title);
    expect(hi).toContain('## आपकी deployments के लिए इसका मतलब');
    expect(hi).toContain('हर send अपनी lease की safe window के अंदर');
    expect(hi).not.toContain('every send inside a safe window of its lease');
    // Numbers, bounds and the reproduce command are data and stay as measured.
    expect(hi).toContain(sample.command);
  });

  it('words a failure, an error and a skipped scenario from the table too', () => {
    const m: Messages = messages('hi');
    const base = sample.scenarios.find((s) => s.name === 'failover')!;
    const fail = { ...base, status: 'failed' as const, checks: [{ ...base.checks[0]!, status: 'fail' as const }] };
    const error = { ...base, status: 'error' as const, checks: [{ name: 'scenario ran to completion', status: 'error' as const, measured: 'worker d1 exited 1', unit: '', bound: 'the run completes', evidence: [] }] };
    const skipped = { ...base, status: 'skipped' as const, skipped: 'needs a store proxy' };
    const md = toMarkdown({ ...sample, status: 'error', scenarios: [fail, error, skipped] }, m);
    expect(md).toContain('**इस run में दावा सही नहीं निकला।**');
    expect(md).toContain('**फ़ैसला नहीं हुआ: run पूरा नहीं हो सका।** worker d1 exited 1');
    expect(md).toContain('**इस store पर नहीं चला:** needs a store proxy');
    expect(md).toContain('⚠️ ERROR (इस run का फ़ैसला नहीं हो सका)');
  });

  it('baton verify --lang hi writes report.md in Hindi-English and refuses an unknown language', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-lang-'));
    const r = await execa('node', ['bin/baton.js', 'verify', '--store', 'sqlite', '--scenario', 'instance-id', '--seed', '3', '--lang', 'hi', '--format', 'md,json', '--out', dir], { reject: false });
    expect(r.exitCode).toBe(0);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('## Test 1: Instance ID generation ✅');
    expect(md).toContain('हर deployment को अपना instance ID मिलता है');
    expect(md).toContain('--lang hi');
    // report.json is for programs: English names, whatever the report's language.
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toContain('"name": "instance IDs unique"');
    const bad = await execa('node', ['bin/baton.js', 'verify', '--lang', 'fr'], { reject: false });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('Allowed choices are en, hi');
  });
});
