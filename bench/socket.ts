/**
 * `npm run bench -- socket [--clients 100] [--duration 10] [--warmup 2] [--idle 10000] [--db PATH] [--processes N] [--json]`
 *
 * Closed-loop load over Socket.IO (websocket transport, 127.0.0.1 only):
 * `--clients` clients each send a real utterance, wait for the ack, send the
 * next. Measured twice in one run, each server in its own child process so
 * its RSS is its own:
 *   1. a bare Socket.IO server that acks at once: the transport's ceiling;
 *   2. kefu itself (`server/main.ts`, SQLite in a temp dir, RATE_LIMIT=off).
 * Then `--idle` connections are opened to kefu and held, and its RSS is read.
 * `--processes N` then measures fleets of 1 … N kefu processes on a
 * throw-away PostgreSQL and Redis (the test helpers'), the clients spread
 * over the processes, with the CPU PostgreSQL and Redis spent per message.
 * Besides messages/s and latency it prints the CPU time the server and the
 * load generator spent per message, which a busy machine disturbs far less.
 * Everything is bounded by count and time, and the children are killed at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HOST = '127.0.0.1';

const UTTERANCES = [
  '手机开不了机',
  '试过了，还是不行',
  '华为',
  '手机很卡怎么办',
  '没有信号',
  '保修期多久',
  '客服电话是多少',
  '谢谢',
  '你好',
  "my phone won't turn on",
  '手机被偷了',
  '话费怎么这么贵',
];

interface Options {
  clients: number;
  durationS: number;
  warmupS: number;
  idle: number;
  json: boolean;
  /** kefu's DB_PATH; default a file in a temp dir. `:memory:` separates storage cost from the rest. */
  db: string | null;
  /** Also fleets of 1 … processes kefu processes on PostgreSQL + Redis; 0: not. */
  processes: number;
}

function parseArgs(args: string[]): Options {
  const o: Options = { clients: 100, durationS: 10, warmupS: 2, idle: 10_000, json: false, db: null, processes: 0 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = () => {
      const v = Number(args[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a non-negative number`);
      return v;
    };
    if (a === '--clients') o.clients = Math.max(1, Math.floor(next()));
    else if (a === '--duration') o.durationS = Math.min(120, Math.max(1, next()));
    else if (a === '--warmup') o.warmupS = Math.min(30, next());
    else if (a === '--idle') o.idle = Math.floor(next());
    else if (a === '--json') o.json = true;
    else if (a === '--db') o.db = args[++i] ?? null;
    else if (a === '--processes') o.processes = Math.min(8, Math.floor(next()));
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Resident set size of a process, in MB, from /proc. */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** CPU time (user + system) a process has used, in ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** `pid` and every process below it (PostgreSQL's backends, through runuser), from /proc. */
function processTree(pid: number): number[] {
  const parent = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      parent.set(ppid, [...(parent.get(ppid) ?? []), Number(d)]);
    } catch {
      // gone meanwhile
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(parent.get(out[i]!) ?? []));
  return out;
}

/** CPU time of a whole process tree; a process that ended meanwhile counts no more (its time went to its parent's children total). */
function treeCpuMs(pid: number): number {
  let ms = 0;
  for (const p of processTree(pid)) {
    try {
      ms += cpuMs(p);
    } catch {
      // gone meanwhile
    }
  }
  return ms;
}

/** The open-file limit of this process (children inherit it). */
function openFileLimit(): number {
  const m = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !m || m[1] === 'unlimited' ? Infinity : Number(m[1]);
}

/* ------------------------------------------------------------------ servers */

/** The bare server, run in a child: acks every user_message at once with a reply shaped like kefu's. */
async function serveBare(port: number): Promise<void> {
  const http = createHttpServer();
  const server = new Server(http, { serveClient: false, maxHttpBufferSize: 64 * 1024 });
  let n = 0;
  server.on('connection', (socket) => {
    const sessionId = `bare-${socket.id}`;
    socket.emit('session', { sessionId });
    socket.on('user_message', (payload: { text?: unknown }, ack: (res: unknown) => void) => {
      if (typeof ack === 'function') ack({ ok: true, sessionId, replies: [{ id: `m${++n}`, text: String(payload?.text) }] });
    });
  });
  http.listen(port, HOST, () => process.stdout.write('ready\n'));
  // Bounded: the parent kills us, and we stop on our own after 10 minutes regardless.
  setTimeout(() => process.exit(0), 600_000).unref();
  await new Promise(() => {});
}

interface Child {
  proc: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function stopper(proc: ChildProcess): () => Promise<void> {
  return async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
}

async function startBare(): Promise<Child> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', 'socket', '--serve-bare', String(port)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let ready = false;
  proc.stdout!.on('data', (d: Buffer) => (ready ||= d.toString().includes('ready')));
  await waitFor(() => ready, 'the bare server');
  return { proc, url: `http://${HOST}:${port}`, stop: stopper(proc) };
}

async function startKefuProcess(store: { DB_PATH: string } | { DATABASE_URL: string; REDIS_URL: string }): Promise<Child> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST,
      ...store,
      RATE_LIMIT: 'off',
      LOG_LEVEL: 'info', // a log line per turn, as in production; written to /dev/null
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://${HOST}:${port}`;
  await waitFor(async () => {
    if (proc.exitCode !== null) throw new Error(`kefu exited with ${proc.exitCode}`);
    try {
      return (await fetch(`${url}/readyz`)).ok;
    } catch {
      return false;
    }
  }, 'kefu /readyz');
  return { proc, url, stop: stopper(proc) };
}

/* ------------------------------------------------------------------ load */

function connectClient(url: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 20_000 });
    socket.once('session', () => resolve(socket));
    socket.once('connect_error', (e) => reject(e));
  });
}

async function connectMany(url: string, n: number, concurrency = 200): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i += concurrency) {
    const batch = await Promise.all(Array.from({ length: Math.min(concurrency, n - i) }, () => connectClient(url)));
    sockets.push(...batch);
  }
  return sockets;
}

interface LoadResult {
  clients: number;
  messages: number;
  errors: number;
  errorCodes: Record<string, number>;
  msgPerS: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  rssMb: number;
  /** Server CPU (all its threads) per measured message: independent of how busy the machine is. */
  serverCpuUsPerMsg: number;
  /** The same for this load generator. */
  clientCpuUsPerMsg: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** `extraCpu`: more processes whose CPU counts (PostgreSQL, Redis), reported per message by name. */
async function closedLoop(
  servers: Child | Child[],
  o: Options,
  extraCpu: Record<string, number> = {},
): Promise<LoadResult & { extraCpuUsPerMsg: Record<string, number> }> {
  const fleet = Array.isArray(servers) ? servers : [servers];
  const per = Math.ceil(o.clients / fleet.length);
  const sockets = (await Promise.all(fleet.map((s, i) => connectMany(s.url, Math.max(0, Math.min(per, o.clients - i * per)))))).flat();
  const latencies: number[] = [];
  let errors = 0;
  const errorCodes = new Map<string, number>();
  const start = performance.now();
  const measureFrom = start + o.warmupS * 1000;
  const end = measureFrom + o.durationS * 1000;
  let rss = 0;
  const fleetRss = () => fleet.reduce((sum, s) => sum + rssMb(s.proc.pid!), 0);
  const rssTimer = setInterval(() => (rss = Math.max(rss, fleetRss())), 500);
  const pids = fleet.map((s) => s.proc.pid!);
  type Cpu = { server: number; client: number; extra: Record<string, number> };
  let cpuFrom: Cpu = { server: 0, client: 0, extra: {} };
  let cpuTo: Cpu = { server: 0, client: 0, extra: {} };
  const cpuNow = (): Cpu => ({
    server: pids.reduce((sum, p) => sum + cpuMs(p), 0),
    client: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    extra: Object.fromEntries(Object.entries(extraCpu).map(([name, p]) => [name, treeCpuMs(p)])),
  });
  const cpuStart = setTimeout(() => (cpuFrom = cpuNow()), measureFrom - performance.now());
  const cpuEnd = setTimeout(() => (cpuTo = cpuNow()), end - performance.now());

  await Promise.all(
    sockets.map(async (socket, c) => {
      for (let i = c; performance.now() < end; i++) {
        const sent = performance.now();
        const ack = (await socket.timeout(10_000).emitWithAck('user_message', { text: UTTERANCES[i % UTTERANCES.length] })) as {
          ok: boolean;
          error?: { code: string };
        };
        const done = performance.now();
        if (sent >= measureFrom && done <= end) {
          latencies.push(done - sent);
          if (!ack.ok) {
            errors++;
            const code = ack.error?.code ?? '?';
            errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
          }
        }
      }
    }),
  );
  clearInterval(rssTimer);
  clearTimeout(cpuStart);
  clearTimeout(cpuEnd);
  // The last acks can beat the end-of-window timer on a busy loop.
  if (cpuTo.server === 0) cpuTo = cpuNow();
  rss = Math.max(rss, fleetRss());
  for (const s of sockets) s.close();
  latencies.sort((a, b) => a - b);
  return {
    clients: o.clients,
    messages: latencies.length,
    errors,
    errorCodes: Object.fromEntries(errorCodes),
    msgPerS: Math.round(latencies.length / o.durationS),
    p50Ms: round(percentile(latencies, 0.5)),
    p99Ms: round(percentile(latencies, 0.99)),
    maxMs: round(latencies.at(-1) ?? NaN),
    rssMb: rss,
    serverCpuUsPerMsg: Math.round(((cpuTo.server - cpuFrom.server) * 1000) / latencies.length),
    clientCpuUsPerMsg: Math.round(((cpuTo.client - cpuFrom.client) * 1000) / latencies.length),
    extraCpuUsPerMsg: Object.fromEntries(Object.keys(extraCpu).map((k) => [k, Math.round(((cpuTo.extra[k]! - (cpuFrom.extra[k] ?? 0)) * 1000) / latencies.length)])),
  };
}

async function holdIdle(server: Child, n: number): Promise<{ connections: number; rssBeforeMb: number; rssMb: number; connectS: number }> {
  const rssBeforeMb = rssMb(server.proc.pid!);
  const t0 = performance.now();
  const sockets = await connectMany(server.url, n);
  const connectS = round((performance.now() - t0) / 1000, 1);
  await sleep(3000); // let the server settle (GC, buffers) before reading its RSS
  const connected = sockets.filter((s) => s.connected).length;
  const rss = rssMb(server.proc.pid!);
  for (const s of sockets) s.close();
  return { connections: connected, rssBeforeMb, rssMb: rss, connectS };
}

/* ------------------------------------------------------------------ main */

export async function main(args: string[]): Promise<void> {
  if (args[0] === '--serve-bare') return serveBare(Number(args[1]));
  const o = parseArgs(args);
  const limit = openFileLimit();
  // The bench holds one descriptor per connection, and so does kefu; keep headroom for everything else.
  if (o.idle > limit - 500) {
    process.stderr.write(`open-file limit is ${limit} (ulimit -n); holding ${limit - 500} idle connections instead of ${o.idle}\n`);
    o.idle = Math.max(0, limit - 500);
  }
  const say = (line: string) => {
    if (!o.json) process.stdout.write(`${line}\n`);
  };
  const dbDir = mkdtempSync(join(tmpdir(), 'kefu-bench-'));
  const children: Child[] = [];
  const killAll = () => children.forEach((c) => c.proc.kill('SIGKILL'));
  process.once('exit', killAll);
  // Hard stop: whatever happens, the bench ends.
  const watchdog = setTimeout(() => {
    process.stderr.write('bench: watchdog timeout, stopping\n');
    killAll();
    process.exit(1);
  }, 10 * 60_000);
  watchdog.unref();

  try {
    say(`socket bench: ${o.clients} clients, closed loop, ${o.warmupS}s warm-up + ${o.durationS}s measured, websocket, ${HOST}`);
    say(`  machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} before the run`);
    const bareServer = await startBare();
    children.push(bareServer);
    const bare = await closedLoop(bareServer, o);
    await bareServer.stop();
    const cpu = (r: LoadResult) => `CPU/msg server ${r.serverCpuUsPerMsg} µs, bench ${r.clientCpuUsPerMsg} µs`;
    say(`  bare Socket.IO  ${bare.msgPerS} msg/s  p50 ${bare.p50Ms} ms  p99 ${bare.p99Ms} ms  max ${bare.maxMs} ms  RSS ${bare.rssMb} MB  ${cpu(bare)}`);

    const kefuServer = await startKefuProcess({ DB_PATH: o.db ?? join(dbDir, 'bench.db') });
    children.push(kefuServer);
    const kefu = await closedLoop(kefuServer, o);
    say(`  kefu            ${kefu.msgPerS} msg/s  p50 ${kefu.p50Ms} ms  p99 ${kefu.p99Ms} ms  max ${kefu.maxMs} ms  RSS ${kefu.rssMb} MB  ${cpu(kefu)}  errors ${kefu.errors}${kefu.errors ? ` ${JSON.stringify(kefu.errorCodes)}` : ''}`);
    const ratio = round(kefu.msgPerS / bare.msgPerS, 2);
    say(`  kefu / bare throughput: ${ratio} (target ≥ 0.5), kefu p99 ${kefu.p99Ms} ms (target < 50 ms)`);

    let idle: Awaited<ReturnType<typeof holdIdle>> | null = null;
    if (o.idle > 0) {
      idle = await holdIdle(kefuServer, o.idle);
      say(
        `  idle: ${idle.connections}/${o.idle} sessions connected in ${idle.connectS}s, kefu RSS ${idle.rssBeforeMb} MB → ${idle.rssMb} MB`,
      );
    }
    await kefuServer.stop();
    const fleets = o.processes > 0 ? await benchFleets(o, children, say) : [];
    if (o.json) process.stdout.write(`${JSON.stringify({ options: o, bare, kefu, ratio, idle, fleets })}\n`);
  } finally {
    killAll();
    clearTimeout(watchdog);
    rmSync(dbDir, { recursive: true, force: true });
  }
}

/* ------------------------------------------------------------------ fleets */

/** Fleets of 1 … o.processes kefu processes on one throw-away PostgreSQL and Redis, each fleet on a fresh database. */
async function benchFleets(o: Options, children: Child[], say: (line: string) => void) {
  const { startPostgres } = await import('../test/helpers/postgres.js');
  const { startRedis } = await import('../test/helpers/redis.js');
  const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const results: { processes: number; result: Awaited<ReturnType<typeof closedLoop>> }[] = [];
  try {
    const postmaster = Number(readFileSync(`${pg.dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
    for (let n = 1; n <= o.processes; n++) {
      const DATABASE_URL = await pg.createDatabase();
      const fleet = await Promise.all(Array.from({ length: n }, () => startKefuProcess({ DATABASE_URL, REDIS_URL: redis.url })));
      children.push(...fleet);
      const r = await closedLoop(fleet, o, { postgres: postmaster, redis: redis.pid() });
      await Promise.all(fleet.map((f) => f.stop()));
      results.push({ processes: n, result: r });
      const total = r.serverCpuUsPerMsg + r.extraCpuUsPerMsg.postgres! + r.extraCpuUsPerMsg.redis!;
      say(
        `  kefu ×${n} on PostgreSQL + Redis  ${r.msgPerS} msg/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  RSS ${r.rssMb} MB in all  ` +
          `CPU/msg kefu ${r.serverCpuUsPerMsg} µs, PostgreSQL ${r.extraCpuUsPerMsg.postgres} µs, Redis ${r.extraCpuUsPerMsg.redis} µs, bench ${r.clientCpuUsPerMsg} µs  errors ${r.errors}`,
      );
      say(`    ${total} µs of CPU a message in kefu + PostgreSQL + Redis: about ${Math.round(1e6 / total)} msg/s per core once CPU-bound, 8 cores ≈ ${Math.round((8 * 1e6) / total)} msg/s`);
    }
  } finally {
    await Promise.all([pg.stop(), redis.stop()]);
  }
  return results;
}
