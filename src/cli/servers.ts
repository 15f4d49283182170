/**
 * The registry of protocol servers `serve` can start: one factory per `[listen]` key. This is the one
 * place that knows where each protocol's server lives. Protocols not built yet are absent, and serve
 * says so and skips their listeners.
 */
import type { SecureContextOptions } from 'node:tls';
import type { Authenticator } from '../auth/authenticator.js';
import type { ListenerName } from '../config/schema.js';
import type { Logger } from '../shared/logger.js';
import type { MailStore } from '../store/store.js';

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
  logger: Logger;
}

export type ServerFactory = (deps: ServerDeps) => ProtocolServer;
export type ServerFactories = Partial<Record<ListenerName, ServerFactory>>;

function isMissing(err: unknown, spec: string): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  const name = spec.replace(/^\.\.\//, '').replace(/\.js$/, '');
  return (code === 'ERR_MODULE_NOT_FOUND' || /cannot find module|failed to load/i.test(err.message)) && err.message.includes(name);
}

/** Imports an optional module, or null when it does not exist (not built yet). */
async function importOptional(spec: string): Promise<Record<string, unknown> | null> {
  try {
    return (await import(spec)) as Record<string, unknown>;
  } catch (err) {
    if (isMissing(err, spec)) return null;
    throw err;
  }
}

// TODO(imap): make this a static import of createImapServer once src/protocols/imap/server.ts lands.
const IMAP_SERVER = '../protocols/imap/server.js';

/** The factories of the protocols this build has. */
export async function loadServerFactories(logger: Logger): Promise<ServerFactories> {
  const factories: ServerFactories = {};
  const imap = await importOptional(IMAP_SERVER);
  const createImapServer = imap?.['createImapServer'];
  if (typeof createImapServer === 'function') {
    const factory = createImapServer as ServerFactory;
    factories.imap = factory;
    factories.imaps = factory;
  } else {
    logger.warn('the IMAP server is not built yet (src/protocols/imap/server.ts)');
  }
  return factories;
}
