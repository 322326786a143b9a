// `--out` is checked before anything runs: a run of several minutes must not end in a directory
// it cannot write. Under /proc or /sys, Node's recursive mkdir can spin for ever (and with a
// blocked event loop not even Ctrl-C ends it), so those are refused before any mkdir.
import { existsSync, mkdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './usage.ts';

const PSEUDO = ['/proc', '/sys', '/dev'];

/** Creates `dir` if needed and proves it writable; a UsageError (exit 2) says why not. */
export function prepareOutDir(dir: string): void {
  const path = resolve(dir);
  const real = join(realpathSync(nearestExisting(path)), path.slice(nearestExisting(path).length));
  const pseudo = PSEUDO.find((p) => real === p || real.startsWith(`${p}/`));
  if (pseudo) throw new UsageError(`--out ${dir} is under ${pseudo}, which holds no files: choose a directory on disk`);
  if (existsSync(path) && !statSync(path).isDirectory()) throw new UsageError(`--out ${dir} is a file, not a directory`);
  const probe = join(path, `.baton-write-test-${process.pid}`);
  try {
    mkdirSync(path, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (e) {
    throw new UsageError(`--out ${dir} is not writable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function nearestExisting(path: string): string {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}
