/**
 * Opening the SQLite file: create its directory, configure the connection,
 * check the file is whole, bring the schema up to date. Every failure on the
 * way is a DatabaseOpenError whose message names DB_PATH and the reason in
 * plain words, so an operator knows what to fix.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate, SchemaVersionError } from './sqliteSchema.js';

/** The file is not a whole SQLite database (a restore over a live file, a torn copy). */
export class CorruptDatabaseError extends Error {
  constructor(readonly problems: string[]) {
    super(`the file is damaged (${problems.slice(0, 3).join('; ')}); restore it from a backup`);
    this.name = 'CorruptDatabaseError';
  }
}

/** The database at DB_PATH cannot be opened or upgraded; the message names the path and the reason. */
export class DatabaseOpenError extends Error {
  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(`cannot open the database at DB_PATH=${path}: ${DatabaseOpenError.reason(cause)}`);
    this.name = 'DatabaseOpenError';
  }

  private static reason(e: unknown): string {
    if (e instanceof SchemaVersionError || e instanceof CorruptDatabaseError) return e.message;
    const code = e !== null && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '';
    const message = e instanceof Error ? e.message : String(e);
    switch (code) {
      case 'EACCES':
      case 'EPERM':
        return 'no permission to create its directory';
      case 'EROFS':
        return 'the file system is read-only';
      case 'ENOSPC':
      case 'SQLITE_FULL':
        return 'the disk is full';
      case 'ENOTDIR':
      case 'EEXIST':
        return 'a part of the path is a file, not a directory';
      case 'SQLITE_CANTOPEN':
        return 'the file cannot be opened or created (is it a directory, or is its directory not writable?)';
      case 'SQLITE_READONLY':
      case 'SQLITE_READONLY_DIRECTORY':
        return 'the file or its directory is read-only';
      case 'SQLITE_NOTADB':
      case 'SQLITE_CORRUPT':
        return 'the file is not a kefu database (not SQLite, or damaged)';
      case 'SQLITE_BUSY':
        return 'another process holds it locked';
      case 'SQLITE_IOERR':
      case 'SQLITE_IOERR_WRITE':
      case 'SQLITE_IOERR_FSYNC':
        return 'disk I/O error (is the disk full or failing?)';
      default:
        return message;
    }
  }
}

/** The connection, configured, checked and migrated. Throws DatabaseOpenError. */
export function openDatabase(path: string): Database {
  let db: Database | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new BetterSqlite3(path);
    // Several kefu processes may share the file; wait for a writer instead of failing.
    db.pragma('busy_timeout = 5000');
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // A damaged file must not be served: quick_check reads every page (not every index entry),
    // which is what a torn restore or a stale WAL replayed onto another file breaks.
    const problems = (db.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check);
    if (problems.length !== 1 || problems[0] !== 'ok') throw new CorruptDatabaseError(problems);
    migrate(db);
    return db;
  } catch (e) {
    if (db?.open) db.close();
    throw new DatabaseOpenError(path, e);
  }
}
