/** Opening SQLite connections with the pragmas Roost depends on, and a per-connection statement cache. */
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { MIGRATIONS } from './schema.js';

export function openDatabase(path: string, readonly = false): Db {
  const db = new Database(path, { readonly: false, fileMustExist: readonly });
  db.pragma('journal_mode = WAL');
  // FULL: the WAL is fsynced at every commit, so a committed (acknowledged) change survives power loss.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // The CLI may write while the server runs: wait for the lock rather than failing.
  db.pragma('busy_timeout = 10000');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  db.pragma('mmap_size = 268435456');
  return db;
}

export function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    const sql = MIGRATIONS[v];
    if (sql === undefined) break;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
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
