/**
 * Durability off the event loop. The writer commits with synchronous=NORMAL (SQLite writes the WAL
 * frames but does not fsync them), then this fsyncs the WAL file on libuv's thread pool; callers are
 * answered only after that fsync. An fsync covers every frame written before it, so this is as
 * durable as synchronous=FULL for every acknowledged write, while the event loop keeps serving other
 * sessions (and preparing the next batch) during the disk flush.
 */
import { closeSync, fdatasync, openSync } from 'node:fs';

export class WalSync {
  private fd: number | null = null;

  constructor(private readonly walPath: string) {}

  /** Resolves once everything committed so far is on disk. */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      let fd: number;
      try {
        // The WAL exists from the first commit on and keeps its inode while the store is open
        // (checkpoints rewrite it from the start; SQLite removes it only when the last connection closes).
        fd = this.fd ??= openSync(this.walPath, 'r');
      } catch (err) {
        reject(err);
        return;
      }
      // fdatasync, as SQLite itself uses: the frames and the file size (needed to read them back) reach
      // the disk; other metadata (times) need not. The WAL is rewritten in place after checkpoints, so
      // most commits do not even change its size.
      fdatasync(fd, (err) => (err === null ? resolve() : reject(err)));
    });
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
