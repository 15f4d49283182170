/** Opening the store a config names: SQLite in data_dir (the default), or PostgreSQL (not yet). */
import { mkdirSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import { SqliteEngine } from '../engines/sqlite/engine.js';
import { MailStore } from '../store/store.js';

export class StoreUnavailableError extends Error {}

export function openStore(config: Config): MailStore {
  if (config.store.url !== null) {
    const where = config.source ?? 'roost.toml';
    throw new StoreUnavailableError(
      `the PostgreSQL store is not available yet in this version (store.url in ${where}); remove [store] url to use SQLite in ${config.dataDir}`,
    );
  }
  // The data folder holds every message: only the server's user may read it.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  return new MailStore(SqliteEngine.open(config.dataDir));
}
