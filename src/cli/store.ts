/** Opening the store a config names: SQLite in data_dir (the default), or PostgreSQL (not yet). */
import { mkdirSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import { SqliteEngine } from '../engines/sqlite/engine.js';
import { MailStore } from '../store/store.js';
import { DEFAULT_WORKER, openThreadedStore, writerThreadAvailable } from './store-thread.js';

export class StoreUnavailableError extends Error {}

/** Checks the config names a store this build has, and makes the data folder. */
function prepare(config: Config): void {
  if (config.store.url !== null) {
    const where = config.source ?? 'roost.toml';
    throw new StoreUnavailableError(
      `the PostgreSQL store is not available yet in this version (store.url in ${where}); remove [store] url to use SQLite in ${config.dataDir}`,
    );
  }
  // The data folder holds every message: only the server's user may read it.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
}

/** The store in this thread (admin commands, tests). */
export function openStore(config: Config): MailStore {
  prepare(config);
  return new MailStore(SqliteEngine.open(config.dataDir));
}

/**
 * The server's store: writes in a writer thread when its compiled module is there (`worker`, by
 * default next to this file in dist/), else everything in this thread (running from sources).
 */
export async function openServerStore(config: Config, worker: URL | false = DEFAULT_WORKER): Promise<MailStore> {
  prepare(config);
  if (worker === false || !writerThreadAvailable(worker)) return new MailStore(SqliteEngine.open(config.dataDir));
  return openThreadedStore(config.dataDir, worker);
}
