/**
 * kefu as a real process for tests and the chaos suite: `node --import tsx
 * server/main.ts` on a free loopback port with the given environment, its
 * JSON log lines collected, killed with SIGKILL when the test process ends.
 *
 *   const k = await startProcess({ DB_PATH });   // resolves once it listens
 *   await k.stop('SIGTERM');                      // → { code, signal, stderr }
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export interface KefuProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Every JSON log line so far. */
  logs: Record<string, unknown>[];
  exited: Promise<Exit>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts kefu with `env` (PORT defaults to a free port) and resolves once it listens. */
export async function startProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<KefuProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stderr });
    }),
  );
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (!url) {
    url = logs.find((l) => typeof l.msg === 'string' && l.msg.startsWith('kefu listening'))?.url as string | undefined;
    if (url) break;
    // Quieter LOG_LEVELs do not say it: ask.
    if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) {
      url = `http://127.0.0.1:${port}`;
      break;
    }
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`kefu exited: ${(await exited).stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('kefu did not start listening');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    url,
    port,
    logs,
    exited,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** POST /api/messages; resolves with the status and the parsed body. */
export async function postMessage(url: string, body: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** GET /readyz's status. */
export async function readyz(url: string): Promise<number> {
  return (await fetch(`${url}/readyz`)).status;
}
