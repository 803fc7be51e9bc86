/**
 * A throw-away Redis for tests: `redis-server --port P --save ''` (nothing on
 * disk) on a free port; `restart()` stops it and starts it again on the same
 * port (empty, as a Redis without persistence comes back).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort, waitFor } from './ports.js';

export interface TestRedis {
  port: number;
  url: string;
  /** The redis-server process now running. */
  pid(): number;
  halt(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const start = async () => {
    const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    child = p;
    await waitFor(`redis-server on port ${port}`, async () => {
      if (p.exitCode !== null) throw new Error(`redis-server exited with ${p.exitCode}`);
      const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => {}); // not up yet: the probe's rejection says so
      try {
        await r.connect();
        return (await r.ping()) === 'PONG';
      } finally {
        r.disconnect();
      }
    });
  };
  const halt = async () => {
    const p = child;
    child = null;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    port,
    url,
    pid: () => child?.pid ?? NaN,
    halt,
    start,
    async restart() {
      await halt();
      await start();
    },
    stop: halt,
  };
}
