/**
 * Which PostgreSQL failures mean "the database is away" (the server stopped or
 * restarting, the network down, no connection to be had) rather than "this
 * commit is wrong": those become StoreUnavailableError, which the channels
 * answer with UNAVAILABLE, and pass by themselves once PostgreSQL is back.
 */

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function pgCode(e: unknown): string {
  return e !== null && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '';
}

export function isConnectionFailure(e: unknown): boolean {
  const code = pgCode(e);
  if (NETWORK_CODES.has(code)) return true;
  // 08: connection exception; 57P01-03: shut down / crashed / starting up; 53300: too many connections.
  if (/^08/.test(code) || /^57P0[1-3]$/.test(code) || code === '53300') return true;
  const message = e instanceof Error ? e.message : String(e);
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connection error|Client was closed|not queryable/i.test(message);
}
