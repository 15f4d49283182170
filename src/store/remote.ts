/**
 * A MailStore whose writes run elsewhere: in a writer thread today (cli/store-thread.ts), in another
 * process or node later. Reads stay local (an engine over the same committed data); every write
 * method is forwarded over a channel, and the changes the writer publishes come back on the same
 * channel *before* the write's answer, so a session sees its own change on the bus before its
 * command completes — exactly as with the in-thread store.
 */
import { LocalChangeBus } from './change-bus.js';
import type { Engine } from './engine.js';
import { StoreError, type StoreErrorCode } from './errors.js';
import { MailStore } from './store.js';
import type { Change } from './types.js';

/** The MailStore methods that write; everything else is a read. */
export const WRITE_METHODS = [
  'addDomain', 'deleteDomain', 'createAccount', 'deleteAccount', 'setPasswordHash', 'updateAccountSettings', 'setQuota',
  'addAlias', 'deleteAlias', 'createMailbox', 'deleteMailbox', 'renameMailbox', 'setSubscribed', 'unsubscribeName',
  'appendPrepared', 'writeFlags', 'writeExpunge', 'destroy', 'copy', 'move', 'replacePrepared', 'setPopSettings', 'popUpdate',
  'enqueue', 'claimQueue', 'markDelivered', 'markDeferred', 'markFailed', 'releaseQueueLeases', 'saveDkimKey',
] as const satisfies ReadonlyArray<keyof MailStore>;
export type WriteMethod = (typeof WRITE_METHODS)[number];

/** Messages from the store's side to the caller's. */
export type WriterMessage =
  | { type: 'ready' }
  | { type: 'change'; change: Change }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: { code: StoreErrorCode | null; message: string } };

/** Messages from the caller's side. */
export type CallerMessage = { type: 'call'; id: number; method: WriteMethod; args: unknown[] } | { type: 'close' };

export interface WriteChannel {
  send(message: CallerMessage): void;
  /** Registers the handler of everything the writer sends. */
  onMessage(handler: (message: WriterMessage) => void): void;
  /** The writer stopped (crashed or closed): every call still waiting fails. */
  onExit(handler: (error: Error) => void): void;
  /** Resolves once the writer has stopped after a 'close'. */
  closed(): Promise<void>;
}

/** Structured clone turns Buffers into plain Uint8Arrays; message bytes must be Buffers again. */
export function asBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError('expected bytes');
}

export class RemoteMailStore extends MailStore {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private failure: Error | null = null;
  private closing = false;
  private readonly lostHandlers: Array<(error: Error) => void> = [];

  constructor(readEngine: Engine, private readonly channel: WriteChannel, now: () => number = Date.now) {
    super(readEngine, new LocalChangeBus(), now);
    channel.onMessage((m) => this.received(m));
    channel.onExit((error) => {
      this.failure = error;
      for (const w of this.waiting.values()) w.reject(error);
      this.waiting.clear();
      if (!this.closing) for (const h of this.lostHandlers) h(error);
    });
    for (const method of WRITE_METHODS) {
      // Own properties shadow the prototype's write methods: same signatures, forwarded.
      Object.defineProperty(this, method, { value: (...args: unknown[]) => this.call(method, args) });
    }
  }

  private call(method: WriteMethod, args: unknown[]): Promise<unknown> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.channel.send({ type: 'call', id, method, args });
    });
  }

  private received(m: WriterMessage): void {
    if (m.type === 'change') {
      this.bus.publish(m.change);
      return;
    }
    if (m.type !== 'result') return;
    const w = this.waiting.get(m.id);
    if (w === undefined) return;
    this.waiting.delete(m.id);
    if (m.ok) w.resolve(m.value);
    else w.reject(m.error.code !== null ? new StoreError(m.error.code, m.error.message) : new Error(m.error.message));
  }

  /** Called if the writer stops without being asked to (a bug): the server cannot write any more. */
  onWriterLost(handler: (error: Error) => void): void {
    this.lostHandlers.push(handler);
  }

  override async close(): Promise<void> {
    this.closing = true;
    this.channel.send({ type: 'close' });
    await this.channel.closed();
    await this.engine.close();
  }
}

/**
 * The writer's side: runs the calls on a real MailStore and reports its changes. The store's bus is
 * the one the changes are forwarded from.
 */
/**
 * Structured clone turns every Buffer into a plain Uint8Array: message bytes anywhere in a call's
 * arguments (an append's items, a queue row's bytes, a bounce) become Buffers again, whatever the method.
 */
function rebuffered(value: unknown): unknown {
  if (value instanceof Uint8Array) return asBuffer(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = rebuffered(value[i]);
  } else if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = rebuffered(o[k]);
  }
  return value;
}

export function serveWrites(store: MailStore, post: (m: WriterMessage) => void, onClose: () => void): (m: CallerMessage) => void {
  store.bus.subscribeAll((change) => post({ type: 'change', change }));
  return (m) => {
    if (m.type === 'close') {
      void store.close().then(onClose, onClose);
      return;
    }
    const args = rebuffered(m.args) as unknown[];
    const fn = store[m.method] as (...a: unknown[]) => Promise<unknown>;
    fn.apply(store, args).then(
      (value) => post({ type: 'result', id: m.id, ok: true, value }),
      (err: unknown) => post({
        type: 'result', id: m.id, ok: false,
        error: { code: err instanceof StoreError ? err.code : null, message: err instanceof Error ? err.message : String(err) },
      }),
    );
  };
}
