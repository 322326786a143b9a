// report.html in a real browser (Debian's chromium driven by playwright-core): it opens from disk
// with no console error and draws one lane per deployment in each timeline. The screenshot it
// takes is the one the README shows: BATON_SCREENSHOT=1 writes it to docs/report-timeline.png.
import { describe, expect, it, onTestFinished } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

describe('report.html', () => {
  it.skipIf(!CHROMIUM)(`opens offline in a real browser, one lane per deployment${CHROMIUM ? '' : ' (skipped: no chromium; .ci/run installs it)'}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-html-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const run = await execa('node', ['bin/baton.js', 'verify', '--store', 'sqlite', '--scenario', 'failover', 'stale-holder-pause',
      '--seed', '3', '--out', dir, '--format', 'html,json'], { reject: false });
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { scenarios: { name: string; settings: { instances: number } }[] };

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    onTestFinished(() => browser.close());
    // Offline: any request that is not the file itself fails the test.
    const context = await browser.newContext({ offline: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    expect(problems).toEqual([]);
    for (const s of report.scenarios) {
      const lanes = await page.locator(`section#${s.name} svg.timeline g.lane`).count();
      expect(lanes, s.name).toBe(s.settings.instances);
    }
    expect(await page.locator('section#failover .holding').count()).toBeGreaterThan(1); // a takeover: two holds
    expect(await page.locator('section#stale-holder-pause .paused').count()).toBeGreaterThan(0);
    const png = process.env.BATON_SCREENSHOT ? resolve('docs/report-timeline.png') : join(dir, 'timeline.png');
    await page.locator('section#failover').screenshot({ path: png });
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
  }, 120_000);
});
