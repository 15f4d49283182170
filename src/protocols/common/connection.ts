/**
 * A client connection for line protocols (IMAP, POP3): buffered writes with backpressure, in-place
 * STARTTLS upgrade, optional DEFLATE compression (RFC 4978), and idle timeouts. Protocol sessions see
 * only `onData` bytes in and `write` bytes out.
 */
import { TLSSocket, type SecureContext } from 'node:tls';
import type { Socket } from 'node:net';
import { constants as zc, createDeflateRaw, createInflateRaw, type DeflateRaw, type InflateRaw } from 'node:zlib';

/** Output is gathered into chunks of about this size before it reaches the socket. */
const CHUNK = 64 * 1024;
/** Above this much unsent output a producer (e.g. a big FETCH) waits for the client to read. */
const HIGH_WATER = 1024 * 1024;

export interface ConnectionOptions {
  /** Output bytes queued for a client that does not read before we give up on it. */
  maxBuffered: number;
  onData(chunk: Buffer): void;
  onClose(): void;
}

export class Connection {
  private socket: Socket;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private deflate: DeflateRaw | null = null;
  private inflate: InflateRaw | null = null;
  private closed = false;
  private ending = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private idleMs = 0;
  private onIdle: (() => void) | null = null;
  private readonly dataHandler = (chunk: Buffer): void => this.received(chunk);
  readonly remoteAddress: string;
  readonly localAddress: string;
  secure: boolean;

  constructor(socket: Socket, private readonly opts: ConnectionOptions) {
    this.socket = socket;
    this.remoteAddress = socket.remoteAddress ?? '';
    this.localAddress = socket.localAddress ?? '';
    this.secure = socket instanceof TLSSocket;
    socket.setNoDelay(true);
    this.attach(socket);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get isCompressed(): boolean {
    return this.deflate !== null;
  }

  private attach(socket: Socket): void {
    socket.on('data', this.dataHandler);
    socket.on('error', () => this.destroy());
    socket.on('close', () => this.destroy());
  }

  private received(chunk: Buffer): void {
    // After end() input is read only to notice the client's close promptly (a paused socket would
    // hold the connection, and its per-address slot, until the destroy timer).
    if (this.ending) return;
    this.touch();
    if (this.inflate !== null) this.inflate.write(chunk);
    else this.opts.onData(chunk);
  }

  /** (Re)arms the idle timeout; `ms` changes it (e.g. longer after login). */
  setIdleTimeout(ms: number, onIdle: () => void): void {
    this.idleMs = ms;
    this.onIdle = onIdle;
    this.touch();
  }

  private touch(): void {
    if (this.idleMs === 0 || this.closed) return;
    if (this.idleTimer !== null) this.idleTimer.refresh();
    else {
      this.idleTimer = setTimeout(() => this.onIdle?.(), this.idleMs);
      this.idleTimer.unref();
    }
  }

  /** Queues bytes; they leave at the next flush() or when a chunk fills up. */
  write(data: Buffer | string): void {
    if (this.closed || this.ending) return;
    const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.pending.push(b);
    this.pendingBytes += b.length;
    if (this.pendingBytes >= CHUNK) this.flush();
  }

  /**
   * Hands what is queued to the socket. A client that does not read while unsolicited output piles up
   * (pipelined commands, IDLE notifications) is dropped once its backlog passes maxBuffered; a single
   * large write (one big message body) is allowed on top of a small backlog, since producers of large
   * output wait in drain() between messages.
   */
  flush(): void {
    if (this.closed || this.pendingBytes === 0) return;
    const backlog = this.unsent();
    if (backlog > this.opts.maxBuffered) {
      this.destroy();
      return;
    }
    const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (this.deflate !== null) {
      this.deflate.write(data);
      this.deflate.flush(zc.Z_SYNC_FLUSH);
    } else {
      this.socket.write(data);
    }
  }

  /** Output accepted but not yet taken by the kernel (including what the compressor still holds). */
  private unsent(): number {
    return this.socket.writableLength + (this.deflate?.writableLength ?? 0);
  }

  /**
   * Resolves when the client has read enough of what we sent (bounded memory for large responses).
   * Always yields to the event loop once, so a long response never starves other connections.
   */
  async drain(): Promise<void> {
    this.flush();
    if (this.closed) return;
    if (this.unsent() < HIGH_WATER) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return;
    }
    const waitOn = this.deflate !== null && this.deflate.writableLength >= HIGH_WATER ? this.deflate : this.socket;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        waitOn.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      waitOn.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** Much output is waiting for the client to read: producers should drain() before making more. */
  get backlogged(): boolean {
    return !this.closed && this.pendingBytes + this.unsent() >= HIGH_WATER;
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    if (!this.closed && !this.ending) this.socket.resume();
  }

  /**
   * Upgrades to TLS in place (STARTTLS/STLS). The caller has already discarded any plaintext that
   * followed the command (RFC 3207 §4.2 / RFC 2595 §3.1: no command injection across the upgrade).
   */
  async startTls(context: SecureContext): Promise<void> {
    this.flush();
    const raw = this.socket;
    raw.off('data', this.dataHandler);
    raw.removeAllListeners('error');
    raw.removeAllListeners('close');
    const secure = new TLSSocket(raw, { isServer: true, secureContext: context });
    this.socket = secure;
    this.secure = true;
    this.attach(secure);
    await new Promise<void>((resolve) => {
      secure.once('secure', () => resolve());
      secure.once('close', () => resolve());
    });
  }

  /** Turns on DEFLATE both ways (RFC 4978 §3); called right after the tagged OK was flushed. */
  startCompression(): void {
    this.flush();
    const deflate = createDeflateRaw({ level: 6, windowBits: 15, memLevel: 8 });
    const inflate = createInflateRaw();
    deflate.on('data', (d: Buffer) => {
      if (!this.closed) this.socket.write(d);
    });
    inflate.on('data', (d: Buffer) => this.opts.onData(d));
    inflate.on('error', () => this.destroy());
    deflate.on('error', () => this.destroy());
    this.deflate = deflate;
    this.inflate = inflate;
  }

  /** Bytes that arrived before compression started but belong to the compressed stream. */
  injectCompressed(data: Buffer): void {
    this.inflate?.write(data);
  }

  /** end() was called: no more input is read, output is finishing. */
  get isEnding(): boolean {
    return this.ending || this.closed;
  }

  /** Sends what is queued, then closes. */
  end(): void {
    if (this.closed || this.ending) return;
    this.ending = true;
    this.flush();
    this.socket.resume();
    if (this.deflate !== null) {
      const d = this.deflate;
      d.end(() => this.socket.end());
    } else {
      this.socket.end();
    }
    setTimeout(() => this.destroy(), 5000).unref();
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.pending = [];
    this.socket.destroy();
    this.deflate?.destroy();
    this.inflate?.destroy();
    this.opts.onClose();
  }
}
