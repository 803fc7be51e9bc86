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
try {
  const bot = await loadBot();
  server = await startKefu({ config, bot, logger });
} catch (e) {
  if (e instanceof ContentErrors) fail(`content problems, not starting:\n${e.problems.map((p) => `  ${p.message}`).join('\n')}`);
  const code = (e as { code?: unknown }).code;
  if (code === 'EADDRINUSE') fail(`port ${config.PORT} on ${config.HOST} is already in use (set PORT)`);
  if (code === 'EACCES') fail(`no permission to listen on ${config.HOST}:${config.PORT}`);
  if (code === 'SQLITE_CANTOPEN') fail(`cannot open the database at DB_PATH=${config.DB_PATH}`);
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
