// Schedules on disk: read with one clear line for a missing file, bad JSON or a bad field; written
// pretty, so a saved failure can be read and edited by hand before it is replayed.
import { readFileSync, writeFileSync } from 'node:fs';
import { UsageError } from '../commands/usage.ts';
import { parseSchedule, ScheduleError, type Schedule } from './schedule.ts';

export function readScheduleFile(file: string): Schedule {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--schedule ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--schedule ${file}: not JSON (${(e as Error).message})`);
  }
  try {
    return parseSchedule(raw);
  } catch (e) {
    if (e instanceof ScheduleError) throw new UsageError(`--schedule ${file}: ${e.message}`);
    throw e;
  }
}

export function writeScheduleFile(file: string, s: Schedule): void {
  writeFileSync(file, JSON.stringify(s, null, 2) + '\n');
}
