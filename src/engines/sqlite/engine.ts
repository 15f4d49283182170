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

/** Messages added to the header text index per indexing write. */
const TEXT_INDEX_BATCH = 2000;
/** A backlog this large is indexed right away; a smaller one after the writes pause this long. */
const TEXT_INDEX_BACKLOG = 500;
const TEXT_INDEX_DELAY_MS = 200;

/** Writes merged into one transaction at most (bounds the time the write lock is held). */
const MAX_BATCH = 256;

interface PendingWrite {
  fn: (tx: WriteTx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class SqliteEngine extends SqliteReads implements Engine {
  readonly kind = 'sqlite' as const;
  private readonly writer: Db;
  private readonly reader: Db;
  private readonly writerStatements: StatementCache;
  private pending: PendingWrite[] = [];
  private scheduled = false;
  private running = false;
  private readonly idleWaiters: Array<() => void> = [];
  private readOnly = false;
  private closing = false;
  private indexTimer: NodeJS.Timeout | null = null;

  private constructor(writer: Db, reader: Db, files: BlobFiles) {
    const readerStatements = new StatementCache(reader);
    super(readerStatements, files);
    this.writer = writer;
    this.reader = reader;
    this.writerStatements = new StatementCache(writer);
  }

  /**
   * Opens the store in `dataDir` for reads only (its writes happen elsewhere: the writer thread,
   * which opened it first and migrated it). write() fails.
   */
  static openReader(dataDir: string): SqliteEngine {
    const path = join(dataDir, 'roost.db');
    const reader = openDatabase(path);
    const files = new BlobFiles(join(dataDir, 'blobs'));
    registerSearchFunctions(reader, files);
    const engine = new SqliteEngine(reader, reader, files);
    engine.readOnly = true;
    return engine;
  }

  /** Opens (creating and migrating as needed) the store in `dataDir`. */
  static open(dataDir: string): SqliteEngine {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, 'roost.db');
    const writer = openDatabase(path, 'writer');
    migrate(writer);
    const reader = openDatabase(path);
    const files = new BlobFiles(join(dataDir, 'blobs'));
    registerSearchFunctions(reader, files);
    registerSearchFunctions(writer, files);
    return new SqliteEngine(writer, reader, files);
  }

  /**
   * Group commit: writes requested while a batch is being prepared run in one transaction, each in
   * its own savepoint (a failing write rolls back alone), and all resolve after the one COMMIT, which
   * returns once it is fsynced (synchronous=FULL) — so fifty sessions storing flags at once cost one
   * fsync, and no caller hears of success before its change is durable (DESIGN principle 8).
   */
  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    if (this.readOnly) return Promise.reject(new Error('this store connection is read-only; writes go through the writer'));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn: fn as (tx: WriteTx) => Promise<unknown>, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.runBatches());
      }
    });
  }

  private async runBatches(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_BATCH);
        await this.runBatch(batch);
      }
    } finally {
      this.running = false;
      this.scheduled = false;
      this.idleWaiters.splice(0).forEach((w) => w());
    }
    this.scheduleTextIndexing();
  }

  private async runBatch(batch: PendingWrite[]): Promise<void> {
    const tx = new SqliteWrites(this.writerStatements, this.files);
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.writer.exec('BEGIN IMMEDIATE');
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    for (const w of batch) {
      this.writer.exec('SAVEPOINT w');
      const filesBefore = tx.filesToRemove.length;
      try {
        const value = await w.fn(tx);
        this.writer.exec('RELEASE w');
        outcomes.push({ ok: true, value });
      } catch (error) {
        this.writer.exec('ROLLBACK TO w');
        this.writer.exec('RELEASE w');
        // The rolled-back write's blob rows are back: their files must stay.
        tx.filesToRemove.length = filesBefore;
        outcomes.push({ ok: false, error });
      }
    }
    try {
      this.writer.exec('COMMIT');
    } catch (error) {
      if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
      for (const w of batch) w.reject(error);
      return;
    }
    // A blob one write released and a later one (or the same one) stored again has its row back; putBlob
    // found its file still there and kept it, so the file must stay.
    const stillStored = this.writerStatements.get('SELECT 1 FROM blobs WHERE hash = ?').pluck();
    for (const hash of tx.filesToRemove) if (stillStored.get(hash) === undefined) this.files.remove(hash);
    // The commit is on disk: answer, in commit order (sessions rely on changes arriving in the order
    // they were made: UIDs of one mailbox ascend).
    batch.forEach((w, i) => {
      const o = outcomes[i]!;
      if (o.ok) w.resolve(o.value);
      else w.reject(o.error);
    });
  }

  /**
   * The header text index trails the writes (writes.ts indexText): a big backlog is indexed at once,
   * a small one when the writes pause, so deliveries never pay for it one message at a time.
   */
  private scheduleTextIndexing(): void {
    if (this.readOnly || this.closing || this.indexTimer !== null) return;
    const tx = new SqliteWrites(this.writerStatements, this.files);
    const backlog = tx.textIndexBacklog();
    if (backlog === 0) return;
    const run = (): void => {
      this.indexTimer = null;
      if (this.closing) return;
      this.write(async (w) => (w as SqliteWrites).indexText(TEXT_INDEX_BATCH)).catch(() => undefined);
    };
    if (backlog >= TEXT_INDEX_BACKLOG) run();
    else {
      this.indexTimer = setTimeout(run, TEXT_INDEX_DELAY_MS);
      this.indexTimer.unref();
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.indexTimer !== null) clearTimeout(this.indexTimer);
    this.indexTimer = null;
    if (this.scheduled || this.running) await new Promise<void>((r) => this.idleWaiters.push(r));
    this.reader.close();
    if (this.writer !== this.reader) this.writer.close();
  }
}
