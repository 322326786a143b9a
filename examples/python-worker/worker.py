#!/usr/bin/env python3
"""A baton worker in Python: one deployment of the app, speaking docs/worker-protocol.md.

    npx baton verify --worker "python3 examples/python-worker/worker.py" --suite all

Standard library only for SQLite (BATON_STORE=sqlite:<dir>); psycopg 3 for PostgreSQL
(BATON_STORE=postgres://...), imported only then. It shares no code with baton: its own tables
(py_leases, py_progress, py_control, py_instances, py_logs) inside the namespace the harness made.

Why two holders never act at once:
  1. Acquire is ONE statement that takes a lease only if it is free or expired by the STORE's
     clock, and bumps its fence (never reset, so never reused). Renew and release are CAS on
     (name, holder, fence): a renew can never create or steal a lease.
  2. A holder may act only until RENEW_DEADLINE after the moment its last successful acquire/renew
     was SENT (time.monotonic_ns, Linux CLOCK_MONOTONIC). That moment is no later than the store's
     timestamp for it, and RENEW_DEADLINE < LEASE, so the holder stops before the store can hand
     the lease to anyone else. The check is made right before every send, under the same lock that
     registers renews, and the `send` line carries the very timestamp that was checked.
  3. Whatever outlives that (a process frozen between the check and the POST) carries its fence:
     the progress record and the receiver refuse a fence lower than one they have seen, and a 409
     makes us print `lost` and stop.

Threads: the main thread waits for shutdown; a stdin thread queues commands (each runs in its
own short thread, like the async commands of the built-in worker); an elector thread renews,
heartbeats and acquires every RETRY; a watchdog thread ends holds whose deadline passed (so a
renew stuck in a stalled store cannot stretch a hold); one work thread per held partition; a
logger thread writes the shared log. Each thread has its own database connection.
"""
import json
import math
import os
import queue
import re
import secrets
import signal
import sqlite3
import sys
import threading
import time
import urllib.error
import urllib.request

# --------------------------------------------------------------------------------------------
# Output: one JSON object per line, flushed at once. Credentials never leave the process.

_out_lock = threading.Lock()
_USERINFO = re.compile(r'(\b[a-z][a-z0-9+.-]*://)([^/@\s]+)@', re.I)
_SECRET_PARAMS = re.compile(r'([?&](?:password|pass|pwd|secret|token)=)[^&\s]+', re.I)


def redact(text):
    def userinfo(m):
        user = m.group(2).split(':')[0]
        return f'{m.group(1)}{user}:***@' if ':' in m.group(2) else f'{m.group(1)}***@'
    return _SECRET_PARAMS.sub(r'\1***', _USERINFO.sub(userinfo, str(text)))


def mono_ns():
    # CLOCK_MONOTONIC, the clock the harness reads its timeline from (Node's hrtime).
    return time.monotonic_ns()


CLOCK_OFFSET_MS = 0
INSTANCE = ''


def instance_id():
    """16 lowercase hex chars (64 random bits), fixed for the life of the process; BATON_INSTANCE_ID overrides."""
    global INSTANCE
    if not INSTANCE:
        INSTANCE = os.environ.get('BATON_INSTANCE_ID') or secrets.token_hex(8)
    return INSTANCE


def emit(type_, _t=None, **fields):
    line = {'t': str(_t if _t is not None else mono_ns()),
            'wall': int(time.time() * 1000) + CLOCK_OFFSET_MS,  # BATON_CLOCK_OFFSET_MS: a skewed wall clock
            'instance': INSTANCE, 'type': type_, **fields}
    if 'message' in line:
        line['message'] = redact(line['message'])
    text = json.dumps(line, separators=(',', ':')) + '\n'
    with _out_lock:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except (BrokenPipeError, ValueError):
            os._exit(1)  # the harness is gone


def fail(message):
    emit('error', message=message, fatal=True)
    sys.stdout.flush()
    os._exit(2)


# --------------------------------------------------------------------------------------------
# Configuration from the environment.

def env(name, default=None):
    v = os.environ.get(name, default)
    if v is None or v == '':
        if default is not None:
            return default
        fail(f'missing environment variable {name}')
    return v


def env_int(name, default=None):
    raw = env(name, None if default is None else str(default))
    try:
        return int(raw)
    except ValueError:
        fail(f'{name} must be a whole number, got {raw!r}')


# --------------------------------------------------------------------------------------------
# The store. Every operation is ONE statement (atomic under SQLite's write lock and PostgreSQL's
# row locks) and compares times by the store's own clock, never ours.

SCHEMA = [
    'CREATE TABLE IF NOT EXISTS py_leases (name TEXT PRIMARY KEY, holder TEXT, fence BIGINT NOT NULL,'
    ' lease_ms BIGINT NOT NULL, renewed_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)',
    'CREATE TABLE IF NOT EXISTS py_instances (id TEXT PRIMARY KEY, pid BIGINT NOT NULL,'
    ' started_at BIGINT NOT NULL, heartbeat_at BIGINT NOT NULL)',
    'CREATE TABLE IF NOT EXISTS py_progress (automation TEXT NOT NULL, partition_no BIGINT NOT NULL,'
    ' next_seq BIGINT NOT NULL, in_flight BIGINT, fence BIGINT NOT NULL, PRIMARY KEY (automation, partition_no))',
    'CREATE TABLE IF NOT EXISTS py_control (automation TEXT PRIMARY KEY, desired TEXT NOT NULL,'
    ' by_instance TEXT NOT NULL, at BIGINT NOT NULL, version BIGINT NOT NULL)',
    'CREATE TABLE IF NOT EXISTS py_logs (id {autoid}, at BIGINT NOT NULL, instance TEXT NOT NULL,'
    ' level TEXT NOT NULL, message TEXT NOT NULL)',
]

SQL = {
    # Takes the lease only if nobody holds it or it expired by the store's clock; the fence grows
    # on every successful acquire (a released lease keeps its fence, so none is ever reused).
    'acquire': 'INSERT INTO py_leases (name, holder, fence, lease_ms, renewed_at, expires_at)'
               ' VALUES (?, ?, 1, ?, {now}, {now} + ?)'
               ' ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, fence = py_leases.fence + 1,'
               ' lease_ms = excluded.lease_ms, renewed_at = {now}, expires_at = {now} + excluded.lease_ms'
               ' WHERE py_leases.holder IS NULL OR py_leases.expires_at <= {now}'
               ' RETURNING fence',
    # CAS on (name, holder, fence): never an upsert, so a late renew cannot resurrect a lease.
    'renew': 'UPDATE py_leases SET renewed_at = {now}, expires_at = {now} + lease_ms'
             ' WHERE name = ? AND holder = ? AND fence = ? RETURNING name',
    'release': 'UPDATE py_leases SET holder = NULL, expires_at = {now}'
               ' WHERE name = ? AND holder = ? AND fence = ? RETURNING name',
    'leases': 'SELECT name, holder, fence, expires_at <= {now} AS expired FROM py_leases ORDER BY name',
    'lease': 'SELECT holder FROM py_leases WHERE name = ?',
    'heartbeat': 'INSERT INTO py_instances (id, pid, started_at, heartbeat_at) VALUES (?, ?, {now}, {now})'
                 ' ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, heartbeat_at = {now}',
    'alive': 'SELECT id FROM py_instances WHERE heartbeat_at > {now} - ? ORDER BY started_at, id',
    'deregister': 'DELETE FROM py_instances WHERE id = ?',
    'progress': 'SELECT next_seq, in_flight, fence FROM py_progress WHERE automation = ? AND partition_no = ?',
    'progress_new': 'INSERT INTO py_progress (automation, partition_no, next_seq, in_flight, fence)'
                    ' VALUES (?, ?, ?, NULL, ?) ON CONFLICT DO NOTHING RETURNING automation',
    # A lower fence never wins: the stored fence must be <= ours and the values what we last saw.
    'progress_cas': 'UPDATE py_progress SET next_seq = ?, in_flight = CAST(? AS BIGINT), fence = ?'
                    ' WHERE automation = ? AND partition_no = ? AND fence <= ? AND next_seq = ?'
                    ' AND in_flight {nullsafe} CAST(? AS BIGINT) RETURNING automation',
    'control': 'SELECT automation, desired, by_instance, at, version FROM py_control WHERE automation = ?',
    'control_set': 'INSERT INTO py_control (automation, desired, by_instance, at, version) VALUES (?, ?, ?, {now}, 1)'
                   ' ON CONFLICT (automation) DO UPDATE SET desired = excluded.desired,'
                   ' by_instance = excluded.by_instance, at = {now}, version = py_control.version + 1'
                   ' RETURNING automation, desired, by_instance, at, version',
    'log': 'INSERT INTO py_logs (at, instance, level, message) VALUES ({now}, ?, ?, ?)',
    'log_trim': 'DELETE FROM py_logs WHERE id <= (SELECT MAX(id) FROM py_logs) - 500',
    'logs': 'SELECT at, instance, level, message FROM py_logs ORDER BY id DESC LIMIT 20',
}


class Store:
    def __init__(self, uri, namespace):
        self._local = threading.local()
        if not re.fullmatch(r'[a-z_][a-z0-9_]{0,62}', namespace):
            fail(f'BATON_NAMESPACE must match [a-z_][a-z0-9_]*, got {namespace!r}')
        if uri.startswith('sqlite:'):
            self.kind = 'sqlite'
            version = tuple(int(x) for x in sqlite3.sqlite_version.split('.'))
            if version < (3, 35, 0):
                fail(f'SQLite {sqlite3.sqlite_version} is too old: this worker needs RETURNING (SQLite >= 3.35)')
            path = re.sub(r'^sqlite:(//)?', '', uri)
            if not path:
                fail('sqlite URI needs a directory: sqlite:<dir>')
            self.file = os.path.join(os.path.abspath(path), f'{namespace}.db')
            # unixepoch('subsec') needs SQLite 3.42; julianday('now') has the same ms precision.
            now = ("CAST(unixepoch('subsec') * 1000 AS INTEGER)" if version >= (3, 42, 0)
                   else "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)")
            nullsafe, autoid, param = 'IS', 'INTEGER PRIMARY KEY AUTOINCREMENT', '?'
        elif re.match(r'^postgres(ql)?://', uri):
            self.kind = 'postgres'
            try:
                import psycopg  # noqa: F401  (only needed for PostgreSQL)
            except ImportError:
                fail('BATON_STORE is PostgreSQL but psycopg is not installed: pip install "psycopg[binary]"')
            self.uri = uri
            self.namespace = namespace
            now = '(extract(epoch from clock_timestamp()) * 1000)::bigint'
            nullsafe, autoid, param = 'IS NOT DISTINCT FROM', 'BIGSERIAL PRIMARY KEY', '%s'
        else:
            fail(f'unsupported BATON_STORE {redact(uri)}: this worker speaks sqlite:<dir> and postgres://')
        self.sql = {k: v.format(now=now, nullsafe=nullsafe).replace('?', param) for k, v in SQL.items()}
        self.schema = [s.format(autoid=autoid) for s in SCHEMA]

    def _conn(self):
        c = getattr(self._local, 'conn', None)
        if c is not None:
            return c
        if self.kind == 'sqlite':
            os.makedirs(os.path.dirname(self.file), exist_ok=True)
            # Autocommit (isolation_level=None): each statement is its own atomic transaction.
            c = sqlite3.connect(self.file, timeout=10, isolation_level=None)
            c.execute('PRAGMA journal_mode=WAL')
            c.execute('PRAGMA synchronous=NORMAL')
        else:
            import psycopg
            # Connect to exactly the URI we were given (it may be the harness's fault proxy).
            c = psycopg.connect(self.uri, autocommit=True, connect_timeout=5,
                                options=f'-c search_path={self.namespace}', application_name='baton-python-worker')
        self._local.conn = c
        return c

    def reset(self):
        """Drops this thread's connection after an error (PostgreSQL: a reset or dead socket)."""
        c = getattr(self._local, 'conn', None)
        self._local.conn = None
        if c is not None:
            try:
                c.close()
            except Exception:
                pass

    def q(self, name, *args):
        """Runs statement `name`; returns its rows as dicts ([] when it returns none)."""
        try:
            cur = self._conn().execute(self.sql.get(name, name), args)
            if cur.description is None:
                return []
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, row)) for row in cur.fetchall()]
        except Exception as e:
            if self.kind == 'postgres' or not isinstance(e, sqlite3.OperationalError):
                self.reset()
            raise

    def init(self):
        # Several workers create the tables at once; PostgreSQL's CREATE TABLE IF NOT EXISTS can
        # still collide on its catalog, so try again.
        for attempt in range(10):
            try:
                for s in self.schema:
                    self.q(s)
                return
            except Exception:
                if attempt == 9:
                    raise
                time.sleep(0.1 + 0.1 * attempt)

    def close(self):
        self.reset()


# --------------------------------------------------------------------------------------------
# Holds and the worker.

class Hold:
    """One lease we won: its fence, and when the last successful acquire/renew was SENT."""

    def __init__(self, name, partition, fence, sent_ns):
        self.name, self.partition, self.fence = name, partition, fence
        self.last_sent = sent_ns
        self.stop = threading.Event()   # tells the work thread to finish
        self.thread = None
        self.releasing = False
        self.ended = False


class Worker:
    def __init__(self, store):
        self.store = store
        self.id = instance_id()
        self.lock_name = env('BATON_LOCK')
        self.automation = env('BATON_AUTOMATION')
        self.lease_ms = env_int('BATON_LEASE_MS')
        self.deadline_ms = env_int('BATON_RENEW_DEADLINE_MS')
        self.retry_ms = env_int('BATON_RETRY_MS')
        if not (self.lease_ms > self.deadline_ms > 1.2 * self.retry_ms > 0):
            fail('timing must satisfy BATON_LEASE_MS > BATON_RENEW_DEADLINE_MS > 1.2 x BATON_RETRY_MS > 0')
        self.deadline_ns = self.deadline_ms * 1_000_000
        self.partitions = env_int('BATON_PARTITIONS', 1)
        if self.partitions < 1:
            fail('BATON_PARTITIONS must be >= 1')
        self.messages = env_int('BATON_MESSAGES', 0)
        self.interval = env_int('BATON_INTERVAL_MS', 100) / 1000
        sink = env('BATON_SINK')
        self.deliver_url = sink + ('deliver' if sink.endswith('/') else '/deliver')
        # No proxies from the environment: BATON_SINK is exactly where we must POST.
        self.http = urllib.request.build_opener(urllib.request.ProxyHandler({}))

        self.lock = threading.RLock()   # guards held/last_seen; sends check their deadline under it
        self.held = {}
        self.last_seen = {}
        self.cooldown_until = 0
        self.shutdown = threading.Event()
        self.logs = queue.Queue()
        # Each instance starts at a different partition, so instances that start together spread out.
        start = int(self.id[-4:], 16) % self.partitions if re.fullmatch(r'[0-9a-fA-F]{4}', self.id[-4:]) else 0
        self.preferred = [(start + i) % self.partitions for i in range(self.partitions)]

    def lease_of(self, p):
        return self.lock_name if self.partitions == 1 else f'{self.lock_name}.p{p}'

    # ---- helpers ---------------------------------------------------------------------------

    def error(self, what, e):
        emit('error', message=f'{what}: {type(e).__name__}: {e}')

    def log(self, level, message):
        self.logs.put((level, message))

    def log_loop(self):
        n = 0
        while True:
            level, message = self.logs.get()
            try:
                self.store.q('log', self.id, level, message)
                n += 1
                if n % 50 == 0:
                    self.store.q('log_trim')
            except Exception:
                pass  # the shared log is best effort

    def _leading(self, h, now):
        """May we act for hold h at monotonic time now? Call with self.lock held."""
        return (self.held.get(h.name) is h and not h.ended and not h.releasing and not h.stop.is_set()
                and now - h.last_sent < self.deadline_ns)

    def _lose(self, h, reason):
        """Stop holding without releasing (deadline passed, lease taken, fence refused)."""
        with self.lock:
            if self.held.get(h.name) is not h or h.ended:
                return
            h.ended = True
            del self.held[h.name]
            h.stop.set()
            emit('lost', lock=h.name, fence=h.fence, reason=reason)
        self.log('warn', f'lost {h.name} (fence {h.fence}): {reason}')

    def _give_back(self, name, fence):
        """Best effort: release a lease the store says is ours but we no longer vouch for."""
        try:
            self.store.q('release', name, self.id, fence)
        except Exception:
            pass

    # ---- the elector -----------------------------------------------------------------------

    def elector_loop(self):
        while not self.shutdown.is_set():
            started = time.monotonic()
            try:
                self.tick()
            except Exception as e:
                self.error('elector', e)
            self.shutdown.wait(max(0.0, self.retry_ms / 1000 - (time.monotonic() - started)))

    def watchdog_loop(self):
        # Ends a hold the moment its deadline passes, even while the elector is stuck in a store call.
        while True:
            time.sleep(0.02)
            now = mono_ns()
            with self.lock:
                late = [h for h in self.held.values() if now - h.last_sent >= self.deadline_ns]
            for h in late:
                self._lose(h, 'renew deadline passed')

    def tick(self):
        self.renew_all()
        if self.shutdown.is_set():
            return
        share = self.heartbeat_and_share()
        with self.lock:
            active = [h for h in self.held.values() if not h.releasing]
        if len(active) > share:
            # Give back the least preferred extras so a newcomer gets work.
            active.sort(key=lambda h: self.preferred.index(h.partition), reverse=True)
            for h in active[:len(active) - share]:
                self.release(h)
            return
        if time.monotonic() < self.cooldown_until:
            return
        for p in self.preferred:
            if self.shutdown.is_set():
                return
            name = self.lease_of(p)
            with self.lock:
                count = len([h for h in self.held.values() if not h.releasing])
                have = name in self.held
            if count >= share:
                return
            if not have:
                self.try_acquire(name, p)

    def renew_all(self):
        with self.lock:
            holds = list(self.held.values())
        for h in holds:
            sent = mono_ns()
            with self.lock:
                if self.held.get(h.name) is not h:
                    continue
                if sent - h.last_sent >= self.deadline_ns:
                    self._lose(h, 'renew deadline passed')  # too late: a renew now cannot vouch for the gap
                    continue
            try:
                ok = bool(self.store.q('renew', h.name, self.id, h.fence))
            except Exception as e:
                self.error(f'renew {h.name} failed', e)  # the deadline decides when this costs the lease
                continue
            give_back = False
            with self.lock:
                if self.held.get(h.name) is not h:
                    give_back = ok  # the hold ended while the renew was in flight
                elif not ok:
                    self._lose(h, 'lease taken by another holder')
                elif mono_ns() - sent >= self.deadline_ns:
                    # The answer came after the deadline counted from its sending: it vouches for nothing.
                    self._lose(h, 'renew answered after the renew deadline')
                    give_back = True
                else:
                    h.last_sent = sent
                    emit('renewed', lock=h.name, fence=h.fence, sent=str(sent))
            if give_back:
                self._give_back(h.name, h.fence)

    def heartbeat_and_share(self):
        self.store.q('heartbeat', self.id, os.getpid())
        alive = [r['id'] for r in self.store.q('alive', self.lease_ms)]
        others = len([a for a in alive if a != self.id])
        return math.ceil(self.partitions / (others + 1))

    def try_acquire(self, name, p):
        sent = mono_ns()
        rows = self.store.q('acquire', name, self.id, self.lease_ms, self.lease_ms)
        if not rows:
            got = self.store.q('lease', name)
            holder = got[0]['holder'] if got else None
            if self.last_seen.get(name, '') != holder:
                emit('denied', lock=name, holder=holder)
            self.last_seen[name] = holder
            return
        self.last_seen.pop(name, None)
        h = Hold(name, p, int(rows[0]['fence']), sent)
        with self.lock:
            self.held[name] = h
            emit('acquired', lock=name, fence=h.fence, sent=str(sent))
            late = mono_ns() - sent >= self.deadline_ns
        self.log('info', f'acquired {name} (fence {h.fence})')
        if late:
            self._lose(h, 'acquire answered after the renew deadline')
            self._give_back(name, h.fence)
        elif self.shutdown.is_set():
            self.release(h)
        else:
            h.thread = threading.Thread(target=self.work, args=(h,), daemon=True, name=f'work-{name}')
            h.thread.start()

    def release(self, h):
        """Finish the in-flight message, then hand the lease back (CAS)."""
        with self.lock:
            if self.held.get(h.name) is not h or h.releasing:
                return
            h.releasing = True
            h.stop.set()
        if h.thread is not None and h.thread is not threading.current_thread():
            h.thread.join(self.deadline_ms / 1000)
        with self.lock:
            if self.held.get(h.name) is not h:
                return  # lost while finishing
            del self.held[h.name]
            h.ended = True
        sent = mono_ns()  # we stopped acting before this: a standby may win the instant the store applies it
        try:
            ok = bool(self.store.q('release', h.name, self.id, h.fence))
            reason = 'release refused: lease no longer ours'
        except Exception as e:
            ok, reason = False, f'release failed: {type(e).__name__}: {e}'
        if ok:
            emit('released', lock=h.name, fence=h.fence, sent=str(sent))
            self.log('info', f'released {h.name} (fence {h.fence})')
        else:
            emit('lost', lock=h.name, fence=h.fence, reason=reason)

    def release_all(self, cooldown_ms):
        self.cooldown_until = time.monotonic() + cooldown_ms / 1000
        with self.lock:
            holds = list(self.held.values())
        for h in holds:
            h.stop.set()   # every partition stops at once; then each is handed back
        for h in holds:
            self.release(h)

    # ---- the automation for one partition ----------------------------------------------------

    def retrying(self, h, fn, until_ended=False):
        """fn() until it returns without raising; None once the hold stops (or ended, if until_ended)."""
        while True:
            if (h.ended if until_ended else h.stop.is_set()):
                return None
            try:
                return fn()
            except Exception as e:
                self.error(f'{h.name}', e)
                time.sleep(min(0.1, self.retry_ms / 1000))

    def read_progress(self, p):
        rows = self.store.q('progress', self.automation, p)
        if not rows:
            return None
        r = rows[0]
        return int(r['next_seq']), (None if r['in_flight'] is None else int(r['in_flight'])), int(r['fence'])

    def cas(self, h, frm, to):
        """Fenced CAS of (next_seq, in_flight); returns `to`, or None after stepping down."""
        if self.store.q('progress_cas', to[0], to[1], h.fence, self.automation, h.partition, h.fence, frm[0], frm[1]):
            return to
        now = self.read_progress(h.partition)
        if now is not None and now[:2] == tuple(to) and now[2] == h.fence:
            return to  # our write landed but its answer was lost
        self._lose(h, f'progress record refused fence {h.fence} (stored fence {now[2] if now else None})')
        return None

    def adopt(self, h):
        """Stamps our fence on the partition's progress record (creating it on first use)."""
        while True:
            cur = self.read_progress(h.partition)
            if cur is None:
                if self.store.q('progress_new', self.automation, h.partition, h.partition, h.fence):
                    return (h.partition, None)
                continue  # someone created it meanwhile
            if cur[2] > h.fence:
                self._lose(h, f'progress record refused fence {h.fence} (stored fence {cur[2]})')
                return None
            return self.cas(h, cur[:2], cur[:2])

    def desired(self):
        rows = self.store.q('control', self.automation)
        return rows[0]['desired'] if rows else 'STOPPED'

    def work(self, h):
        try:
            progress = self.retrying(h, lambda: self.adopt(h))
            if progress is not None and progress[1] is not None:
                # In doubt: the previous holder may or may not have delivered it. Send it again, once.
                progress = self.send_one(h, progress, progress[1], resend=True)
            idle = None
            while progress is not None and not h.stop.is_set():
                seq = progress[0]
                if 0 < self.messages <= seq:
                    state = 'complete'
                else:
                    desired = self.retrying(h, self.desired)   # read before every send
                    if desired is None:
                        return
                    state = None if desired == 'RUNNING' else 'stopped'
                if state:
                    if idle != state:
                        emit('idle', automation=self.automation, partition=h.partition, reason=state)
                    idle = state
                    h.stop.wait(self.interval)
                    continue
                idle = None
                at = progress
                claimed = self.retrying(h, lambda: self.cas(h, at, (seq, seq)))
                if claimed is None:
                    return
                progress = self.send_one(h, claimed, seq, resend=False)
                h.stop.wait(self.interval)
        except Exception as e:
            self.error(f'work on {h.name} failed', e)
            # A hold nobody works is a zombie: the elector would keep renewing it while its partition
            # starves (found by `baton explore`: a clock step, then a store cut, killed this thread).
            # Hand the lease back so another deployment, or our next tick, takes the work up.
            self.release(h)
        finally:
            self.store.close()  # this thread's connection

    def send_one(self, h, at, seq, resend):
        with self.lock:
            # The deadline check and the line's `t` are one reading of the monotonic clock.
            now = mono_ns()
            if not self._leading(h, now):
                return None
            emit('send', _t=now, automation=self.automation, seq=seq, fence=h.fence, partition=h.partition, resend=resend)
        status = self.deliver(seq, h)
        emit('sent', automation=self.automation, seq=seq, fence=h.fence, partition=h.partition, status=status)
        if status == 'stale':
            reason = f'receiver refused fence {h.fence} as stale'
            with self.lock:
                current = self.held.get(h.name) is h and not h.ended
            if current:
                self._lose(h, reason)
            else:
                emit('lost', lock=h.name, fence=h.fence, reason=f'{reason} (the hold had already ended)')
            h.stop.set()
            return None
        if status == 'failed':
            return at  # stays in flight: re-sent by us next, or by the next holder
        # Record it as done even while releasing: a fenced CAS is harmless, and it spares the next
        # holder an in-doubt re-send. Retried until it lands or the hold has ended.
        return self.retrying(h, lambda: self.cas(h, at, (seq + self.partitions, None)), until_ended=True)

    def deliver(self, seq, h):
        body = json.dumps({'automation': self.automation, 'seq': seq, 'fence': h.fence,
                           'instance': self.id, 'partition': h.partition}).encode()
        req = urllib.request.Request(self.deliver_url, data=body, method='POST',
                                     headers={'content-type': 'application/json'})
        try:
            with self.http.open(req, timeout=5) as r:
                r.read()
                code = r.status
        except urllib.error.HTTPError as e:
            code = e.code
        except Exception:
            return 'failed'
        return {200: 'accepted', 208: 'duplicate', 409: 'stale'}.get(code, 'failed')

    # ---- commands ----------------------------------------------------------------------------

    def set_desired(self, desired):
        r = self.store.q('control_set', self.automation, desired, self.id)[0]
        self.log('info', f"{'START' if desired == 'RUNNING' else 'STOP'} requested")
        return {'automation': r['automation'], 'desired': r['desired'], 'by': r['by_instance'],
                'at': int(r['at']), 'version': int(r['version'])}

    def status(self):
        names = {self.lease_of(p) for p in range(self.partitions)}
        rows = [r for r in self.store.q('leases') if r['name'] in names]
        holders = [{'lock': r['name'], 'holder': None if r['expired'] else r['holder'], 'fence': int(r['fence'])}
                   for r in rows]
        alive = [r['id'] for r in self.store.q('alive', self.lease_ms)]
        return {'desired': self.desired(), 'holders': holders, 'alive': alive}

    def block(self, ms):
        # A stop-the-world pause: nothing that needs the lease state (sends, renews, the watchdog)
        # runs meanwhile. The harness pauses a threaded worker with SIGSTOP instead.
        with self.lock:
            end = time.monotonic() + ms / 1000
            while time.monotonic() < end:
                pass

    def command(self, cmd):
        name = cmd.get('cmd')
        try:
            if name == 'start':
                result = {'control': self.set_desired('RUNNING')}
            elif name == 'stop':
                result = {'control': self.set_desired('STOPPED')}
            elif name == 'status':
                result = self.status()
            elif name == 'logs':
                result = {'entries': [{'at': int(r['at']), 'instance': r['instance'], 'level': r['level'],
                                       'message': r['message']} for r in self.store.q('logs')]}
            elif name == 'release':
                self.release_all(self.lease_ms)
                result = {}
            elif name == 'block':
                self.block(int(cmd.get('ms', 1000)))
                result = {}
            elif name == 'exit':
                self.shutdown_requested.set()
                return
            else:
                emit('error', message=f'unknown command {json.dumps(name)}')
                return
            emit('ack', cmd=name, **result)
        except Exception as e:
            self.error(f'{name} failed', e)
        finally:
            self.store.close()  # this thread's connection

    def stdin_loop(self):
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            try:
                cmd = json.loads(line)
                assert isinstance(cmd, dict)
            except Exception:
                emit('error', message=f'not a JSON object: {line[:80]}')
                continue
            threading.Thread(target=self.command, args=(cmd,), daemon=True).start()

    # ---- life cycle --------------------------------------------------------------------------

    def run(self):
        self.shutdown_requested = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self.shutdown_requested.set())
        emit('started', id=instance_id(), pid=os.getpid(), idAgain=instance_id(), label=os.environ.get('BATON_INSTANCE_LABEL', ''))
        self.store.q('heartbeat', self.id, os.getpid())
        for target in (self.log_loop, self.watchdog_loop, self.stdin_loop):
            threading.Thread(target=target, daemon=True).start()
        elector = threading.Thread(target=self.elector_loop, daemon=True)
        elector.start()
        while not self.shutdown_requested.wait(0.05):
            pass
        self.stop(elector)

    def stop(self, elector):
        """SIGTERM / exit: finish in-flight messages, release, deregister, print `stopped`."""
        self.shutdown.set()
        elector.join(self.deadline_ms / 1000)
        self.release_all(0)
        with self.lock:
            leftover = list(self.held.values())
        for h in leftover:
            self._lose(h, 'stopped')
        try:
            self.store.q('deregister', self.id)
        except Exception as e:
            self.error('deregister failed', e)
        emit('stopped')
        os._exit(0)


def main():
    global CLOCK_OFFSET_MS
    CLOCK_OFFSET_MS = env_int('BATON_CLOCK_OFFSET_MS', 0)
    instance_id()
    store = Store(env('BATON_STORE'), env('BATON_NAMESPACE'))
    try:
        store.init()
    except Exception as e:
        fail(f'cannot prepare the store: {type(e).__name__}: {e}')
    Worker(store).run()


if __name__ == '__main__':
    try:
        main()
    except SystemExit:
        raise
    except BaseException as e:
        fail(f'{type(e).__name__}: {e}')
