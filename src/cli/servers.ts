/**
 * The registry of protocol servers `serve` can start: one factory per `[listen]` key. This is the one
 * place that knows where each protocol's server lives. Protocols not built yet are absent, and serve
 * says so and skips their listeners.
 */
import type { SecureContextOptions } from 'node:tls';
import type { Authenticator } from '../auth/authenticator.js';
import type { DmarcRejectAction, ListenerName } from '../config/schema.js';
import { systemDnsResolver } from '../delivery/dns-cache.js';
import type { Logger } from '../shared/logger.js';
import type { MailStore } from '../store/store.js';
import { createImapServer } from '../protocols/imap/server.js';
import { createPop3Server } from '../protocols/pop3/server.js';
import { smtpServerFactories } from '../protocols/smtp/server.js';

export type TlsMode = 'none' | 'starttls' | 'implicit';

/** One listening socket of one protocol. */
export interface ProtocolServer {
  /**
   * Starts listening; resolves once bound, rejects with the socket error (EACCES, EADDRINUSE …) otherwise.
   * `host` is an IP address or name; "::" means every address.
   */
  listen(host: string, port: number, tls: TlsMode): Promise<void>;
  /** Stops accepting and closes the open sessions. */
  close(): Promise<void>;
}

export interface ServerDeps {
  store: MailStore;
  auth: Authenticator;
  /** Key and certificate (PEM), for STARTTLS and implicit TLS. */
  tls: SecureContextOptions;
  hostname: string;
  /** CIDR blocks allowed to log in without TLS (see auth/trust.ts isTrusted). */
  trustedNetworks: string[];
  /** Concurrent connections per client address and listener. */
  maxConnectionsPerIp: number;
  /** `[pop3] login_delay`: seconds between one account's POP logins (RFC 2449 LOGIN-DELAY); 0 for none. */
  pop3LoginDelaySeconds: number;
  /** `[smtp] dmarc_reject`: refuse, or file in Junk, mail failing a p=reject DMARC policy. */
  smtpDmarcReject: DmarcRejectAction;
  /** Tells the outbound worker that rows were queued (it looks at once instead of at its next poll). */
  onQueued?: () => void;
  logger: Logger;
}

export type ServerFactory = (deps: ServerDeps) => ProtocolServer;
export type ServerFactories = Partial<Record<ListenerName, ServerFactory>>;

/** The factories of the protocols this build has. */
export async function loadServerFactories(_logger: Logger): Promise<ServerFactories> {
  return {
    imap: createImapServer, imaps: createImapServer, pop3: createPop3Server, pop3s: createPop3Server,
    ...smtpServerFactories({ resolver: systemDnsResolver() }),
  };
}
