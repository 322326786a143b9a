// examples/app: the package as an app imports it ('baton', through package.json "exports" and the
// build), run as two real processes on one store: one sends, the other takes over when it stops.
import { describe, expect, it, onTestFinished } from 'vitest';
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function copy(store: string) {
  const lines: string[] = [];
  const child: ResultPromise = execa('node', ['examples/app/app.mjs', store], { reject: false, buffer: false });
  child.stdout!.on('data', (b: Buffer) => lines.push(...b.toString().split('\n').filter(Boolean)));
  onTestFinished(async () => { child.kill('SIGKILL'); await child; });
  return { child, lines };
}

const waitFor = async (cond: () => boolean, ms = 15_000) => {
  for (const end = Date.now() + ms; Date.now() < end && !cond();) await new Promise((r) => setTimeout(r, 50));
  return cond();
};

describe('examples/app', () => {
  it('two copies: one ACTIVE and sending, the other STANDBY, then a takeover that continues the sequence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-app-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const a = copy(`sqlite:${dir}`);
    expect(await waitFor(() => a.lines.some((l) => l.includes('sends message 1')))).toBe(true);
    const b = copy(`sqlite:${dir}`);
    expect(await waitFor(() => b.lines.some((l) => l.includes('is STANDBY')))).toBe(true);
    expect(b.lines.some((l) => l.includes('sends'))).toBe(false);
    a.child.kill('SIGTERM');
    expect((await a.child).exitCode).toBe(0);
    expect(await waitFor(() => b.lines.some((l) => l.includes('sends message')))).toBe(true);
    expect(b.lines.find((l) => l.includes('is ACTIVE'))).toContain('(fence 2)');
    const lastOfA = Math.max(...a.lines.filter((l) => l.includes('sends message')).map((l) => Number(/message (\d+)/.exec(l)![1])));
    const firstOfB = Number(/message (\d+)/.exec(b.lines.find((l) => l.includes('sends message'))!)![1]);
    expect(firstOfB).toBe(lastOfA + 1); // a clean stop leaves nothing in doubt: no message repeated, none skipped
  }, 60_000);
});
