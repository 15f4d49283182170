/**
 * The writer thread: owns the store's write connection and runs every write (transactions, the
 * commit and its fsync) off the thread that serves the protocols. Started by store-thread.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEngine } from '../engines/sqlite/engine.js';
import { serveWrites, type CallerMessage, type WriterMessage } from '../store/remote.js';
import { MailStore } from '../store/store.js';

const port = parentPort;
if (port === null) throw new Error('store-worker.js runs as a worker thread only');
const { dataDir } = workerData as { dataDir: string };
const store = new MailStore(SqliteEngine.open(dataDir));
const post = (m: WriterMessage): void => port.postMessage(m);
const handle = serveWrites(store, post, () => port.close());
port.on('message', (m: CallerMessage) => handle(m));
post({ type: 'ready' });
