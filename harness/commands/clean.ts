// `baton clean --store <uri>`: the namespaces a run leaves when it is killed outright (SIGKILL
// gives it no chance to drop them). Lists every `baton_*` namespace, drops only those holding
// baton's data and nothing else, and only with --yes; anything else is named and left alone.
// Limit: a namespace another run created in the last moment, before its first heartbeat, looks
// like a leftover; `--prefix baton_<run id>` narrows a clean to one run.
import { listNamespaces, openStore } from '../../coordination/stores/index.ts';
import { redact } from '../../coordination/redact.ts';
import { UsageError } from './usage.ts';

export const RUN_PREFIX = 'baton_';
const IN_USE_MS = 60_000;

export interface CleanOptions {
  store: string;
  yes?: boolean;
  /** Only namespaces starting with this (itself starting with baton_), e.g. one run's `baton_<run id>`. */
  prefix?: string;
}

export async function clean(o: CleanOptions): Promise<void> {
  const prefix = o.prefix ?? RUN_PREFIX;
  if (!prefix.startsWith(RUN_PREFIX)) throw new UsageError(`--prefix must start with ${RUN_PREFIX}: baton cleans only what it names`);
  const names = await listNamespaces(o.store, prefix);
  let ours = 0;
  for (const name of names) {
    let store: Awaited<ReturnType<typeof openStore>>;
    try {
      store = await openStore(o.store, name);
    } catch (e) {
      console.log(`${name}: not a name baton gives its namespaces (${(e as Error).message}): left alone`);
      continue;
    }
    try {
      const state = await store.namespaceState().catch((e: Error) => e);
      if (state instanceof Error) {
        console.log(`${name}: cannot be read (${state.message}): left alone`);
        continue;
      }
      if (state !== 'baton') {
        // 'empty' is also how a run looks in the moment between creating its namespace and filling it.
        console.log(`${name}: ${state === 'empty' ? 'empty (perhaps a run starting now)' : `holds data that is not baton's (${state})`}: left alone`);
        continue;
      }
      // Another run may be using it right now (this machine runs several at once): a heartbeat in
      // the last minute or a live lease means hands off.
      const inUse = (await store.listAlive(IN_USE_MS)).length > 0 || (await store.listLeases('')).some((l) => !l.expired);
      if (inUse) {
        console.log(`${name}: in use by a running baton (a heartbeat or live lease in the last minute): left alone`);
        continue;
      }
      ours++;
      if (o.yes) await store.dropNamespace();
      console.log(`${name}: baton data — ${o.yes ? 'dropped' : 'would drop'}`);
    } finally {
      await store.close();
    }
  }
  const where = redact(o.store);
  const alone = names.length - ours;
  // Every summary says what was left alone too: never "no leftover namespaces" right after naming some.
  const rest = alone ? `; ${alone} left alone (above)` : '';
  if (ours === 0) console.log(`no leftover baton namespace${alone ? ' to drop' : 's'} at ${where}${rest}`);
  else if (!o.yes) console.log(`${ours} leftover baton namespace(s) at ${where}: run again with --yes to drop them${rest}`);
  else console.log(`dropped ${ours} leftover baton namespace(s) at ${where}${rest}`);
}
