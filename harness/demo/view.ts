// The live view: who is ACTIVE, who stands by, how many messages went out, how many takeovers.
// A terminal gets one line redrawn in place; a log (CI, a pipe) gets a line whenever it changes.
import type { ScenarioContext } from '../scenario.ts';

export function liveView(out: NodeJS.WriteStream): { tick(ctx: ScenarioContext): void; close(): void } {
  let last = '';
  let active: string | undefined;
  let takeovers = 0;
  return {
    tick(ctx) {
      const now = ctx.holder('auto');
      if (now && active && now !== active) takeovers++;
      if (now) active = now;
      const standby = ctx.workers.filter((w) => w !== now).join(' ');
      const line = `ACTIVE ${now ?? '—'} · STANDBY ${standby} · delivered ${ctx.accepted()} · takeovers ${takeovers}`;
      if (out.isTTY) out.write(`\r\x1b[K${(ctx.now() / 1000).toFixed(1).padStart(6)} s  ${line}`);
      else if (line.replace(/delivered \d+/, '') !== last.replace(/delivered \d+/, '')) out.write(`${(ctx.now() / 1000).toFixed(1)} s  ${line}\n`);
      last = line;
    },
    close() {
      if (out.isTTY) out.write('\n');
    },
  };
}
