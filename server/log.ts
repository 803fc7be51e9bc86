/**
 * Structured logs: pino JSON lines on stdout, written asynchronously. Every string that reaches a log
 * line goes through maskSensitive, so a mobile number or IMEI typed by a user
 * cannot leak into log storage even when some caller logs raw text.
 */
import { pino, type Logger } from 'pino';
import { maskStrings } from './privacy/mask.js';

export type { Logger } from 'pino';

/** How deep into a logged object strings are masked (log arguments are shallow). */
const LOG_MASK_DEPTH = 5;

/** The process logger. `level: 'silent'` in tests. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'kefu' },
      hooks: {
        logMethod(args, method) {
          for (let i = 0; i < args.length; i++) args[i] = maskStrings(args[i], LOG_MASK_DEPTH);
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
