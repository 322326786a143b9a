// A deployment of an app, as the seed runs 3–4 of them: every copy runs this same file against one
// shared store, exactly one of them sends, the others stand by, and a copy that dies is replaced.
// Run two or three copies side by side:
//
//   node examples/app/app.mjs sqlite:/tmp/baton-app     (in several terminals; Ctrl-C one)
//
// It imports the package as an app would ('baton', resolved through package.json "exports"), and
// prints what it does: who is ACTIVE, each message it sends, and every takeover.
import { Deployment, openStore, instanceId, DEFAULT_TIMING } from 'baton';

const storeUri = process.argv[2] ?? process.env.BATON_STORE ?? 'sqlite:./.baton-app';
const seconds = Number(process.env.APP_SECONDS ?? 0); // 0: until Ctrl-C

const store = await openStore(storeUri, 'example_app');
await store.init();
const id = instanceId();
const app = new Deployment({
  store, id, lock: 'messages', timing: { ...DEFAULT_TIMING, leaseMs: 3_000, renewDeadlineMs: 2_000, retryMs: 500 }, partitions: 1,
  plan: { automation: 'messages', count: 0, intervalMs: 500 },
  // Where a real app would call its API. Printing is this example's side effect.
  send: async (m) => { console.log(`${id} sends message ${m.seq} (fence ${m.fence})`); return 'accepted'; },
  emit: (e) => {
    if (e.type === 'acquired') console.log(`${id} is ACTIVE (fence ${e.fence})`);
    if (e.type === 'denied') console.log(`${id} is STANDBY (holder ${e.holder})`);
    if (e.type === 'lost' || e.type === 'released') console.log(`${id} is no longer ACTIVE (${e.type})`);
  },
});
await app.start();
await app.setDesired('RUNNING'); // START from any deployment; STOP likewise

const stop = async () => { await app.stop(); await store.close(); process.exit(0); };
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
if (seconds > 0) setTimeout(stop, seconds * 1000);
