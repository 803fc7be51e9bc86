/**
 * The store the configuration asks for: SQLite at DB_PATH (the default).
 * The server, the agents CLI and the tools all open it here.
 */
import type { Config } from '../config.js';
import { SqliteStore } from './sqliteStore.js';
import type { SessionStore } from './types.js';

export async function openStore(config: Config, onError?: (e: Error) => void): Promise<SessionStore> {
  return new SqliteStore(config.DB_PATH, onError ? { onError } : {});
}
