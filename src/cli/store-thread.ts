/**
 * The server's store: reads on this thread, writes in a writer thread (store-worker.ts). The
 * protocols' event loop then never waits for SQLite page writes, fsyncs or checkpoints, and the
 * machine's second core does the writing. (A message is parsed where it is appended, before the
 * write is sent: store/append.ts prepareAppend.)
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { SqliteEngine } from '../engines/sqlite/engine.js';
import { RemoteMailStore, type CallerMessage, type WriteChannel, type WriterMessage } from '../store/remote.js';

/** The compiled worker next to this module (dist/cli/store-worker.js). */
export const DEFAULT_WORKER = new URL('./store-worker.js', import.meta.url);

export function writerThreadAvailable(url: URL = DEFAULT_WORKER): boolean {
  return url.protocol === 'file:' && existsSync(url);
}

/** Starts the writer thread on `dataDir` (it creates and migrates the store), then opens the reads. */
export async function openThreadedStore(dataDir: string, workerUrl: URL = DEFAULT_WORKER): Promise<RemoteMailStore> {
  const worker = new Worker(workerUrl, { workerData: { dataDir } });
  const handlers: Array<(m: WriterMessage) => void> = [];
  const exitHandlers: Array<(e: Error) => void> = [];
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    worker.once('exit', (code) => {
      exited = true;
      for (const h of exitHandlers) h(new Error(`the store writer stopped (exit code ${code})`));
      resolve();
    });
  });
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    const onReady = (m: WriterMessage): void => {
      if (m.type !== 'ready') return;
      worker.off('message', onReady);
      worker.off('error', reject);
      resolve();
    };
    worker.on('message', onReady);
    void exit.then(() => reject(new Error('the store writer stopped while starting')));
  });
  await ready;
  worker.on('message', (m: WriterMessage) => {
    for (const h of handlers) h(m);
  });
  worker.on('error', (err) => {
    for (const h of exitHandlers) h(err);
  });
  const channel: WriteChannel = {
    send: (m: CallerMessage) => {
      if (!exited) worker.postMessage(m);
    },
    onMessage: (h) => handlers.push(h),
    onExit: (h) => exitHandlers.push(h),
    closed: () => exit,
  };
  return new RemoteMailStore(SqliteEngine.openReader(dataDir), channel);
}
