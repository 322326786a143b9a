// Finds this test's own processes — never a host-wide search by name, since other baton runs may
// be active on the machine: a run is started with a unique tag in its environment, which every
// worker it spawns inherits, and only processes carrying that tag are ours.
import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

export const newTag = () => `baton-test-${randomBytes(6).toString('hex')}`;

/** PIDs of live processes whose environment has BATON_TEST_TAG=<tag>. */
export function processesTagged(tag: string): number[] {
  const needle = `BATON_TEST_TAG=${tag}\0`;
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try {
      if (/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))) return false; // a zombie has exited
      return readFileSync(`/proc/${pid}/environ`, 'latin1').includes(needle);
    } catch {
      return false;
    }
  }).map(Number);
}
