import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WalSync } from './wal-sync.js';

describe('WalSync', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('answers every caller, including those that arrive while an fsync runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roost-walsync-'));
    dirs.push(dir);
    const path = join(dir, 'x.db-wal');
    writeFileSync(path, 'frames');
    const wal = new WalSync(path);
    const order: number[] = [];
    const first = Array.from({ length: 50 }, (_, i) => wal.sync().then(() => order.push(i)));
    await Promise.all(first);
    const second = Array.from({ length: 50 }, (_, i) => wal.sync().then(() => order.push(50 + i)));
    await Promise.all(second);
    expect(order).toEqual(Array.from({ length: 100 }, (_, i) => i));
    wal.close();
  });

  it('fails every waiting caller when the file cannot be opened, and recovers once it exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roost-walsync-'));
    dirs.push(dir);
    const path = join(dir, 'missing-wal');
    const wal = new WalSync(path);
    const results = await Promise.allSettled([wal.sync(), wal.sync()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    writeFileSync(path, 'frames');
    await expect(wal.sync()).resolves.toBeUndefined();
    wal.close();
  });
});
