/**
 * The SMTP listeners: `smtp` (25, inbound MX, STARTTLS offered), `submission` (587, STARTTLS before
 * AUTH) and `submissions` (465, implicit TLS, RFC 8314). smtp-server speaks the protocol (PIPELINING,
 * 8BITMIME, SMTPUTF8, ENHANCEDSTATUSCODES, SIZE, STARTTLS, AUTH); inbound.ts and submission.ts decide.
 * CHUNKING/BDAT (RFC 3030) is added in engine.ts and bdat.ts.
 */
import type { SMTPServerOptions } from 'smtp-server';
import type { ProtocolServer, ServerDeps, ServerFactory, TlsMode } from '../../cli/servers.js';
import type { DnsResolver } from '../../delivery/dns.js';
import { LIMITS } from '../../shared/limits.js';
import type { SmtpContext } from './context.js';
import { RoostSmtpServer } from './engine.js';
import { inboundHandlers } from './inbound.js';
import { submissionLimiter } from './rate.js';
import type { Port } from './recipient-reply.js';
import { submissionHandlers } from './submission.js';

class SmtpListener implements ProtocolServer {
  private server: RoostSmtpServer | null = null;

  constructor(private readonly deps: ServerDeps, private readonly port: Port, private readonly resolver: DnsResolver) {}

  private options(tls: TlsMode): SMTPServerOptions {
    const { deps } = this;
    const ctx: SmtpContext = {
      store: deps.store, auth: deps.auth, hostname: deps.hostname, resolver: this.resolver,
      dmarcReject: deps.smtpDmarcReject, limiter: submissionLimiter(deps.store), onQueued: deps.onQueued ?? (() => undefined),
      logger: deps.logger,
    };
    const mx = this.port === 'mx';
    return {
      key: deps.tls.key, cert: deps.tls.cert,
      secure: tls === 'implicit',
      name: deps.hostname,
      banner: 'Roost',
      size: LIMITS.smtp.messageBytes,
      rejectOversized: true,
      hideENHANCEDSTATUSCODES: false,
      hideDSN: true,
      hideREQUIRETLS: true,
      // Port 25 takes no logins: users submit on 587/465 (RFC 6409 §3.1).
      disabledCommands: [...(mx ? ['AUTH'] : []), ...(tls === 'none' ? ['STARTTLS'] : [])],
      authMethods: ['PLAIN', 'LOGIN'],
      authOptional: mx,
      maxAllowedUnauthenticatedCommands: mx ? false : LIMITS.smtp.commandsBeforeAuth,
      maxCommandLength: LIMITS.smtp.commandLineBytes,
      maxRecipients: LIMITS.smtp.recipientsPerMessage,
      maxClients: LIMITS.connections.perListener,
      socketTimeout: LIMITS.smtp.idleMs,
      closeTimeout: LIMITS.smtp.closeGraceMs,
      resolver: {
        reverse: (ip, callback) => {
          this.resolver.reverse(ip).then((names) => callback(null, names), (err: Error) => callback(err));
        },
      },
      logger: false,
      ...(mx ? inboundHandlers(ctx) : submissionHandlers(ctx)),
    };
  }

  listen(host: string, port: number, tls: TlsMode): Promise<void> {
    const server = new RoostSmtpServer(this.options(tls), {
      maxConnectionsPerIp: this.deps.maxConnectionsPerIp, trustedNetworks: this.deps.trustedNetworks,
    });
    server.server.maxConnections = LIMITS.connections.perListener;
    // A failed handshake or a client that vanished is the client's problem, never the listener's.
    server.on('error', (err) => this.deps.logger.debug('smtp connection error', { error: err }));
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.server.once('error', onError);
      server.listen({ host, port }, () => {
        server.server.off('error', onError);
        this.server = server;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}

export interface SmtpFactoryOptions {
  /** DNS for SPF/DKIM/DMARC/ARC and reverse lookups (default: the system resolver). */
  resolver: DnsResolver;
}

/** The factories of the three SMTP listeners. */
export function smtpServerFactories(opts: SmtpFactoryOptions): { smtp: ServerFactory; submission: ServerFactory; submissions: ServerFactory } {
  const make = (port: Port): ServerFactory => (deps) => new SmtpListener(deps, port, opts.resolver);
  return { smtp: make('mx'), submission: make('submission'), submissions: make('submission') };
}
