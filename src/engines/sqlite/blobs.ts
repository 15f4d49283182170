/**
 * Message bytes, addressed by SHA-256, deduplicated by reference count. Bodies up to
 * LIMITS.store.inlineBlobBytes live in the database (one fsync per commit covers them); larger
 * ones are written to data_dir/blobs/xx/<hash>, fsynced (file and directory) before the metadata
 * transaction commits, so an acknowledged message is always complete on disk.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export class BlobFiles {
  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  pathOf(hash: string): string {
    return join(this.root, hash.slice(0, 2), hash);
  }

  /** Writes the file durably unless it already exists. */
  write(hash: string, data: Buffer): void {
    const path = this.pathOf(hash);
    if (existsSync(path)) return;
    const dir = join(this.root, hash.slice(0, 2));
    mkdirSync(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    syncDir(dir);
  }

  read(hash: string): Buffer {
    return readFileSync(this.pathOf(hash));
  }

  remove(hash: string): void {
    try {
      unlinkSync(this.pathOf(hash));
    } catch {
      // already gone: nothing to do
    }
  }
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
