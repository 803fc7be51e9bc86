/**
 * The server's configuration: one zod schema over the environment, with a
 * default for every variable, validated once at start-up. A bad value fails
 * with a message naming the variable and what was expected.
 */
import { z } from 'zod';
import { parseBusinessHours } from './desk/businessHours.js';

/** A configuration variable that does not parse. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly detail: string,
  ) {
    super(`${variable}: ${detail}`);
    this.name = 'ConfigError';
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30m", "90s", "2h", "1d", "250ms" or plain seconds ("1800") → milliseconds; null when unparsable. */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2] ?? 's']!;
  return Number.isFinite(ms) ? Math.round(ms) : null;
}

const DAY_MS = 86_400_000;

/** A duration shown back to the operator in the unit that reads best. */
function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', DAY_MS], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * A duration from `min` to `max` ms. The maxima keep timers working (Node
 * fires a timer of more than ~24.8 days at once, in a loop) and dates valid.
 */
const duration = (def: string | undefined, o: { min: number; max: number }) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      const value = text ?? def;
      if (value === undefined) return undefined;
      const ms = parseDuration(value);
      if (ms === null || ms < o.min) {
        const kind = o.min > 0 ? 'a positive duration' : 'a duration';
        ctx.addIssue({ code: 'custom', message: `expected ${kind} like "30m", "90s" or seconds, got "${value}"` });
        return z.NEVER;
      }
      if (ms > o.max) {
        ctx.addIssue({ code: 'custom', message: `expected at most ${formatDuration(o.max)}, got "${value}"` });
        return z.NEVER;
      }
      return ms;
    });

/** A duration with a default: always a number. */
const durationOr = (def: string, max: number) => duration(def, { min: 1, max }).transform((ms) => ms!);

const intIn = (def: number, min: number, max: number) =>
  z
    .string()
    .default(String(def))
    .transform((text, ctx) => {
      const n = Number(text);
      if (!/^\s*\d+\s*$/.test(text) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `expected an integer from ${min} to ${max}, got "${text}"` });
        return z.NEVER;
      }
      return n;
    });

const onOff = (def: 'on' | 'off') =>
  z
    .string()
    .default(def)
    .transform((text, ctx) => {
      const t = text.trim().toLowerCase();
      if (['on', 'true', '1', 'yes'].includes(t)) return true;
      if (['off', 'false', '0', 'no'].includes(t)) return false;
      ctx.addIssue({ code: 'custom', message: `expected "on" or "off", got "${text}"` });
      return z.NEVER;
    });

/** `https://shop.example.com` (scheme, host, optional port; nothing else). */
function parseOrigin(text: string): string | null {
  try {
    const u = new URL(text);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    if (u.origin !== text.replace(/\/$/, '')) return null;
    return u.origin;
  } catch {
    return null;
  }
}

/**
 * How many proxies in front of us to believe in X-Forwarded-For: `false`/`0`
 * (none: use the socket's address), `true` (all of them: take the left-most),
 * or a hop count.
 */
export type TrustProxy = number;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const configSchema = z.object({
  /** TCP port; 0 picks a free one (tests). */
  PORT: intIn(3000, 0, 65_535),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** SQLite file, created with its directory on first run; `:memory:` keeps nothing. */
  DB_PATH: z.string().min(1).default('./data/kefu.db'),
  /** Where the dialogs are read from (default: the repository's dialogs/), e.g. a content release of its own. */
  DIALOGS_DIR: z.string().min(1).optional(),
  /** Comma-separated origins allowed to embed the widget (CORS and Socket.IO); same-origin is always allowed. */
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const origins: string[] = [];
      for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
        const origin = parseOrigin(part);
        if (!origin) {
          ctx.addIssue({ code: 'custom', message: `"${part}" is not an origin like https://shop.example.com` });
          return z.NEVER;
        }
        origins.push(origin);
      }
      return origins;
    }),
  /**
   * kefu's own address as users' browsers reach it (`https://kefu.example.com`): the origin of its own
   * pages for CORS, Socket.IO and the CSP. Never taken from the Host header (DNS rebinding). Unset: the
   * address it listens on (each of this machine's addresses for 0.0.0.0, and localhost).
   */
  PUBLIC_URL: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      const origin = parseOrigin(text.trim());
      if (origin) return origin;
      ctx.addIssue({ code: 'custom', message: `"${text}" is not an address like https://kefu.example.com (scheme, host, port; no path)` });
      return z.NEVER;
    }),
  /** Open TCP connections per peer address (generous: carrier-grade NAT puts many users behind one); 0 = no cap. */
  MAX_CONNECTIONS_PER_IP: intIn(1000, 0, 1_000_000),
  /** A connection must send its request headers, and a Socket.IO client its CONNECT, within this time. */
  HANDSHAKE_TIMEOUT: durationOr('10s', 600_000),
  /** Idle time after which a session is closed (its tickets are kept). */
  SESSION_TTL: durationOr('30m', 365 * DAY_MS),
  /** `off` disables both limiters (benchmarks). */
  RATE_LIMIT: onOff('on'),
  /** Messages a session may send per 10 seconds. */
  RATE_LIMIT_SESSION: intIn(20, 1, 1_000_000),
  /** Messages and new sessions per client IP per 10 seconds; generous because of carrier-grade NAT. */
  RATE_LIMIT_IP: intIn(600, 1, 10_000_000),
  LOG_LEVEL: z
    .string()
    .default('info')
    .transform((text, ctx) => {
      const level = LOG_LEVELS.find((l) => l === text.trim().toLowerCase());
      if (level) return level;
      ctx.addIssue({ code: 'custom', message: `expected one of ${LOG_LEVELS.join(', ')}, got "${text}"` });
      return z.NEVER;
    }),
  /** Proxies to trust for X-Forwarded-For: `false` (default), `true`, or a hop count. */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((text, ctx): TrustProxy => {
      const t = text.trim().toLowerCase();
      if (t === 'false' || t === 'off') return 0;
      if (t === 'true' || t === 'on') return Number.MAX_SAFE_INTEGER;
      if (/^\d+$/.test(t)) return Number(t);
      ctx.addIssue({ code: 'custom', message: `expected "true", "false" or a number of proxy hops, got "${text}"` });
      return z.NEVER;
    }),
  /** How often idle sessions are closed and due follow-ups are sent. */
  SWEEP_INTERVAL: durationOr('5s', 3_600_000),
  /** Overrides the delay of every follow-up the bot schedules (demos, tests). */
  FOLLOW_UP_DELAY: duration(undefined, { min: 0, max: 365 * DAY_MS }),
  /** Closed sessions older than this lose their transcripts and states; tickets, ratings and report events stay. */
  RETENTION: durationOr('180d', 3650 * DAY_MS),
  /** When agents are at the desk, China time: `24x7`, `09:00-21:00`, or `workdays 09:00-18:00; restdays 10:00-16:00|closed`. */
  BUSINESS_HOURS: z
    .string()
    .default('24x7')
    .transform((text, ctx) => {
      const hours = parseBusinessHours(text);
      if (hours) return hours;
      ctx.addIssue({ code: 'custom', message: `expected "24x7", "09:00-21:00" or "workdays 09:00-18:00; restdays closed", got "${text}"` });
      return z.NEVER;
    }),
  /** Conversations one agent serves at once. */
  AGENT_CAPACITY: intIn(5, 1, 100),
  /** `on`: waiting conversations go to the least busy agent online; `off`: agents claim them. */
  AUTO_ASSIGN: onOff('off'),
  /** An agent's desk gone this long: their conversations go back to the queue. */
  AGENT_AWAY_REQUEUE: durationOr('60s', DAY_MS),
  /** Waiting this long for an agent: the user is told and offered a call-back. */
  QUEUE_TIMEOUT: durationOr('15m', DAY_MS),
  /** How long an agent's desk login lasts. */
  DESK_SESSION_TTL: durationOr('12h', 30 * DAY_MS),
  /** Desk login attempts per account per 15 minutes (five times as many per address). */
  RATE_LIMIT_LOGIN: intIn(10, 1, 10_000),
  /** `postgres://user:pass@host:5432/db`: PostgreSQL instead of the SQLite file (several processes). */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a URL like postgres://kefu:secret@db:5432/kefu')
    .optional(),
  /** `redis://host:6379`: sockets, rate limits, presence, session locks and timers shared by several processes. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a URL like redis://cache:6379')
    .optional(),
  /** Bearer token for `GET /metrics` on the main port; unset (and no METRICS_PORT): /metrics is not served. */
  METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
  /** Serves /metrics on this port too (on HOST: keep it internal); the token, when set, is asked there as well. 0: any free port. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** Longest wait for in-flight turns on shutdown. */
  SHUTDOWN_TIMEOUT: durationOr('10s', 3_600_000),
});

export type Config = z.infer<typeof configSchema>;

/** Validates `env` (process.env by default); throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    // An empty variable (`PORT=`) means "use the default", as in most shells' intent.
    if (value !== undefined && value !== '') known[key] = value;
  }
  const parsed = configSchema.safeParse(known);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  return parsed.data;
}
