/**
 * `npm run cluster -- N`: N kefu processes on this machine behind a tiny
 * sticky balancer, to try several processes (README, "Running several
 * processes"). It needs a PostgreSQL at DATABASE_URL and a Redis at
 * REDIS_URL; the balancer listens on PORT (3000) and the processes on the
 * next N ports of 127.0.0.1. Ctrl-C stops them all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startBalancer } from '../server/cluster/balancer.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function fail(message: string): never {
  process.stderr.write(`kefu cluster: ${message}\n`);
  process.exit(1);
}

const count = Number(process.argv[2] ?? '2');
if (!Number.isInteger(count) || count < 1 || count > 16) fail(`expected a number of processes from 1 to 16, got "${process.argv[2]}"`);
if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  fail(
    'set DATABASE_URL and REDIS_URL, e.g.\n' +
      '  DATABASE_URL=postgres://kefu:kefu@127.0.0.1:5432/kefu REDIS_URL=redis://127.0.0.1:6379 npm run cluster -- 2\n' +
      '(README, "Running several processes", starts both from Debian\'s packages)',
  );
}
const port = Number(process.env.PORT ?? '3000');
if (!Number.isInteger(port) || port < 1 || port + count > 65_535) fail(`PORT must leave room for ${count} more ports above it, got "${process.env.PORT}"`);
const host = process.env.HOST ?? '127.0.0.1';
const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${port}`;

const backends = Array.from({ length: count }, (_, i) => ({ host: '127.0.0.1', port: port + 1 + i }));
let stopping = false;
const children: ChildProcess[] = backends.map((b, i) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      HOST: b.host,
      PORT: String(b.port),
      // Every request comes through the balancer, which names the client in X-Forwarded-For.
      TRUST_PROXY: '1',
      PUBLIC_URL: publicUrl,
    },
  });
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`kefu cluster: process ${i + 1} (port ${b.port}) exited (${signal ?? code}); the others go on serving\n`);
  });
  return child;
});

const balancer = await startBalancer({ host, port, backends, healthIntervalMs: 1000 });

const stop = async () => {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
  await balancer.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

const until = Date.now() + 120_000;
while (!stopping && balancer.ready().some((r) => !r) && Date.now() < until) {
  if (children.every((c) => c.exitCode !== null)) fail('every kefu process exited (see above)');
  await new Promise((r) => setTimeout(r, 500));
}
const up = balancer.ready().filter(Boolean).length;
process.stderr.write(
  `kefu cluster: ${up} of ${count} processes ready behind ${publicUrl} (balancer on ${host}:${balancer.port}, processes on 127.0.0.1:${backends[0]!.port}–${backends.at(-1)!.port}); Ctrl-C stops them\n`,
);
