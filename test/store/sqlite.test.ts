import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteEngine } from '../../src/engines/sqlite/engine.js';
import { storeContract } from './contract.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

storeContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'roost-store-'));
  dirs.push(dir);
  return SqliteEngine.open(dir);
});
