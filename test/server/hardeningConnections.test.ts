/**
 * File-descriptor exhaustion, against a real kefu process: many raw TCP
 * connections from one address are capped (MAX_CONNECTIONS_PER_IP), those
 * that never send a request are closed after HANDSHAKE_TIMEOUT, open
 * Engine.IO sessions are capped per address too, a refused Socket.IO
 * handshake is told RATE_LIMITED, and a user on another address is served
 * throughout.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type KefuProcess } from '../helpers/kefuProcess.js';
import { connect } from '../helpers/socketClient.js';
import { tempDbPath } from '../helpers/startServer.js';

/** Opens `count` TCP connections from `from` that never send a byte; each records when it was closed. */
async function idleConnections(port: number, from: string, count: number): Promise<{ sockets: Socket[]; closed: () => number }> {
  let closed = 0;
  const sockets = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Socket>((resolve) => {
          const s = tcpConnect({ host: '127.0.0.1', port, localAddress: from });
          s.on('error', () => {});
          s.once('close', () => closed++);
          s.once('connect', () => resolve(s));
          s.once('close', () => resolve(s));
        }),
    ),
  );
  return { sockets, closed: () => closed };
}

/** One request from `from`, on its own TCP connection: the status and the body. */
async function request(url: string, path: string, from: string, body?: string): Promise<{ status: number; text: string }> {
  const { request: httpRequest } = await import('node:http');
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: u.port, path, method: body === undefined ? 'GET' : 'POST', localAddress: from, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** An Engine.IO long-polling handshake from `from` that never joins Socket.IO: its status, and its sid when accepted. */
async function pollingHandshake(url: string, from: string): Promise<{ status: number; text: string; sid?: string }> {
  const r = await request(url, '/socket.io/?EIO=4&transport=polling', from);
  return r.status === 200 ? { ...r, sid: (JSON.parse(r.text.slice(1)) as { sid: string }).sid } : r;
}

describe('a real kefu process flooded with connections from one address', { timeout: 120_000 }, () => {
  let k: KefuProcess;
  beforeAll(async () => {
    k = await startProcess({ DB_PATH: tempDbPath(), MAX_CONNECTIONS_PER_IP: '50', HANDSHAKE_TIMEOUT: '2s', RATE_LIMIT_IP: '30' });
  });
  afterAll(async () => {
    await k?.stop('SIGKILL');
  });

  it('holds at most MAX_CONNECTIONS_PER_IP from that address, closes the idle ones, and serves another address meanwhile', async () => {
    const flood = await idleConnections(k.port, '127.0.0.2', 400);
    // Over the cap: closed as soon as they are accepted.
    await expect.poll(flood.closed, { timeout: 5000 }).toBeGreaterThanOrEqual(350);
    expect(flood.closed()).toBeLessThan(400);

    // Another address is served while the flood is held.
    const health = await fetch(`${k.url}/healthz`);
    expect(health.status).toBe(200);
    const c = await connect(k.url);
    expect(await c.send('你好')).toMatchObject({ ok: true });

    // Those that never sent a request are closed after HANDSHAKE_TIMEOUT (2 s), not after Node's 60–90 s.
    await expect.poll(flood.closed, { timeout: 8000 }).toBe(400);
    // The socket.io client that did complete its handshake is still connected.
    expect(c.socket.connected).toBe(true);
    expect(await c.send('谢谢')).toMatchObject({ ok: true });
    c.close();
    for (const s of flood.sockets) s.destroy();
  });

  it('closes a connection that begins a request and never finishes its headers (slowloris) within HANDSHAKE_TIMEOUT', async () => {
    const s = tcpConnect({ host: '127.0.0.1', port: k.port, localAddress: '127.0.0.3' });
    s.on('error', () => {});
    await new Promise((r) => s.once('connect', r));
    s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => s.writable && s.write('X-A: b\r\n'), 500);
    const started = Date.now();
    await new Promise((r) => s.once('close', r));
    clearInterval(drip);
    // 2 s, checked every second; far below Node's default 60 s + 30 s.
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it('closes an engine.io connection that never sends the Socket.IO CONNECT within HANDSHAKE_TIMEOUT', async () => {
    const open = await fetch(`${k.url}/socket.io/?EIO=4&transport=polling`);
    const { sid } = JSON.parse((await open.text()).slice(1)) as { sid: string };
    const poll = () => fetch(`${k.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`).then((r) => r.text());
    // Alive at first (a ping or nothing to say), then gone: the server closed it.
    await expect.poll(poll, { timeout: 8000, interval: 500 }).toContain('Session ID unknown');
  });
});

describe('a real kefu process: Engine.IO sessions per address, and refusals the client can read', { timeout: 120_000 }, () => {
  let k: KefuProcess;
  beforeAll(async () => {
    // A long HANDSHAKE_TIMEOUT: the sessions opened here stay open until the test closes them.
    k = await startProcess({ DB_PATH: tempDbPath(), MAX_CONNECTIONS_PER_IP: '20', HANDSHAKE_TIMEOUT: '60s', RATE_LIMIT_IP: '2' });
  });
  afterAll(async () => {
    await k?.stop('SIGKILL');
  });

  it('holds at most MAX_CONNECTIONS_PER_IP open Engine.IO sessions from one address (long-polling holds no TCP connection), and frees a place when one closes', async () => {
    const results = [];
    for (let i = 0; i < 26; i++) results.push(await pollingHandshake(k.url, '127.0.0.4'));
    const accepted = results.filter((r) => r.sid);
    expect(accepted).toHaveLength(20);
    for (const r of results.slice(20)) expect(r).toMatchObject({ status: 403, text: expect.stringContaining('RATE_LIMITED') });
    // Another address still gets its session.
    expect(await pollingHandshake(k.url, '127.0.0.5')).toMatchObject({ status: 200 });

    // A session that ends gives its place back: a cap on what is open, not on handshakes over time.
    const closed = await request(k.url, `/socket.io/?EIO=4&transport=polling&sid=${accepted[0]!.sid}`, '127.0.0.4', '1');
    expect(closed.status).toBe(200);
    await expect.poll(async () => (await pollingHandshake(k.url, '127.0.0.4')).status, { timeout: 5000, interval: 200 }).toBe(200);
    expect(await pollingHandshake(k.url, '127.0.0.4')).toMatchObject({ status: 403 });
  });

  it('tells a Socket.IO client over the handshake rate that it was refused (connect_error RATE_LIMITED), however often it tries', async () => {
    const first = await connect(k.url);
    const second = await connect(k.url);
    // RATE_LIMIT_IP=2: the address's tokens are used. Each later handshake reaches Socket.IO and is refused with a code,
    // not turned down below it, where a WebSocket client sees only "websocket error".
    for (let i = 0; i < 6; i++) {
      const refused = await connect(k.url).catch((e: Error & { data?: unknown }) => e);
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).message).toBe('RATE_LIMITED');
      expect((refused as Error & { data?: unknown }).data).toMatchObject({ code: 'RATE_LIMITED' });
    }
    // The sessions it did open are served.
    expect(first.socket.connected && second.socket.connected).toBe(true);
    first.close();
    second.close();
  });
});
