/**
 * Composition: config + bot + store → one listening server with both
 * channels, the static files and the sweeper. `close()` stops accepting,
 * lets running turns finish (and their acks go out), then closes the store.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { loadBot } from './bot.js';
import type { Config } from './config.js';
import { createConversations, type AnyBot } from './conversation/index.js';
import { createRateLimiter } from './conversation/rateLimit.js';
import { startSweeper, type Sweeper } from './conversation/sweeper.js';
import { httpServerOptions, limitConnections, perAddressCap } from './http/connectionLimits.js';
import { createHttpApp } from './http/httpApp.js';
import { listeningOrigins } from './http/origins.js';
import { createDeskModule, PRESENCE_TTL_MS, type DeskModule } from './desk/index.js';
import { createLogger, type Logger } from './log.js';
import { KefuMetrics, metricsRoute, startMetricsServer } from './metrics.js';
import { OutageWatch } from './reports/outage.js';
import { reportsPage } from './reports/reportsPage.js';
import type { UserChannel } from './conversation/ports.js';
import { attachWidgetNamespace, createIo, userChannel } from './socket/socketServer.js';
import { connectShared } from './redis/index.js';
import { storeLabel } from './store/open.js';
import { SqliteStore } from './store/sqliteStore.js';
import type { SessionStore } from './store/types.js';

export interface StartOptions {
  config: Config;
  /** Defaults to the real bot, loaded from intents/ and dialogs/. */
  bot?: AnyBot;
  logger?: Logger;
  /** Defaults to a SqliteStore at config.DB_PATH. */
  store?: SessionStore;
  /** Where demo/ and dist/widget.js are; defaults to the repository's client/. */
  clientDir?: string;
  /** Where the built desk is; defaults to client/desk/dist. */
  deskDir?: string;
}

export interface KefuServer {
  url: string;
  port: number;
  store: SessionStore;
  /** The desk: accounts (tests add agents with it) and the desk service. */
  desk: DeskModule;
  /** The port of METRICS_PORT's server, when one runs. */
  metricsPort?: number;
  /** Runs the idle-session / follow-up sweep now instead of waiting for the timer (as if at `now`, for tests). */
  sweep(now?: Date): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_CLIENT_DIR = fileURLToPath(new URL('../client/', import.meta.url));

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts kefu and resolves once it listens. */
export async function startKefu(opts: StartOptions): Promise<KefuServer> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  const bot: AnyBot = opts.bot ?? (await loadBot());
  const store =
    opts.store ?? new SqliteStore(config.DB_PATH, { onError: (err) => logger.error({ err }, 'store background task failed') });
  const rateLimits = {
    enabled: config.RATE_LIMIT,
    perSession: config.RATE_LIMIT_SESSION,
    perIp: config.RATE_LIMIT_IP,
    loginPerAccount: config.RATE_LIMIT_LOGIN,
  };
  // REDIS_URL: sockets, limits, presence, session locks and the timers' leader shared by every process.
  const fleet = config.REDIS_URL
    ? await connectShared(config.REDIS_URL, { logger, limits: rateLimits, presenceTtlMs: PRESENCE_TTL_MS, sweepIntervalMs: config.SWEEP_INTERVAL })
    : null;
  const limiter = fleet?.limiter ?? createRateLimiter(rateLimits);

  let accepting = false;
  // The io server exists only once the HTTP server does, and that needs the app: the channel to users looks it up when used.
  let channel: UserChannel | undefined;
  const users: UserChannel = { toSession: (sessionId, event, ...args) => channel?.toSession(sessionId, event, ...args) };
  const conversations = createConversations({ bot, store, limiter, logger, users, followUpDelayMs: config.FOLLOW_UP_DELAY, ...(fleet ? { lock: fleet.lock } : {}) });
  const outage = new OutageWatch(conversations.deps.now());
  conversations.deps.notices = outage;
  const desk = createDeskModule({ config, conversations, limiter, logger, outage, ...(opts.deskDir ? { deskDir: opts.deskDir } : {}), ...(fleet ? { presence: fleet.presence } : {}) });

  const metrics = new KefuMetrics({
    activeSessions: async () => {
      const now = conversations.deps.now();
      return new Set((await store.events(new Date(now.getTime() - config.SESSION_TTL), new Date(now.getTime() + 1))).map((e) => e.sessionId)).size;
    },
    queueLength: async () => (await store.queue()).length,
    agentsOnline: async () => (await desk.desk.agentStatuses()).filter((a) => a.presence === 'online').length,
  });
  conversations.deps.metrics = metrics;

  // kefu's own origins are known once it listens (PORT may be 0); until then only PUBLIC_URL's.
  let own: readonly string[] = config.PUBLIC_URL ? [config.PUBLIC_URL] : [];
  const ownOrigins = { list: () => own };
  const shared = { conversations, logger, allowedOrigins: config.ALLOWED_ORIGINS, ownOrigins, trustProxyHops: config.TRUST_PROXY };
  const app = createHttpApp({
    ...shared,
    clientDir: opts.clientDir ?? DEFAULT_CLIENT_DIR,
    isReady: async () => accepting && (await store.healthy()) && (fleet ? await fleet.healthy() : true),
    leaveQueue: (sessionId) => desk.desk.leaveQueue(sessionId),
    routes: [
      ['/', metricsRoute(metrics, config.METRICS_TOKEN)],
      ['/api/desk', desk.api],
      ['/', reportsPage()],
      ['/', desk.page],
    ],
  });
  const limits = { perIp: config.MAX_CONNECTIONS_PER_IP, handshakeMs: config.HANDSHAKE_TIMEOUT };
  const httpServer = createServer(httpServerOptions(limits), app);
  limitConnections(httpServer, limits);
  const io = createIo(httpServer, {
    ...shared,
    isAccepting: () => accepting,
    engineSessions: perAddressCap(limits.perIp),
    connectTimeoutMs: config.HANDSHAKE_TIMEOUT,
  });
  if (fleet) io.adapter(fleet.adapter);
  channel = userChannel(io);
  attachWidgetNamespace(io, { ...shared, isAccepting: () => accepting, leaveQueue: async (sessionId) => void (await desk.desk.leaveQueue(sessionId)) });
  desk.attach(io);

  const sweeper: Sweeper = startSweeper({
    store,
    limiter,
    cache: conversations.deps.cache,
    logger,
    intervalMs: config.SWEEP_INTERVAL,
    sessionTtlMs: config.SESSION_TTL,
    retentionMs: config.RETENTION,
    deliver: (f) => users.toSession(f.sessionId, 'bot_message', f.message),
    ...(fleet ? { isLeader: () => fleet.leader.isLeader() } : {}),
  });
  desk.schedule(sweeper);
  // Several processes: the agents at desks on other processes count here too (presence is in Redis).
  const availabilityTimer = fleet
    ? setInterval(() => desk.desk.refresh().catch((err: unknown) => logger.warn({ err }, 'presence refresh failed')), Math.min(config.SWEEP_INTERVAL, 2000))
    : null;
  availabilityTimer?.unref();

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.PORT, config.HOST, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await sweeper.stop();
    await store.close();
    await fleet?.close();
    throw e;
  }
  const metricsServer = config.METRICS_PORT !== undefined ? await startMetricsServer(metrics, config.METRICS_PORT, config.HOST, config.METRICS_TOKEN) : null;
  const port = (httpServer.address() as AddressInfo).port;
  own = listeningOrigins(config.PUBLIC_URL, config.HOST, port);
  accepting = true;
  const url = `http://${displayHost(config.HOST)}:${port}`;
  logger.info({ url, db: storeLabel(config), redis: fleet !== null, contentVersion: bot.contentVersion }, `kefu listening on ${url}`);

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      accepting = false;
      const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await conversations.inFlight.drain(config.SHUTDOWN_TIMEOUT);
      await sweeper.stop();
      if (availabilityTimer) clearInterval(availabilityTimer);
      // socket.io's close() resolves only once the HTTP server has closed, i.e. once every
      // connection has ended, and a browser may hold an unused one open indefinitely:
      // let engine.io write its close packets, then end whatever connection is left.
      const ioClosed = io.close();
      await new Promise((resolve) => setImmediate(resolve));
      httpServer.closeAllConnections();
      await Promise.all([ioClosed, httpClosed]);
      await metricsServer?.close();
      metrics.stop();
      await store.close();
      await fleet?.close();
      logger.info('kefu stopped');
    })();
    return closing;
  };

  return { url, port, store, desk, ...(metricsServer ? { metricsPort: metricsServer.port } : {}), sweep: (now) => sweeper.sweep(now), close };
}
