/**
 * Structured logs: pino JSON lines on stdout. Every string that reaches a log
 * line goes through maskSensitive, so a mobile number or IMEI typed by a user
 * cannot leak into log storage even when some caller logs raw text.
 */
import { pino, type Logger } from 'pino';
import { maskSensitive } from './conversation/mask.js';

export type { Logger } from 'pino';

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskSensitive(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}

/** The process logger. `level: 'silent'` in tests. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'kefu' },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => maskDeep(a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
