/**
 * A tiny load balancer for trying several kefu processes on one machine
 * (`npm run cluster`): not for production, where nginx or a cloud balancer
 * does this (README, "Running several processes").
 *
 * - Sticky by cookie: the first response to a client sets `kefu_node=<i>`,
 *   and later requests with it go to the same process, so that Socket.IO's
 *   HTTP long-polling (a session id known to one process only) works.
 * - WebSocket upgrades are piped through to the chosen process.
 * - Each process's `/readyz` is polled; one that is not ready gets no new
 *   clients, and a client pinned to it is pinned anew to a ready one. When
 *   none is ready, all of them take requests in turn (a process that cannot
 *   serve a turn answers UNAVAILABLE itself; one that is gone, 502 here).
 * - `X-Forwarded-For` carries the client's address (start kefu with TRUST_PROXY=1).
 */
import { createServer, request, type IncomingMessage, type OutgoingHttpHeaders, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface Backend {
  host: string;
  port: number;
}

export interface BalancerOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  backends: readonly Backend[];
  /** How often each backend's /readyz is asked. */
  healthIntervalMs?: number;
}

export interface Balancer {
  port: number;
  /** Whether each backend answered its last /readyz with 200. */
  ready(): readonly boolean[];
  close(): Promise<void>;
}

export const STICKY_COOKIE = 'kefu_node';

function pinnedIndex(req: IncomingMessage): number | null {
  const m = new RegExp(`(?:^|;\\s*)${STICKY_COOKIE}=(\\d+)`).exec(req.headers.cookie ?? '');
  return m ? Number(m[1]) : null;
}

function forwardedFor(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? '';
  const earlier = req.headers['x-forwarded-for'];
  return earlier ? `${String(earlier)}, ${peer}` : peer;
}

function probe(b: Backend, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const r = request({ host: b.host, port: b.port, path: '/readyz', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    r.on('timeout', () => r.destroy());
    r.on('error', () => resolve(false));
    r.end();
  });
}

/** Starts the balancer and resolves once it listens (after a first round of health checks). */
export async function startBalancer(o: BalancerOptions): Promise<Balancer> {
  const interval = o.healthIntervalMs ?? 2000;
  const ready = o.backends.map(() => false);
  const check = async () => {
    const results = await Promise.all(o.backends.map((b) => probe(b, Math.min(interval, 1000))));
    results.forEach((ok, i) => (ready[i] = ok));
  };
  await check();
  const timer = setInterval(() => void check(), interval);
  timer.unref();

  let next = 0;
  /** The backend for `req`, and whether the client must be (re)pinned to it. */
  const choose = (req: IncomingMessage): { index: number; pin: boolean } | null => {
    const pinned = pinnedIndex(req);
    if (pinned !== null && ready[pinned]) return { index: pinned, pin: false };
    // None ready (Redis away makes every process unready, yet each still answers turns): all take turns.
    const anyReady = ready.some(Boolean);
    for (let k = 0; k < o.backends.length; k++) {
      const i = (next + k) % o.backends.length;
      if (ready[i] || !anyReady) {
        next = i + 1;
        return { index: i, pin: pinned !== i };
      }
    }
    return null;
  };
  const cookie = (i: number) => `${STICKY_COOKIE}=${i}; Path=/; HttpOnly; SameSite=Lax`;

  const server: Server = createServer((req, res) => {
    const to = choose(req);
    if (!to) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '2' }).end('no kefu process is ready\n');
      return;
    }
    const b = o.backends[to.index]!;
    const headers = { ...req.headers, 'x-forwarded-for': forwardedFor(req) };
    const up = request({ host: b.host, port: b.port, method: req.method, path: req.url, headers }, (upRes) => {
      const out: OutgoingHttpHeaders = { ...upRes.headers };
      if (to.pin) {
        const set = upRes.headers['set-cookie'] ?? [];
        out['set-cookie'] = [...set, cookie(to.index)];
      }
      res.writeHead(upRes.statusCode ?? 502, out);
      upRes.pipe(res);
    });
    up.on('error', () => {
      ready[to.index] = false;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end();
    });
    req.pipe(up);
  });

  // Upgraded connections leave the HTTP server's books: close() ends them from here.
  const tunnels = new Set<Socket>();
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const to = choose(req);
    if (!to) {
      client.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
      return;
    }
    const b = o.backends[to.index]!;
    let connected = false;
    const up = connect(b.port, b.host, () => {
      connected = true;
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        if (req.rawHeaders[i]!.toLowerCase() !== 'x-forwarded-for') lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      }
      lines.push(`X-Forwarded-For: ${forwardedFor(req)}`);
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) up.write(head);
      client.pipe(up).pipe(client);
    });
    tunnels.add(client);
    const end = () => {
      tunnels.delete(client);
      up.destroy();
      client.destroy();
    };
    up.on('error', () => {
      if (!connected) ready[to.index] = false; // refused: gone until its /readyz says otherwise
      end();
    });
    client.on('error', end);
    up.on('close', end);
    client.on('close', end);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as { port: number }).port,
    ready: () => [...ready],
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        server.close(() => resolve());
        server.closeAllConnections();
        for (const t of tunnels) t.destroy();
      }),
  };
}
