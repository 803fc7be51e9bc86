/**
 * Failures a client can act on. Each carries a stable protocol code (sent as
 * `{ code, message }` in an ack or a REST error body) and the HTTP status the
 * REST channel answers with.
 */
import type { ErrorCode, ProtocolError } from '../protocol.js';

const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_PAYLOAD: 400,
  EMPTY_TEXT: 400,
  TEXT_TOO_LONG: 400,
  RATE_LIMITED: 429,
  UNKNOWN_SESSION: 404,
  SESSION_CLOSED: 410,
  NOT_FOUND: 404,
  FORBIDDEN_ORIGIN: 403,
  CONFLICT: 409,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  BAD_CREDENTIALS: 401,
  ALREADY_CLAIMED: 409,
  NOT_QUEUED: 409,
  NOT_YOURS: 403,
  AT_CAPACITY: 409,
  AGENT_UNAVAILABLE: 409,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** A request the server refuses, with the code the client sees. */
export class ProtocolFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolFailure';
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }

  toWire(): ProtocolError {
    return { code: this.code, message: this.message };
  }
}

/** Told the code of every failure that goes out on the wire (the error counters of /metrics). */
export const failureObservers = new Set<(code: ErrorCode) => void>();

/** The wire form of any error: protocol failures as they are, anything else as INTERNAL without details. */
export function toProtocolError(e: unknown): ProtocolFailure {
  const failure = e instanceof ProtocolFailure ? e : new ProtocolFailure('INTERNAL', 'internal error');
  for (const observe of failureObservers) observe(failure.code);
  return failure;
}
