// Where a SQLite namespace lives, without loading the SQLite driver (fault and strategy code needs
// only the path).
import { join, resolve } from 'node:path';
import { StoreError } from './store.ts';

/**
 * `sqlite:<path>`: a directory, one database file per namespace inside it (`<ns>.db`), so
 * namespaces are isolated files and dropping one deletes only that file.
 */
export function sqliteFile(uri: string, namespace: string): string {
  const path = uri.replace(/^sqlite:(\/\/)?/, '');
  if (!path) throw new StoreError('sqlite URI needs a directory: sqlite:<dir>, e.g. sqlite:./.baton');
  return join(resolve(path), `${namespace}.db`);
}
