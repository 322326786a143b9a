// Picks a store implementation from a URI. Unknown schemes fail here, with the list of valid ones.
import { StoreError, type Store, type StoreKind } from './store.ts';
import { redact } from '../redact.ts';

export * from './store.ts';

export const STORE_SCHEMES = 'mongodb://, mongodb+srv://, postgres://, postgresql://, sqlite:<dir>';

export function storeKind(uri: string): StoreKind {
  if (/^mongodb(\+srv)?:\/\//.test(uri)) return 'mongodb';
  if (/^postgres(ql)?:\/\//.test(uri)) return 'postgres';
  if (/^sqlite:/.test(uri)) return 'sqlite';
  throw new StoreError(`unknown store URI "${redact(uri)}": use one of ${STORE_SCHEMES}`);
}

/** Opens (lazily connects) the store behind `uri`, scoped to `namespace`. */
export async function openStore(uri: string, namespace: string): Promise<Store> {
  switch (storeKind(uri)) {
    case 'mongodb': return new (await import('./mongodb.ts')).MongoStore(uri, namespace);
    case 'postgres': return new (await import('./postgres.ts')).PostgresStore(uri, namespace);
    case 'sqlite': return new (await import('./sqlite.ts')).SqliteStore(uri, namespace);
  }
}

/**
 * Namespaces whose name starts with `prefix` at `uri` (names only: whether each holds baton's data
 * is for namespaceState() to say). What `baton clean` looks through for a run's leftovers.
 */
export async function listNamespaces(uri: string, prefix: string): Promise<string[]> {
  switch (storeKind(uri)) {
    case 'mongodb': return (await import('./mongodb.ts')).listMongoNamespaces(uri, prefix);
    case 'postgres': return (await import('./postgres.ts')).listPostgresNamespaces(uri, prefix);
    case 'sqlite': return (await import('./sqlite.ts')).listSqliteNamespaces(uri, prefix);
  }
}
