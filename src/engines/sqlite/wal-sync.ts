/**
 * Durability off the event loop. The writer commits with synchronous=NORMAL (SQLite writes the WAL
 * frames but does not fsync them), then this fsyncs the WAL file on libuv's thread pool; callers are
 * answered only after that fsync. An fsync covers every frame written before it, so this is as
 * durable as synchronous=FULL for every acknowledged write, while the event loop keeps serving other
 * sessions (and preparing the next batch) during the disk flush.
 *
 * One fsync at a time: commits made while one is running share the next, which starts when it ends
 * (a second flush of the same file at once only queues behind the first in the filesystem's journal,
 * and under load one fsync per batch made each take about a millisecond instead of a tenth).
 */
import { closeSync, fdatasync, openSync } from 'node:fs';

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class WalSync {
  private fd: number | null = null;
  private running = false;
  /** Callers whose commit came after the running fsync started: they need the next one. */
  private queued: Waiter[] = [];

  constructor(private readonly walPath: string) {}

  /** Resolves once everything committed before the call is on disk. */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queued.push({ resolve, reject });
      if (!this.running) this.flush();
    });
  }

  private flush(): void {
    const waiters = this.queued;
    this.queued = [];
    let fd: number;
    try {
      // The WAL exists from the first commit on and keeps its inode while the store is open
      // (checkpoints rewrite it from the start; SQLite removes it only when the last connection closes).
      fd = this.fd ??= openSync(this.walPath, 'r');
    } catch (err) {
      for (const w of waiters) w.reject(err);
      return;
    }
    this.running = true;
    // fdatasync, as SQLite itself uses: the frames and the file size (needed to read them back) reach
    // the disk; other metadata (times) need not.
    fdatasync(fd, (err) => {
      this.running = false;
      for (const w of waiters) {
        if (err === null) w.resolve();
        else w.reject(err);
      }
      if (this.queued.length > 0) this.flush();
    });
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
