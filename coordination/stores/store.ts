// The store contract. Every method is ONE atomic operation in the store, and every time it
// compares or writes is read from the store's own clock (integer ms since the epoch), never from
// a client: two clients' wall clocks are never compared.

export type StoreKind = 'mongodb' | 'sqlite' | 'postgres';

export interface Lease {
  name: string;
  holder: string | null;
  /** Fencing token: strictly increasing per lease name, never reused. */
  fence: number;
  version: number;
  leaseMs: number;
  acquiredAt: number;
  renewedAt: number;
  expiresAt: number;
}

export interface LeaseState extends Lease {
  /** Judged by the store's clock at the moment of the read. */
  expired: boolean;
  /** Store-clock ms from the read until expiry (<= 0 once expired): how long a standby may sleep. */
  remainingMs: number;
}

export interface HeldLease {
  name: string;
  fence: number;
}

export interface InstanceEntry {
  id: string;
  pid: number;
  host: string;
  role: string;
  startedAt: number;
  heartbeatAt: number;
}

export interface Progress {
  automation: string;
  partition: number;
  nextSeq: number;
  inFlight: number | null;
  fence: number;
}

export type ProgressValues = Pick<Progress, 'nextSeq' | 'inFlight'>;

export type Desired = 'RUNNING' | 'STOPPED';

export interface Control {
  automation: string;
  desired: Desired;
  by: string;
  at: number;
  version: number;
}

export interface LogEntry {
  at: number;
  instance: string;
  level: 'info' | 'warn' | 'error';
  message: string;
}

export interface StoreInfo {
  kind: StoreKind;
  /** Server or library version as the store reports it. */
  version: string;
  /** The URI with credentials redacted. */
  uri: string;
  namespace: string;
}

/** What a namespace holds before the harness touches it. */
export type NamespaceState = 'absent' | 'empty' | 'baton' | 'foreign';

/** The tables (SQL) or collections (MongoDB) a baton namespace consists of; `baton_meta` marks it as ours. */
export const NAMESPACE_TABLES: readonly string[] = ['baton_meta', 'leases', 'instances', 'progress', 'control', 'logs'];

/** Classifies an existing namespace by what is in it: nothing, ours only (with the marker), or anything else. */
export function classifyNamespace(names: string[]): Exclude<NamespaceState, 'absent'> {
  if (names.length === 0) return 'empty';
  return names.includes('baton_meta') && names.every((n) => NAMESPACE_TABLES.includes(n)) ? 'baton' : 'foreign';
}

export interface Store {
  readonly kind: StoreKind;
  info(): Promise<StoreInfo>;
  /** Creates the namespace's tables/collections and its baton marker; idempotent. */
  init(): Promise<void>;
  namespaceState(): Promise<NamespaceState>;
  /** Drops the namespace. Only call after namespaceState() said absent/empty/baton. */
  dropNamespace(): Promise<void>;
  now(): Promise<number>;

  /** CAS: succeeds only if the lease is absent, released, or expired; increments the fence. */
  acquire(name: string, holder: string, leaseMs: number): Promise<Lease | null>;
  /** CAS on (name, holder, fence) for each lease; never creates one. Returns the names renewed. */
  renew(holder: string, held: HeldLease[]): Promise<string[]>;
  /** CAS on (name, holder, fence); clears the holder so a standby can take over at once. */
  release(name: string, holder: string, fence: number): Promise<boolean>;
  readLease(name: string): Promise<LeaseState | null>;
  /** Leases whose name starts with `prefix`. */
  listLeases(prefix: string): Promise<LeaseState[]>;
  /**
   * Optional: calls `onRelease(name)` soon after any lease in the namespace is released, until
   * the returned function is called, or `onLost()` once if the subscription breaks (then no more). A hint for standbys, never a grant; stores without a way to
   * push (SQLite) leave it out and standbys poll.
   */
  watchReleases?(onRelease: (name: string) => void, onLost: () => void): Promise<() => Promise<void>>;

  heartbeat(entry: Omit<InstanceEntry, 'heartbeatAt' | 'startedAt'>): Promise<void>;
  /** Instances whose heartbeat is younger than aliveMs by the store's clock. */
  listAlive(aliveMs: number): Promise<InstanceEntry[]>;
  deregister(id: string): Promise<void>;

  readProgress(automation: string, partition: number): Promise<Progress | null>;
  /**
   * Fenced CAS: writes `next` and `fence` only if the stored fence is <= `fence` and the stored
   * values equal `expect` (`expect` null: only if no record exists yet).
   */
  casProgress(
    automation: string,
    partition: number,
    fence: number,
    expect: ProgressValues | null,
    next: ProgressValues,
  ): Promise<boolean>;

  readControl(automation: string): Promise<Control | null>;
  writeControl(automation: string, desired: Desired, by: string): Promise<Control>;

  /** Appends and keeps only the newest `keep` entries. */
  appendLog(entry: Omit<LogEntry, 'at'>, keep: number): Promise<void>;
  /** Newest first. */
  readLog(limit: number): Promise<LogEntry[]>;

  close(): Promise<void>;
}

export const NAMESPACE_PATTERN = /^[a-z][a-z0-9_]{0,47}$/;

export function assertNamespace(namespace: string): void {
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new StoreError(
      `invalid namespace "${namespace}": use 1-48 chars of a-z, 0-9, _ starting with a letter`,
    );
  }
}

/** A store failure with a one-line, credential-free message that says what to do. */
export class StoreError extends Error {
  override name = 'StoreError';
}
