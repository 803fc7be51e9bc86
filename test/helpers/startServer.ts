/**
 * A real kefu server for tests: port 0 on 127.0.0.1, SQLite in a temp dir,
 * logs silenced, the real bot unless a test passes another. The real bot is
 * loaded once per process (the NLU load costs ~1.5 s), so tests that restart
 * servers pay for it once.
 *
 *   const srv = await startTestServer();                       // fresh DB
 *   const again = await startTestServer({ PORT: String(srv.port), DB_PATH: srv.dbPath });
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKefu, type KefuServer } from '../../server/app.js';
import { loadBot } from '../../server/bot.js';
import { loadConfig } from '../../server/config.js';
import type { AnyBot } from '../../server/conversation/index.js';
import type { SessionStore } from '../../server/store/types.js';

export interface TestServer {
  url: string;
  port: number;
  dbPath: string;
  store: SessionStore;
  /** The desk (accounts, the desk service). */
  desk: KefuServer['desk'];
  /** Runs the idle-session / follow-up sweep now, or as if at `now`. */
  sweep(now?: Date): Promise<void>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Defaults to the real bot. */
  bot?: AnyBot;
  store?: SessionStore;
  clientDir?: string;
}

let realBot: Promise<AnyBot> | undefined;

/** The real bot (NLU + dialogs), loaded once per process. */
export function loadRealBot(): Promise<AnyBot> {
  realBot ??= loadBot() as Promise<AnyBot>;
  return realBot;
}

const tempDirs: string[] = [];
process.once('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp dir (removed when the process exits) holding nothing yet. */
export function tempDbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-test-'));
  tempDirs.push(dir);
  return join(dir, 'kefu.db');
}

/** Starts kefu; `env` overrides any config variable (PORT, DB_PATH, RATE_LIMIT…). */
export async function startTestServer(env: Record<string, string> = {}, opts: TestServerOptions = {}): Promise<TestServer> {
  const dbPath = env.DB_PATH ?? tempDbPath();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env, DB_PATH: dbPath });
  const bot = opts.bot ?? (await loadRealBot());
  const server = await startKefu({ config, bot, store: opts.store, clientDir: opts.clientDir });
  return { url: server.url, port: server.port, dbPath, store: server.store, desk: server.desk, sweep: server.sweep, close: server.close };
}
