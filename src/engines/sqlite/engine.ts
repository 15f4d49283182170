/**
 * The embedded default engine: SQLite through better-sqlite3 in WAL mode.
 * Two connections: writes run one at a time on the writer inside BEGIN IMMEDIATE … COMMIT; reads
 * use the reader, which only ever sees committed data (a session never observes a half-applied change).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database as Db } from 'better-sqlite3';
import type { Engine, WriteTx } from '../../store/engine.js';
import { BlobFiles } from './blobs.js';
import { migrate, openDatabase, StatementCache } from './connection.js';
import { registerSearchFunctions } from './functions.js';
import { SqliteReads } from './reads.js';
import { SqliteWrites } from './writes.js';

export class SqliteEngine extends SqliteReads implements Engine {
  readonly kind = 'sqlite' as const;
  private readonly writer: Db;
  private readonly reader: Db;
  private readonly writerStatements: StatementCache;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(writer: Db, reader: Db, files: BlobFiles) {
    const readerStatements = new StatementCache(reader);
    super(readerStatements, files);
    this.writer = writer;
    this.reader = reader;
    this.writerStatements = new StatementCache(writer);
  }

  /** Opens (creating and migrating as needed) the store in `dataDir`. */
  static open(dataDir: string): SqliteEngine {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, 'roost.db');
    const writer = openDatabase(path);
    migrate(writer);
    const reader = openDatabase(path);
    const files = new BlobFiles(join(dataDir, 'blobs'));
    registerSearchFunctions(reader, files);
    registerSearchFunctions(writer, files);
    return new SqliteEngine(writer, reader, files);
  }

  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const tx = new SqliteWrites(this.writerStatements, this.files);
      this.writer.exec('BEGIN IMMEDIATE');
      let result: T;
      try {
        result = await fn(tx);
        this.writer.exec('COMMIT');
      } catch (err) {
        if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
        throw err;
      }
      for (const hash of tx.filesToRemove) this.files.remove(hash);
      return result;
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  async close(): Promise<void> {
    await this.queue;
    this.reader.close();
    this.writer.close();
  }
}
