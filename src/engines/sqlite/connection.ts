/** Opening SQLite connections with the pragmas Roost depends on, and a per-connection statement cache. */
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { LIMITS } from '../../shared/limits.js';
import { MIGRATIONS } from './schema.js';

/**
 * Every connection commits with synchronous=FULL: COMMIT returns once the WAL is fsynced, so a
 * committed (acknowledged) change survives power loss. The server's writer runs in its own thread
 * (cli/store-worker.ts), where blocking in that fsync costs nothing but the writes that queue
 * meanwhile, and those share the next commit's fsync. `role` 'writer' marks the connection that
 * checkpoints the WAL.
 */
export function openDatabase(path: string, role: 'writer' | 'reader' = 'reader'): Db {
  const db = new Database(path);
  // First, so that the WAL switch and the migrations of a store opened by two processes at once wait.
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  db.pragma('mmap_size = 268435456');
  if (role === 'writer') {
    // The writer connection is the one that checkpoints (SQLite runs it at the commit that crosses the mark).
    db.pragma(`wal_autocheckpoint = ${LIMITS.store.walCheckpointPages}`);
    db.pragma(`journal_size_limit = ${LIMITS.store.walSizeLimitBytes}`);
  }
  return db;
}

/**
 * Applies the migrations not applied yet, one transaction each. The version is read inside the write
 * lock, so two processes opening a new store at once (the CLI while the server starts, say) apply
 * every migration exactly once.
 */
export function migrate(db: Db): void {
  for (;;) {
    const done = db.transaction((): boolean => {
      const v = db.pragma('user_version', { simple: true }) as number;
      const sql = MIGRATIONS[v];
      if (sql === undefined) return true;
      db.exec(sql);
      db.pragma(`user_version = ${v + 1}`);
      return false;
    }).immediate();
    if (done) return;
  }
}

/**
 * Prepared statements by SQL text. Bounded: search statements vary with the criteria, so an unbounded
 * cache would grow for the life of the server; the least recently used statement goes first.
 */
export class StatementCache {
  private static readonly MAX = 500;
  private readonly cache = new Map<string, Statement>();
  constructor(readonly db: Db) {}

  get(sql: string): Statement {
    let s = this.cache.get(sql);
    if (s !== undefined) {
      this.cache.delete(sql);
    } else {
      s = this.db.prepare(sql);
      if (this.cache.size >= StatementCache.MAX) {
        const oldest = this.cache.keys().next();
        if (oldest.done !== true) this.cache.delete(oldest.value);
      }
    }
    this.cache.set(sql, s);
    return s;
  }
}
