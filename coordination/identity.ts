import { randomBytes } from 'node:crypto';

export const INSTANCE_ID_PATTERN = /^[0-9a-f]{16}$/;
let cached: string | undefined;

/**
 * This process's instance ID: 16 lowercase hex chars (64 random bits, so a collision among a
 * fleet's instances is negligible), fixed for the life of the process. `BATON_INSTANCE_ID`
 * overrides it, e.g. to keep a stable name across restarts.
 */
export function instanceId(): string {
  cached ??= process.env.BATON_INSTANCE_ID || randomBytes(8).toString('hex');
  return cached;
}
