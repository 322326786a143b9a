// SQL shared by the SQLite and PostgreSQL stores. Both accept the same UPSERT ... WHERE ...
// RETURNING dialect; only the clock expression and parameter style differ, so each store passes
// its own `NOW` (integer ms from the database's clock) and a placeholder function.
import type { Lease, LeaseState, InstanceEntry, Progress, Control, LogEntry } from './store.ts';

export interface Dialect {
  now: string;
  /** nth placeholder, 1-based. */
  p(n: number): string;
  /** nth placeholder typed as an integer (PostgreSQL cannot infer types inside VALUES lists). */
  int(n: number): string;
  /** Wraps a statement that RETURNs `name` so the same statement announces each released lease. */
  announce?(returningName: string): string;
}

/**
 * Renews every lease in `count` (name, fence) pairs in ONE statement, so an instance's heartbeat
 * cost grows with the number of instances, not partitions. Parameters: holder, then name/fence pairs.
 */
export function renewMany(d: Dialect, count: number): string {
  const pairs = Array.from({ length: count }, (_, i) => `(${d.p(2 + 2 * i)}, ${d.int(3 + 2 * i)})`);
  return `UPDATE leases SET renewed_at = ${d.now}, expires_at = ${d.now} + lease_ms, version = version + 1
    WHERE holder = ${d.p(1)} AND (name, fence) IN (VALUES ${pairs.join(', ')}) RETURNING name`;
}

export function schema(autoId: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS baton_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT, fence BIGINT NOT NULL,
       version BIGINT NOT NULL, lease_ms BIGINT NOT NULL, acquired_at BIGINT NOT NULL,
       renewed_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS instances (id TEXT PRIMARY KEY, pid BIGINT NOT NULL, host TEXT NOT NULL,
       role TEXT NOT NULL, started_at BIGINT NOT NULL, heartbeat_at BIGINT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS progress (automation TEXT NOT NULL, partition_no BIGINT NOT NULL,
       next_seq BIGINT NOT NULL, in_flight BIGINT, fence BIGINT NOT NULL,
       PRIMARY KEY (automation, partition_no))`,
    `CREATE TABLE IF NOT EXISTS control (automation TEXT PRIMARY KEY, desired TEXT NOT NULL,
       by_instance TEXT NOT NULL, at BIGINT NOT NULL, version BIGINT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS logs (id ${autoId}, at BIGINT NOT NULL, instance TEXT NOT NULL,
       level TEXT NOT NULL, message TEXT NOT NULL)`,
    `INSERT INTO baton_meta (key, value) VALUES ('owner', 'baton') ON CONFLICT (key) DO NOTHING`,
  ];
}

export function statements(d: Dialect) {
  const { now, p } = d;
  return {
    now: `SELECT ${now} AS now`,
    // Takes the lease only when nobody holds it or it expired by the store's clock. The fence
    // grows on every successful acquire and is never reset, so a fence is never reused.
    acquire: `INSERT INTO leases (name, holder, fence, version, lease_ms, acquired_at, renewed_at, expires_at)
      VALUES (${p(1)}, ${p(2)}, 1, 1, ${p(3)}, ${now}, ${now}, ${now} + ${p(3)})
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, fence = leases.fence + 1,
        version = leases.version + 1, lease_ms = excluded.lease_ms, acquired_at = ${now},
        renewed_at = ${now}, expires_at = ${now} + excluded.lease_ms
      WHERE leases.holder IS NULL OR leases.expires_at <= ${now}
      RETURNING *`,
    release: (d.announce ?? ((q: string) => q))(`UPDATE leases SET holder = NULL, expires_at = ${now}, version = version + 1
      WHERE name = ${p(1)} AND holder = ${p(2)} AND fence = ${p(3)} RETURNING name`),
    readLease: `SELECT *, expires_at <= ${now} AS expired, expires_at - ${now} AS remaining_ms FROM leases WHERE name = ${p(1)}`,
    listLeases: `SELECT *, expires_at <= ${now} AS expired, expires_at - ${now} AS remaining_ms FROM leases
      WHERE substr(name, 1, ${p(2)}) = ${p(1)} ORDER BY name`,
    heartbeat: `INSERT INTO instances (id, pid, host, role, started_at, heartbeat_at)
      VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${now}, ${now})
      ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, host = excluded.host, role = excluded.role,
        heartbeat_at = ${now}`,
    listAlive: `SELECT * FROM instances WHERE heartbeat_at > ${now} - ${p(1)} ORDER BY started_at, id`,
    deregister: `DELETE FROM instances WHERE id = ${p(1)}`,
    readProgress: `SELECT * FROM progress WHERE automation = ${p(1)} AND partition_no = ${p(2)}`,
    insertProgress: `INSERT INTO progress (automation, partition_no, next_seq, in_flight, fence)
      VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}) ON CONFLICT DO NOTHING RETURNING automation`,
    // A lower fence never wins: the stored fence must be <= ours, so a deposed holder's write
    // is refused once the new holder has written.
    casProgress: `UPDATE progress SET next_seq = ${p(3)}, in_flight = ${p(4)}, fence = ${p(5)}
      WHERE automation = ${p(1)} AND partition_no = ${p(2)} AND fence <= ${p(5)}
        AND next_seq = ${p(6)} AND in_flight IS NOT DISTINCT FROM ${p(7)} RETURNING automation`,
    readControl: `SELECT * FROM control WHERE automation = ${p(1)}`,
    writeControl: `INSERT INTO control (automation, desired, by_instance, at, version)
      VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${now}, 1)
      ON CONFLICT (automation) DO UPDATE SET desired = excluded.desired, by_instance = excluded.by_instance,
        at = ${now}, version = control.version + 1 RETURNING *`,
    appendLog: `INSERT INTO logs (at, instance, level, message) VALUES (${now}, ${p(1)}, ${p(2)}, ${p(3)})`,
    trimLog: `DELETE FROM logs WHERE id <= (SELECT MAX(id) FROM logs) - ${p(1)}`,
    readLog: `SELECT * FROM logs ORDER BY id DESC LIMIT ${p(1)}`,
  };
}

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);

export function toLease(r: Row): Lease {
  return {
    name: String(r.name),
    holder: r.holder == null ? null : String(r.holder),
    fence: num(r.fence),
    version: num(r.version),
    leaseMs: num(r.lease_ms),
    acquiredAt: num(r.acquired_at),
    renewedAt: num(r.renewed_at),
    expiresAt: num(r.expires_at),
  };
}

export function toLeaseState(r: Row): LeaseState {
  return { ...toLease(r), expired: Boolean(num(r.expired)), remainingMs: num(r.remaining_ms) };
}

export function toInstance(r: Row): InstanceEntry {
  return {
    id: String(r.id),
    pid: num(r.pid),
    host: String(r.host),
    role: String(r.role),
    startedAt: num(r.started_at),
    heartbeatAt: num(r.heartbeat_at),
  };
}

export function toProgress(r: Row): Progress {
  return {
    automation: String(r.automation),
    partition: num(r.partition_no),
    nextSeq: num(r.next_seq),
    inFlight: r.in_flight == null ? null : num(r.in_flight),
    fence: num(r.fence),
  };
}

export function toControl(r: Row): Control {
  return {
    automation: String(r.automation),
    desired: r.desired === 'RUNNING' ? 'RUNNING' : 'STOPPED',
    by: String(r.by_instance),
    at: num(r.at),
    version: num(r.version),
  };
}

export function toLog(r: Row): LogEntry {
  const level = r.level === 'warn' || r.level === 'error' ? r.level : 'info';
  return { at: num(r.at), instance: String(r.instance), level, message: String(r.message) };
}
