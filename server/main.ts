/**
 * `npm start` / `npm run dev`: validate the environment, load the bot, serve.
 * SIGTERM/SIGINT stop accepting, let running turns finish, close the store
 * and exit 0. Start-up problems print one line naming the cause and exit 1.
 */
import { startKefu } from './app.js';
import { loadBot } from './bot.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { ContentErrors } from './content/yamlFile.js';
import { createLogger } from './log.js';
import { openStore } from './store/open.js';
import { DatabaseOpenError } from './store/sqliteStore.js';
import type { SessionStore } from './store/types.js';

function fail(message: string): never {
  process.stderr.write(`kefu: ${message}\n`);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) fail(`invalid configuration: ${e.message}`);
  throw e;
}

const logger = createLogger(config.LOG_LEVEL);

let server: Awaited<ReturnType<typeof startKefu>>;
let store: SessionStore | undefined;
try {
  // The database first: a bad DB_PATH is reported at once, not after the NLU has loaded.
  store = await openStore(config, (err) => logger.error({ err }, 'store background task failed'));
  const bot = await loadBot(config.DIALOGS_DIR ? { dialogsDir: config.DIALOGS_DIR } : {});
  server = await startKefu({ config, bot, logger, store });
} catch (e) {
  await store?.close();
  if (e instanceof ContentErrors) fail(`content problems, not starting:\n${e.problems.map((p) => `  ${p.message}`).join('\n')}`);
  if (e instanceof DatabaseOpenError) fail(e.message);
  if (config.DATABASE_URL && store === undefined) fail(`cannot open PostgreSQL at DATABASE_URL: ${e instanceof Error ? e.message || String((e as { code?: unknown }).code) : String(e)}`);
  // What is left comes from listen(): name the variable to change.
  const code = (e as { code?: unknown }).code;
  const where = `HOST=${config.HOST} PORT=${config.PORT}`;
  if (code === 'EADDRINUSE') fail(`cannot listen on ${where}: the port is already in use (set PORT)`);
  if (code === 'EACCES') fail(`cannot listen on ${where}: no permission (ports below 1024 need privileges; set PORT)`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') fail(`cannot listen on ${where}: HOST is not a known address or host name`);
  if (code === 'EADDRNOTAVAIL') fail(`cannot listen on ${where}: HOST is not an address of this machine`);
  fail(`cannot start: ${e instanceof Error ? e.message : String(e)}`);
}

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  server.close().then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
