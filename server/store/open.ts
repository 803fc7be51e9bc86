/**
 * The store the configuration asks for: PostgreSQL at DATABASE_URL when it is
 * set (several processes), else SQLite at DB_PATH (the default). The server,
 * the agents CLI and the tools all open it here.
 */
import type { Config } from '../config.js';
import { PgStore } from './pgStore.js';
import { SqliteStore } from './sqliteStore.js';
import type { SessionStore } from './types.js';

export async function openStore(config: Config, onError?: (e: Error) => void): Promise<SessionStore> {
  if (config.DATABASE_URL) return PgStore.open(config.DATABASE_URL, onError ? { onError } : {});
  return new SqliteStore(config.DB_PATH, onError ? { onError } : {});
}

/** Where the store is, for the start-up log line (without a password). */
export function storeLabel(config: Config): string {
  if (!config.DATABASE_URL) return config.DB_PATH;
  try {
    const u = new URL(config.DATABASE_URL);
    return `postgres://${u.host}${u.pathname}`;
  } catch {
    return 'postgres';
  }
}
