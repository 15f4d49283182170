/**
 * The listening side shared by the line protocols (IMAP, POP3): plain or implicit-TLS sockets, the
 * per-address connection limit, one lazily made TLS context (also used for STARTTLS/STLS), and
 * closing every open session on shutdown. Each protocol supplies how to start a session and how to
 * turn away a client over its limit.
 */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer, type SecureContext, type SecureContextOptions } from 'node:tls';
import type { ProtocolServer, TlsMode } from '../../cli/servers.js';
import { LIMITS } from '../../shared/limits.js';
import type { Logger } from '../../shared/logger.js';

export interface ListenerSession {
  /** Says goodbye (BYE, -ERR …) and closes: the server is stopping. */
  shutdown(): void;
}

export interface ListenerOptions<S extends ListenerSession> {
  protocol: string;
  tls: SecureContextOptions;
  maxConnectionsPerIp: number;
  logger: Logger;
  /** The line sent to a client over its address's limit, before closing. */
  tooMany: string;
  /** Starts a session on an accepted socket; `onEnd` must be called once when it closes. */
  start(socket: Socket, tls: () => SecureContext, onEnd: () => void): S;
}

export class LineListener<S extends ListenerSession> implements ProtocolServer {
  private readonly servers: Server[] = [];
  private readonly sessions = new Set<S>();
  private readonly perIp = new Map<string, number>();
  private context: SecureContext | null = null;

  constructor(private readonly opts: ListenerOptions<S>) {}

  private readonly secureContext = (): SecureContext => {
    this.context ??= createSecureContext(this.opts.tls);
    return this.context;
  };

  listen(host: string, port: number, tls: TlsMode): Promise<void> {
    const onSocket = (socket: Socket): void => this.accept(socket);
    const server = tls === 'implicit'
      ? createTlsServer({ ...this.opts.tls, secureContext: this.secureContext() }, onSocket)
      : createTcpServer(onSocket);
    server.maxConnections = LIMITS.connections.perListener;
    // A failed TLS handshake is the client's problem; it must not disturb the listener.
    server.on('tlsClientError', (_err: Error, socket: Socket) => socket.destroy());
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once('error', onError);
      server.listen({ host, port }, () => {
        server.off('error', onError);
        server.on('error', (err) => this.opts.logger.error(`${this.opts.protocol} listener error`, { err }));
        this.servers.push(server);
        resolve();
      });
    });
  }

  private accept(socket: Socket): void {
    const ip = socket.remoteAddress ?? '';
    const count = (this.perIp.get(ip) ?? 0) + 1;
    if (count > this.opts.maxConnectionsPerIp) {
      socket.on('error', () => undefined);
      socket.end(this.opts.tooMany);
      return;
    }
    this.perIp.set(ip, count);
    const session = this.opts.start(socket, this.secureContext, () => {
      this.sessions.delete(session);
      const n = (this.perIp.get(ip) ?? 1) - 1;
      if (n <= 0) this.perIp.delete(ip);
      else this.perIp.set(ip, n);
    });
    this.sessions.add(session);
  }

  async close(): Promise<void> {
    const closing = this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    for (const s of [...this.sessions]) s.shutdown();
    await Promise.all(closing);
  }
}
