/**
 * Structured logs: pino JSON lines on stdout, written asynchronously. Every string that reaches a log
 * line goes through maskSensitive, so a mobile number or IMEI typed by a user
 * cannot leak into log storage even when some caller logs raw text.
 */
import { pino, type Logger } from 'pino';
import { maskSensitive } from './conversation/mask.js';

export type { Logger } from 'pino';

/** `value` with every string masked; the same object when nothing needed masking (the common case: ids and numbers). */
function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskSensitive(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return maskError(value, depth);
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const m = maskDeep(v, depth + 1);
      if (m !== v) (out ??= value.slice())[i] = m;
    }
    return out ?? value;
  }
  let out: Record<string, unknown> | null = null;
  for (const k in value) {
    if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
    const v = (value as Record<string, unknown>)[k];
    const m = maskDeep(v, depth + 1);
    if (m !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = m;
  }
  return out ?? value;
}

/**
 * An error whose message, stack or fields carry user text (a URL, a JSON
 * snippet a parser quotes) as a masked copy of the same class, so pino
 * serialises it as usual; the error itself when nothing needed masking.
 */
function maskError(err: Error, depth: number): Error {
  let copy: Error | null = null;
  for (const key of Object.getOwnPropertyNames(err)) {
    const desc = Object.getOwnPropertyDescriptor(err, key)!;
    if (!('value' in desc)) continue;
    const masked = maskDeep(desc.value, depth + 1);
    if (masked === desc.value) continue;
    copy ??= Object.defineProperties(Object.create(Object.getPrototypeOf(err) as object) as Error, Object.getOwnPropertyDescriptors(err));
    Object.defineProperty(copy, key, { ...desc, value: masked });
  }
  return copy ?? err;
}

/** The process logger. `level: 'silent'` in tests. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'kefu' },
      hooks: {
        logMethod(args, method) {
          for (let i = 0; i < args.length; i++) args[i] = maskDeep(args[i]);
          method.apply(this, args);
        },
      },
    },
    // Asynchronous stdout: lines written while a write is in flight go out together in the next
    // one, instead of one blocking write(2) per line. pino flushes what is left when the process
    // exits; only a kill -9 can lose the last lines.
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
