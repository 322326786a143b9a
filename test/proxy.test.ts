// The fault proxy over real sockets: echo servers, an HTTP server, a child process that dies
// mid-request, and PostgreSQL. Timing assertions are lower bounds only (the machine is noisy).
import { afterEach, describe, expect, inject, it } from 'vitest';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { createServer as createHttpServer, request } from 'node:http';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { FaultProxy, throughProxy, uriTarget } from '../harness/faults/proxy.ts';
import { storeProxiable } from '../harness/faults/network.ts';
import { monotonicMs, sleep } from '../coordination/clock.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const PROXY_TS = fileURLToPath(new URL('../harness/faults/proxy.ts', import.meta.url));

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await Promise.resolve().then(fn).catch(() => {});
});

async function proxyTo(port: number): Promise<{ proxy: FaultProxy; port: number }> {
  const proxy = new FaultProxy({ host: '127.0.0.1', port }, { label: 'test proxy' });
  cleanups.push(() => proxy.stop());
  return { proxy, port: (await proxy.start()).port };
}

/** A TCP server on loopback; `onSocket` decides what it does with each connection. */
async function tcpServer(onSocket: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    onSocket(s);
  });
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

const echoServer = () => tcpServer((s) => s.pipe(s));

/** A client socket that records what it receives and how it ended. */
async function client(port: number) {
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  cleanups.push(() => socket.destroy());
  let received = '';
  socket.on('data', (c) => (received += c));
  socket.on('error', () => {});
  const closed = new Promise<true>((resolve) => socket.once('close', () => resolve(true)));
  await new Promise((resolve) => socket.once('connect', resolve).once('close', resolve));
  return {
    socket,
    closed,
    received: () => received,
    /** Resolves once at least `n` characters have arrived. */
    async read(n: number): Promise<string> {
      while (received.length < n && !socket.destroyed) {
        await new Promise((resolve) => socket.once('data', resolve).once('close', resolve));
      }
      return received;
    },
  };
}

/** Whether `p` settles within `ms` (used for "nothing happens", never as an upper timing bound). */
const within = <T>(p: Promise<T>, ms: number) => Promise.race([p.then(() => true), sleep(ms).then(() => false)]);

async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = monotonicMs() + ms;
  while (!cond()) {
    if (monotonicMs() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('which store URIs a proxy can stand in for', () => {
  it('PostgreSQL and a single-host direct MongoDB; never a replica set, mongodb+srv or SQLite', () => {
    expect(storeProxiable('postgres://u:p@h:5432/db')).toBe(true);
    expect(storeProxiable('mongodb://u:p@h:27017/db?directConnection=true')).toBe(true);
    expect(storeProxiable('mongodb://h:27017/?appName=x&directconnection=true')).toBe(true);
    expect(storeProxiable('mongodb://h:27017/')).toBe(false); // the driver may follow the set's advertised members
    expect(storeProxiable('mongodb://h1:1,h2:2/?directConnection=true')).toBe(false);
    expect(storeProxiable('mongodb+srv://u:p@c.example.net/?directConnection=true')).toBe(false);
    expect(storeProxiable('sqlite:/tmp/x')).toBe(false);
  });
});

describe('FaultProxy', () => {
  it('pass: forwards both ways and counts bytes', async () => {
    const { port: target } = await echoServer();
    const { proxy, port } = await proxyTo(target);
    const c = await client(port);
    c.socket.write('hello');
    expect(await c.read(5)).toBe('hello');
    expect(proxy.stats()).toMatchObject({ connections: 1, bytesUp: 5, bytesDown: 5, held: 0, dropped: 0, open: 1, errors: 0 });
    expect(proxy.upstreamPorts()).toHaveLength(1);
  });

  it('latency: a round trip pays the delay both ways, and 100 writes keep their order', async () => {
    const { port: target } = await echoServer();
    const { proxy, port } = await proxyTo(target);
    const c = await client(port);
    proxy.setMode({ kind: 'latency', ms: 150 });
    const t0 = monotonicMs();
    c.socket.write('x');
    await c.read(1);
    expect(monotonicMs() - t0).toBeGreaterThanOrEqual(300);

    proxy.setMode({ kind: 'latency', ms: 20, jitterMs: 15 });
    const expected = Array.from({ length: 100 }, (_, i) => `${i},`).join('');
    for (let i = 0; i < 100; i++) {
      c.socket.write(`${i},`);
      if (i % 10 === 0) await sleep(3); // separate chunks, so jitter has something to reorder
    }
    expect((await c.read(1 + expected.length)).slice(1)).toBe(expected);
  });

  it('blackhole: nothing crosses; on heal a connection that lost bytes is reset, an idle one survives, new ones work', async () => {
    const { port: target } = await echoServer();
    const { proxy, port } = await proxyTo(target);
    const talker = await client(port);
    const idle = await client(port);
    talker.socket.write('a');
    await talker.read(1);
    idle.socket.write('b');
    await idle.read(1);

    proxy.setMode({ kind: 'blackhole' });
    talker.socket.write('lost');
    const joiner = await client(port); // accepted, but nothing reaches the target
    expect(await within(talker.read(2), 300)).toBe(false);
    expect(talker.received()).toBe('a');
    expect(proxy.stats().dropped).toBe(4);
    expect(proxy.upstreamPorts()).toHaveLength(2);

    proxy.setMode({ kind: 'pass' });
    expect(await talker.closed).toBe(true);
    idle.socket.write('c');
    expect(await idle.read(2)).toBe('bc');
    joiner.socket.write('j');
    expect(await joiner.read(1)).toBe('j');
    const fresh = await client(port);
    fresh.socket.write('d');
    expect(await fresh.read(1)).toBe('d');
  });

  it('directed modes: replies lost while requests arrive; requests held while replies flow; what crossed after a moment is counted', async () => {
    let got = '';
    const { port: target } = await tcpServer((s) => s.on('data', (c) => { got += c; s.write(`ack:${c}`); }));
    const { proxy, port } = await proxyTo(target);
    const c = await client(port);
    c.socket.write('a');
    expect(await c.read(5)).toBe('ack:a');
    const moment = monotonicMs();
    proxy.setMode({ kind: 'blackhole', direction: 'down' });
    c.socket.write('b');
    await until(() => got === 'ab', 'the request to arrive');
    expect(await within(c.read(10), 200)).toBe(false); // its reply is lost
    expect(proxy.stats().dropped).toBeGreaterThan(0);
    expect(proxy.passedSince(moment)).toBe(1); // 'b' crossed after the moment
    proxy.setMode({ kind: 'pass' });
    expect(await c.closed).toBe(true); // a stream with a hole is reset on heal
    const d = await client(port);
    proxy.setMode({ kind: 'hold', direction: 'up' });
    d.socket.write('c');
    await sleep(200);
    expect(got).not.toContain('c'); // held in the network
    proxy.setMode({ kind: 'pass' });
    expect(await d.read(5)).toBe('ack:c');
  });

  it('reset: open connections are closed at once, new ones on accept', async () => {
    const { port: target } = await echoServer();
    const { proxy, port } = await proxyTo(target);
    const c = await client(port);
    c.socket.write('a');
    await c.read(1);
    proxy.setMode({ kind: 'reset' });
    expect(await c.closed).toBe(true);
    const late = await client(port);
    expect(await late.closed).toBe(true);
    expect(proxy.stats().open).toBe(0);
    proxy.setMode({ kind: 'pass' });
    const fresh = await client(port);
    fresh.socket.write('z');
    expect(await fresh.read(1)).toBe('z');
  });

  it('hold then deliver: an HTTP POST waits in the network and arrives on heal, response included', async () => {
    let posts = 0;
    const server = createHttpServer((req, res) => {
      if (req.method === 'POST') posts++;
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    cleanups.push(() => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { proxy, port } = await proxyTo((server.address() as { port: number }).port);

    proxy.setMode({ kind: 'hold' });
    const response = new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/deliver', agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      });
      req.on('error', reject);
      req.end('{"seq":1}');
    });
    await sleep(500);
    expect(posts).toBe(0);
    expect(proxy.stats().held).toBeGreaterThan(0);

    proxy.setMode({ kind: 'pass' });
    expect(await response).toEqual({ status: 200, body: 'ok' });
    expect(posts).toBe(1);
  });

  it.each(['exit', 'SIGKILL'] as const)('hold then deliver: a request written by a client that then dies (%s) still arrives', async (death) => {
    let got = '';
    let ended = false;
    let accepted = 0;
    const { port: target } = await tcpServer((s) => {
      accepted++;
      s.on('data', (c) => (got += c));
      s.on('end', () => (ended = true));
    });
    const { proxy, port } = await proxyTo(target);
    proxy.setMode({ kind: 'hold' });

    const request = 'POST /deliver seq=7\n';
    const afterWrite = death === 'exit' ? 'process.exit(0)' : "process.stdout.write('sent\\n')";
    const script = `const s = require('node:net').connect(${port}, '127.0.0.1', () => s.write(${JSON.stringify(request)}, () => ${afterWrite})); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => child.kill('SIGKILL'));
    const exited = once(child, 'exit');
    if (death === 'SIGKILL') {
      await once(child.stdout, 'data');
      await until(() => proxy.stats().held === request.length, 'the request to be held');
      child.kill('SIGKILL');
    }
    await exited;
    await sleep(100); // let the proxy see the client go before the heal

    expect(proxy.stats().held).toBe(request.length);
    expect(accepted).toBe(0); // held: not even the connection reached the target
    proxy.setMode({ kind: 'pass' });
    await until(() => ended, 'the delayed request and its FIN');
    expect(got).toBe(request);
  });

  it('survives a target that refuses: the client is closed, the error counted', async () => {
    const { server, port: gone } = await tcpServer(() => {});
    await new Promise((resolve) => server.close(resolve));
    const { proxy, port } = await proxyTo(gone);
    const c = await client(port);
    expect(await c.closed).toBe(true);
    expect(proxy.stats()).toMatchObject({ errors: 1, open: 0 });
  });

  it('stop() leaves nothing behind: a process with bytes held and delayed exits on its own', async () => {
    const script = `
      import { connect, createServer } from 'node:net';
      import { once } from 'node:events';
      import { setTimeout as sleep } from 'node:timers/promises';
      import { FaultProxy } from ${JSON.stringify(pathToFileURL(PROXY_TS).href)};
      const server = createServer((s) => s.pipe(s));
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      const proxy = new FaultProxy({ host: '127.0.0.1', port: server.address().port });
      const { port } = await proxy.start();
      const [a, b] = [connect(port, '127.0.0.1'), connect(port, '127.0.0.1')].map((s) => s.on('error', () => {}));
      await Promise.all([once(a, 'connect'), once(b, 'connect')]);
      proxy.setMode({ kind: 'hold' });
      a.write('later');
      while (proxy.stats().held < 5) await sleep(10);
      proxy.setMode({ kind: 'latency', ms: 600000 }); // now on a timer, due in ten minutes
      proxy.setMode({ kind: 'hold' });
      b.write('kept');
      while (proxy.stats().held < 4) await sleep(10);
      await proxy.stop();
      await proxy.stop(); // twice is harmless
      server.close();
      console.log('stopped');`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    const [code] = await once(child, 'exit');
    expect(out.trim()).toBe('stopped');
    expect(code).toBe(0);
  });
});

const pgUri = inject('postgresUri');
const pgSkip = inject('postgresSkip');

describe.skipIf(!!pgSkip)(`FaultProxy in front of PostgreSQL${pgSkip ? ` (skipped: ${pgSkip})` : ''}`, () => {
  it('carries a pg session, names its backend by client_port, and delays queries', async () => {
    const proxy = new FaultProxy(uriTarget(pgUri), { label: 'pg' });
    cleanups.push(() => proxy.stop());
    const viaProxy = new pg.Client({ connectionString: throughProxy(pgUri, await proxy.start()) });
    const direct = new pg.Client({ connectionString: pgUri });
    for (const c of [viaProxy, direct]) {
      c.on('error', () => {});
      cleanups.push(() => c.end());
    }
    await Promise.all([viaProxy.connect(), direct.connect()]);
    expect((await viaProxy.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);

    const ports = proxy.upstreamPorts();
    const seen = await direct.query('SELECT client_port FROM pg_stat_activity WHERE client_port = ANY($1::int[])', [ports]);
    expect(seen.rows.map((r) => r.client_port)).toEqual(ports);

    proxy.setMode({ kind: 'latency', ms: 200 });
    const t0 = monotonicMs();
    await viaProxy.query('SELECT 1');
    expect(monotonicMs() - t0).toBeGreaterThanOrEqual(400);
    proxy.setMode({ kind: 'pass' });
  });
});

describe('throughProxy / uriTarget', () => {
  const proxy = { host: '127.0.0.1', port: 40001 };

  it('rewrites only host:port, keeping credentials, path and query', () => {
    expect(throughProxy('postgres://u:p%40ss@db.example:5432/app?sslmode=disable&x=1', proxy))
      .toBe('postgres://u:p%40ss@127.0.0.1:40001/app?sslmode=disable&x=1');
    expect(throughProxy('postgresql://u@db/app', proxy)).toBe('postgresql://u@127.0.0.1:40001/app');
    expect(throughProxy('mongodb://u:pw@m1:27018/baton?directConnection=true', proxy))
      .toBe('mongodb://u:pw@127.0.0.1:40001/baton?directConnection=true');
    expect(throughProxy('http://127.0.0.1:1234', proxy)).toBe('http://127.0.0.1:40001');
    expect(throughProxy('http://[::1]:1234/x', { host: '::1', port: 7 })).toBe('http://[::1]:7/x');
  });

  it('finds the target, with default ports', () => {
    expect(uriTarget('postgres://u:p@db.example/app')).toEqual({ host: 'db.example', port: 5432 });
    expect(uriTarget('postgres://postgres@127.0.0.1:5433/test')).toEqual({ host: '127.0.0.1', port: 5433 });
    expect(uriTarget('mongodb://m1/db')).toEqual({ host: 'm1', port: 27017 });
    expect(uriTarget('http://sink.local/deliver')).toEqual({ host: 'sink.local', port: 80 });
    expect(uriTarget('http://[::1]:8080')).toEqual({ host: '::1', port: 8080 });
  });

  it('rejects what one proxy cannot carry, without quoting the URI (it may hold a password)', () => {
    const cases: [string, RegExp][] = [
      ['sqlite:/tmp/baton', /sqlite: .*local file/],
      ['mongodb+srv://u:secret@cluster0.example/db', /mongodb\+srv: .*SRV/],
      ['mongodb://u:secret@m1:27017,m2:27017/db', /several hosts/],
      ['https://u:secret@sink.example/', /TLS/],
      ['ftp://u:secret@files.example/', /expected postgres:\/\//],
      ['postgres://u:secret@/db', /exactly one host/],
      ['postgres://u:secret@db:99999/db', /exactly one host/],
    ];
    for (const [uri, message] of cases) {
      let error: Error | undefined;
      try {
        throughProxy(uri, proxy);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message, uri).toMatch(message);
      expect(error?.message).not.toContain('secret');
    }
  });
});
