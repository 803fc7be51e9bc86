/**
 * kefu as a real process (`node --import tsx server/main.ts`): kill -9 in the
 * middle of a conversation loses nothing that was acked and the dialog goes
 * on at the same node; SIGTERM exits 0 after a clean shutdown; a bad
 * variable exits 1 with one line naming it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { BotMessage } from '../../server/protocol.js';
import { SqliteStore } from '../../server/store/sqliteStore.js';
import { connect } from '../helpers/socketClient.js';
import { startTestServer, tempDbPath } from '../helpers/startServer.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// A file where DB_PATH expects a directory, and a file that is not SQLite.
const NOT_A_DIRECTORY = tempDbPath();
writeFileSync(NOT_A_DIRECTORY, 'a plain file');
const NOT_A_DATABASE = tempDbPath();
writeFileSync(NOT_A_DATABASE, 'SQLite format 2 — not really. '.repeat(20));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  stdout: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function run(env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const stdout: string[] = [];
  let stderr = '';
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    stdout.push(...lines);
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, stdout, exited };
}

async function listening(r: Running): Promise<string> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    for (const line of r.stdout) {
      const log = JSON.parse(line) as { msg?: string; url?: string };
      if (log.msg?.startsWith('kefu listening') && log.url) return log.url;
    }
    if (r.child.exitCode !== null) throw new Error(`kefu exited: ${(await r.exited).stderr}`);
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('kefu did not start listening');
}

const texts = (replies: BotMessage[]) => replies.map((m) => m.text);

// Each case starts one or two real processes (tsx + NLU load): slow on a busy machine.
describe('a real kefu process', { timeout: 120_000 }, () => {
  it('survives kill -9 mid-conversation: same session, same node, whole transcript', async () => {
    const conversation = ['手机开不了机', '试过了，还是不行', '华为'];
    const env = { PORT: String(await freePort()), DB_PATH: tempDbPath(), RATE_LIMIT: 'off' };

    const first = run(env);
    const url = await listening(first);
    const c = await connect(url);
    const acked: string[][] = [];
    for (const [i, text] of conversation.slice(0, 2).entries()) {
      const ack = await c.send(text, { clientMessageId: `turn-${i}` });
      if (!ack.ok) throw new Error(ack.error.message);
      acked.push(texts(ack.replies));
    }
    const inspect = new SqliteStore(env.DB_PATH);
    const stateBeforeKill = (await inspect.getSession(c.sessionId))!.state;
    // The third message may or may not be committed when the process dies; the client will retry it.
    c.socket.emit('user_message', { text: conversation[2]!, clientMessageId: 'turn-2' }, () => {});
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    c.close();

    const second = run(env);
    const url2 = await listening(second);
    expect(url2).toBe(url);
    const again = await connect(url2, { auth: { sessionId: c.sessionId } });
    expect(again.sessionId).toBe(c.sessionId);
    const stateAfterRestart = (await inspect.getSession(c.sessionId))!.state;
    const retried = await again.send(conversation[2]!, { clientMessageId: 'turn-2' });
    if (!retried.ok) throw new Error(retried.error.message);

    const history = await again.history();
    if (!history.ok) throw new Error(history.error.message);
    const userTexts = history.entries.filter((e) => e.role === 'user').map((e) => e.text);
    expect(userTexts).toEqual(conversation); // each exactly once, in order
    const stored = history.entries.filter((e) => e.role === 'bot').map((e) => e.text);
    for (const replies of [...acked, texts(retried.replies)]) expect(stored).toEqual(expect.arrayContaining(replies));

    // Same dialog as an uninterrupted run of the same conversation.
    const control = await startTestServer({ RATE_LIMIT: 'off' });
    try {
      const k = await connect(control.url);
      const controlReplies: string[][] = [];
      for (const text of conversation) {
        const ack = await k.send(text);
        if (!ack.ok) throw new Error(ack.error.message);
        controlReplies.push(texts(ack.replies));
      }
      const strip = (r: string[][]) => JSON.stringify(r).replace(/T\d{8}-\d{4}/g, 'T########-####');
      expect(strip([...acked, texts(retried.replies)])).toBe(strip(controlReplies));
      k.close();
    } finally {
      await control.close();
    }
    if (JSON.stringify(stateAfterRestart) !== JSON.stringify(stateBeforeKill)) {
      // Only allowed when the in-flight third turn was committed before the kill.
      expect(userTexts).toHaveLength(3);
    }
    await inspect.close();
    again.close();
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  it('shuts down cleanly on SIGTERM with exit code 0', async () => {
    const r = run({ PORT: String(await freePort()), DB_PATH: tempDbPath() });
    const url = await listening(r);
    const c = await connect(url);
    expect(await c.send('你好')).toMatchObject({ ok: true });
    r.child.kill('SIGTERM');
    const { code, signal } = await r.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const logs = r.stdout.map((l) => JSON.parse(l) as { msg: string });
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'kefu stopped']));
    expect(r.stdout.join('\n')).toContain('"msg":"turn"');
    c.close();
  });

  it('on SIGTERM with turns in flight: every acked message is stored, nothing else is acked ok, exit 0', async () => {
    const env = { PORT: String(await freePort()), DB_PATH: tempDbPath(), RATE_LIMIT: 'off' };
    const r = run(env);
    const url = await listening(r);
    const clients = await Promise.all(Array.from({ length: 10 }, () => connect(url)));
    const acks: { text: string; ok: boolean; code?: string }[] = [];
    let n = 0;
    let stop = false;
    const loops = clients.map(async (c) => {
      while (!stop) {
        const text = `手机很卡 ${n++}`;
        const ack = await c.socket
          .timeout(10_000)
          .emitWithAck('user_message', { text })
          .catch(() => null); // no ack: the socket closed first; a real client re-sends after reconnecting
        if (!ack) return;
        acks.push({ text, ok: ack.ok, code: ack.ok ? undefined : ack.error.code });
        if (!ack.ok) return;
      }
    });
    await expect.poll(() => acks.length, { timeout: 10_000 }).toBeGreaterThan(20);
    r.child.kill('SIGTERM');
    const exited = await r.exited;
    stop = true;
    await Promise.all(loops);
    for (const c of clients) c.close();
    expect({ code: exited.code, signal: exited.signal }).toEqual({ code: 0, signal: null });

    expect(acks.filter((a) => !a.ok).every((a) => a.code === 'UNAVAILABLE')).toBe(true);
    const store = new SqliteStore(env.DB_PATH);
    try {
      const stored = new Set<string>();
      for (const c of clients) for (const e of await store.transcript(c.sessionId)) if (e.role === 'user') stored.add(e.text);
      const acked = acks.filter((a) => a.ok).map((a) => a.text);
      expect(acked.filter((t) => !stored.has(t))).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it.each([
    [{ PORT: 'abc' }, /^kefu: invalid configuration: PORT: expected an integer/],
    [{ SESSION_TTL: 'forever' }, /^kefu: invalid configuration: SESSION_TTL: /],
    [{ ALLOWED_ORIGINS: 'not a url' }, /^kefu: invalid configuration: ALLOWED_ORIGINS: /],
    [{ LOG_LEVEL: 'verbose' }, /^kefu: invalid configuration: LOG_LEVEL: .*got "verbose"\n$/],
    [{ DB_PATH: `${NOT_A_DIRECTORY}/kefu.db` }, /^kefu: cannot open the database at DB_PATH=.*: a part of the path is a file, not a directory\n$/],
    [{ DB_PATH: NOT_A_DATABASE }, /^kefu: cannot open the database at DB_PATH=.*: the file is not a kefu database/],
    [{ DB_PATH: dirname(NOT_A_DATABASE) }, /^kefu: cannot open the database at DB_PATH=.*: the file cannot be opened/],
    [{ HOST: '192.0.2.1' }, /^kefu: cannot listen on HOST=192\.0\.2\.1 PORT=\d+: HOST is not an address of this machine\n$/],
  ])('exits 1 on a bad variable %j, naming it, without a stack trace', async (env, message) => {
    const r = run(env);
    const { code, stderr } = await r.exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout.join('')).toBe('');
  });

  it('refuses a damaged kefu database at start (the integrity check), naming DB_PATH, and serves nothing', async () => {
    const path = tempDbPath();
    const store = new SqliteStore(path);
    await store.close();
    const raw = new BetterSqlite3(path);
    const insert = raw.prepare(`INSERT INTO audit (at, agent, action, session_id, ticket_id, detail) VALUES ('2026-12-01T00:00:00Z', 'wang', 'viewed', NULL, NULL, ?)`);
    raw.transaction(() => {
      for (let i = 0; i < 200; i++) insert.run('x'.repeat(1000));
    })();
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    // Pages in the middle overwritten, as a torn copy or a stale WAL replayed onto another file leaves them.
    const f = openSync(path, 'r+');
    writeSync(f, Buffer.alloc(8192, 0xab), 0, 8192, Math.floor(statSync(path).size / 2 / 4096) * 4096);
    closeSync(f);
    const r = run({ DB_PATH: path, PORT: '0' });
    // A kefu that serves the file anyway is stopped, and fails below.
    const guard = setTimeout(() => r.child.kill('SIGKILL'), 20_000);
    const { code, stderr } = await r.exited;
    clearTimeout(guard);
    expect(code).toBe(1);
    const prefix = `kefu: cannot open the database at DB_PATH=${path}: `;
    expect(stderr.slice(0, prefix.length)).toBe(prefix);
    expect(stderr.slice(prefix.length)).toMatch(/damaged/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout.join('')).not.toContain('kefu listening');
  });
});
