/**
 * The IMAP listener (ports 143 with STARTTLS, 993 with implicit TLS): accepts connections, applies
 * the per-address connection limit, and hands each socket to an ImapSession.
 */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer, type SecureContext } from 'node:tls';
import type { ProtocolServer, ServerDeps, TlsMode } from '../../cli/servers.js';
import { LIMITS } from '../../shared/limits.js';
import { ImapSession } from './session.js';
import { UidCache } from './uid-cache.js';

export function createImapServer(deps: ServerDeps): ProtocolServer {
  return new ImapServer(deps);
}

class ImapServer implements ProtocolServer {
  private readonly servers: Server[] = [];
  private readonly sessions = new Set<ImapSession>();
  private readonly perIp = new Map<string, number>();
  private context: SecureContext | null = null;
  private readonly uidCache: UidCache;

  constructor(private readonly deps: ServerDeps) {
    this.uidCache = UidCache.for(deps.store);
  }

  private secureContext(): SecureContext {
    this.context ??= createSecureContext(this.deps.tls);
    return this.context;
  }

  listen(host: string, port: number, tls: TlsMode): Promise<void> {
    const onSocket = (socket: Socket): void => this.accept(socket);
    const server = tls === 'implicit'
      ? createTlsServer({ ...this.deps.tls, secureContext: this.secureContext() }, onSocket)
      : createTcpServer(onSocket);
    server.maxConnections = LIMITS.connections.perListener;
    // A failed TLS handshake is the client's problem; it must not disturb the listener.
    server.on('tlsClientError', (_err: Error, socket: Socket) => socket.destroy());
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once('error', onError);
      server.listen({ host, port }, () => {
        server.off('error', onError);
        server.on('error', (err) => this.deps.logger.error('imap listener error', { err }));
        this.servers.push(server);
        resolve();
      });
    });
  }

  private accept(socket: Socket): void {
    const ip = socket.remoteAddress ?? '';
    const count = (this.perIp.get(ip) ?? 0) + 1;
    if (count > this.deps.maxConnectionsPerIp) {
      socket.on('error', () => undefined);
      socket.end('* BYE Too many connections from your address\r\n');
      return;
    }
    this.perIp.set(ip, count);
    const session = new ImapSession(socket, {
      store: this.deps.store,
      auth: this.deps.auth,
      logger: this.deps.logger,
      tls: () => this.secureContext(),
      uidCache: this.uidCache,
      options: {
        hostname: this.deps.hostname,
        trustedNetworks: this.deps.trustedNetworks,
        appendLimit: LIMITS.imap.appendBytes,
      },
    }, () => {
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
