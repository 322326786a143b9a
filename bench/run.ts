// `npm run bench`: store operation throughput, side by side in ONE run, reported as ratios (this
// machine is small and noisy: absolute numbers mean little, ratios measured together do).
// Stores: SQLite (temp dir), PostgreSQL ($BATON_BENCH_POSTGRES or the local test server),
// MongoDB only with $BATON_BENCH_MONGODB.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { markdownTable } from 'markdown-table';
import { openStore, type Store } from '../coordination/stores/index.ts';

const SECONDS = Number(process.env.BATON_BENCH_SECONDS ?? 1);
const HELD = 8;

/** Operations per second of `op`, run back to back for SECONDS. */
async function rate(op: (i: number) => Promise<unknown>): Promise<number> {
  const until = performance.now() + SECONDS * 1000;
  const start = performance.now();
  let n = 0;
  while (performance.now() < until) await op(n++);
  return n / ((performance.now() - start) / 1000);
}

async function measure(store: Store) {
  const leases = Array.from({ length: HELD }, (_, i) => ({ name: `L.p${i}`, fence: 0 }));
  for (const l of leases) l.fence = (await store.acquire(l.name, 'me', 60_000))!.fence;
  await store.casProgress('auto', 0, 1, null, { nextSeq: 0, inFlight: null });
  return {
    'acquire + release': await rate(async (i) => {
      const l = await store.acquire('cycle', 'me', 60_000);
      if (l) await store.release('cycle', 'me', l.fence);
      return i;
    }),
    [`renew ${HELD} leases, one statement`]: await rate(() => store.renew('me', leases)),
    [`renew ${HELD} leases, one by one`]: await rate(async () => { for (const l of leases) await store.renew('me', [l]); }),
    'claim + complete a message': await rate(async (i) => {
      await store.casProgress('auto', 0, 1, { nextSeq: i, inFlight: null }, { nextSeq: i, inFlight: i });
      await store.casProgress('auto', 0, 1, { nextSeq: i, inFlight: i }, { nextSeq: i + 1, inFlight: null });
    }),
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
  const targets: [string, string][] = [
    ['SQLite', `sqlite:${dir}`],
    ['PostgreSQL', process.env.BATON_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test'],
    ...(process.env.BATON_BENCH_MONGODB ? [['MongoDB', process.env.BATON_BENCH_MONGODB] as [string, string]] : []),
  ];
  const results: [string, Record<string, number>][] = [];
  for (const [name, uri] of targets) {
    const store = await openStore(uri, `bench_${randomBytes(4).toString('hex')}`);
    try {
      await store.init();
      results.push([`${name} (${(await store.info()).version})`, await measure(store)]);
    } catch (e) {
      console.error(`skipped ${name}: ${(e as Error).message}`);
    } finally {
      await store.dropNamespace().catch(() => {});
      await store.close();
    }
  }
  rmSync(dir, { recursive: true, force: true });
  if (results.length === 0) throw new Error('no store could be measured');
  const ops = Object.keys(results[0]![1]);
  const base = results[0]![1];
  console.log(`ops/s, ${SECONDS} s each, one client; ratio = ops/s ÷ ${results[0]![0]}\n`);
  console.log(markdownTable([
    ['operation', ...results.map(([n]) => n)],
    ...ops.map((op) => [op, ...results.map(([, r]) => `${Math.round(r[op]!)} (×${(r[op]! / base[op]!).toFixed(2)})`)]),
  ]));
  const [one, each] = [`renew ${HELD} leases, one statement`, `renew ${HELD} leases, one by one`];
  console.log(`\nrenewing ${HELD} held leases in one statement vs one by one (heartbeat cost per retry period):`);
  for (const [n, r] of results) console.log(`- ${n}: ×${(r[one]! / r[each]!).toFixed(1)} faster`);
}

main().catch((e) => { console.error(`bench: ${(e as Error).message}`); process.exitCode = 1; });
