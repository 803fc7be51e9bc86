/**
 * The balancer of `npm run cluster`, in front of two small Socket.IO servers:
 * sticky by cookie (so long-polling works), websocket upgrades passed
 * through, processes that are not ready left out.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBalancer, type Balancer } from '../../server/cluster/balancer.js';

interface Backend {
  name: string;
  port: number;
  ready: boolean;
  http: HttpServer;
  io: Server;
}

async function backend(name: string): Promise<Backend> {
  const b = { name, ready: true } as Backend;
  b.http = createServer((req, res) => {
    if (req.url === '/readyz') return void res.writeHead(b.ready ? 200 : 503).end();
    if (req.url?.startsWith('/socket.io/')) return; // socket.io answers
    res.end(`${name} ${String(req.headers['x-forwarded-for'])}`);
  });
  b.io = new Server(b.http);
  b.io.on('connection', (s) => s.on('who', (ack: (n: string) => void) => ack(name)));
  await new Promise<void>((r) => b.http.listen(0, '127.0.0.1', r));
  b.port = (b.http.address() as { port: number }).port;
  return b;
}

let a: Backend;
let b: Backend;
let lb: Balancer;
let url: string;
const clients: Socket[] = [];

beforeAll(async () => {
  [a, b] = await Promise.all([backend('a'), backend('b')]);
  lb = await startBalancer({ host: '127.0.0.1', port: 0, backends: [a, b].map((x) => ({ host: '127.0.0.1', port: x.port })), healthIntervalMs: 100 });
  url = `http://127.0.0.1:${lb.port}`;
});

afterAll(async () => {
  for (const c of clients) c.close();
  await lb.close();
  for (const x of [a, b]) await x.io.close();
});

async function get(cookie?: string): Promise<{ body: string; setCookie: string | null }> {
  const res = await fetch(`${url}/`, { headers: cookie ? { cookie } : {} });
  return { body: await res.text(), setCookie: res.headers.get('set-cookie') };
}

function socket(opts: Parameters<typeof ioClient>[1]): Socket {
  const s = ioClient(url, { reconnection: false, forceNew: true, ...opts });
  clients.push(s);
  return s;
}

describe('the cluster balancer', () => {
  it('pins each new client to the next process by cookie, and keeps it there', async () => {
    const first = await get();
    const second = await get();
    expect([first.body.split(' ')[0], second.body.split(' ')[0]].sort()).toEqual(['a', 'b']);
    expect(first.setCookie).toMatch(/^kefu_node=\d; Path=\/; HttpOnly/);
    const cookie = first.setCookie!.split(';')[0]!;
    for (let i = 0; i < 3; i++) expect(await get(cookie)).toEqual({ body: first.body, setCookie: null });
    // The client's address goes on in X-Forwarded-For.
    expect(first.body).toMatch(/ 127\.0\.0\.1$/);
  });

  it('carries Socket.IO long-polling (sticky) and websockets through', async () => {
    const cookie = (await get()).setCookie!.split(';')[0]!;
    const pinnedTo = (await get(cookie)).body.split(' ')[0];
    const polling = socket({ transports: ['polling'], extraHeaders: { cookie } });
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) answers.push(await polling.timeout(5000).emitWithAck('who'));
    expect(answers).toEqual(Array(5).fill(pinnedTo));
    const ws = socket({ transports: ['websocket'] });
    expect(['a', 'b']).toContain(await ws.timeout(5000).emitWithAck('who'));
  });

  it('sends no one to a process that is not ready, and everyone to all of them when none is', async () => {
    b.ready = false;
    await expect.poll(() => lb.ready()).toEqual([true, false]);
    const moved = await get('kefu_node=1');
    expect(moved.body.split(' ')[0]).toBe('a');
    expect(moved.setCookie).toMatch(/^kefu_node=0;/);
    a.ready = false;
    await expect.poll(() => lb.ready()).toEqual([false, false]);
    const bodies = await Promise.all([get(), get()]);
    expect(bodies.map((x) => x.body.split(' ')[0]).sort()).toEqual(['a', 'b']);
    a.ready = b.ready = true;
    await expect.poll(() => lb.ready()).toEqual([true, true]);
  });
});
