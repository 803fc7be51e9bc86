/**
 * File-descriptor exhaustion, against a real kefu process: many raw TCP
 * connections from one address are capped (MAX_CONNECTIONS_PER_IP), those
 * that never send a request are closed after HANDSHAKE_TIMEOUT, engine.io
 * handshakes are counted per address, and a user on another address is
 * served throughout.
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

async function polling(url: string, from: string): Promise<number> {
  const { request } = await import('node:http');
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: '/socket.io/?EIO=4&transport=polling', localAddress: from, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
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

  it('counts engine.io handshakes per address, before any Socket.IO CONNECT', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push(await polling(k.url, '127.0.0.4'));
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(31);
    expect(statuses.filter((s) => s !== 200).length).toBeGreaterThanOrEqual(29);
    // Another address still gets its handshake.
    expect(await polling(k.url, '127.0.0.5')).toBe(200);
  });

  it('closes an engine.io connection that never sends the Socket.IO CONNECT within HANDSHAKE_TIMEOUT', async () => {
    const open = await fetch(`${k.url}/socket.io/?EIO=4&transport=polling`);
    const { sid } = JSON.parse((await open.text()).slice(1)) as { sid: string };
    const poll = () => fetch(`${k.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`).then((r) => r.text());
    // Alive at first (a ping or nothing to say), then gone: the server closed it.
    await expect.poll(poll, { timeout: 8000, interval: 500 }).toContain('Session ID unknown');
  });
});
