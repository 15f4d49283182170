/**
 * `roost serve`: the composition root. Loads TLS, opens the store, makes the first account on a
 * first start, builds the Authenticator and starts every configured listener through the server
 * registry. A listener that cannot bind is reported (naming its config key) and the others run.
 */
import { mkdirSync } from 'node:fs';
import { Authenticator } from '../auth/authenticator.js';
import { ALL_ADDRESSES, formatAddress, LISTENER_NAMES, LISTENER_TLS, type Config, type ListenAddress, type ListenerName } from '../config/schema.js';
import { type DnsResolver } from '../delivery/dns.js';
import { systemDnsResolver } from '../delivery/dns-cache.js';
import { OutboundWorker } from '../delivery/outbound/worker.js';
import { LIMITS } from '../shared/limits.js';
import type { Logger } from '../shared/logger.js';
import type { MailStore } from '../store/store.js';
import { RemoteMailStore } from '../store/remote.js';
import { UserError } from './errors.js';
import { ensureFirstAccount } from './first-start.js';
import { loadServerFactories, type ProtocolServer, type ServerDeps, type ServerFactories } from './servers.js';
import { openServerStore } from './store.js';
import { loadTls } from './tls.js';

export interface ServeOptions {
  logger: Logger;
  /** Where the first-start password goes (the terminal); never the logger. */
  print?: (text: string) => void;
  /** The protocol servers; loadServerFactories() by default. */
  factories?: ServerFactories;
  /** The writer thread's module (default: dist/cli/store-worker.js), or false for a one-thread store. */
  storeWorker?: URL | false;
  /** DNS for outbound delivery (MX, A/AAAA); the system's resolver by default. */
  resolver?: DnsResolver;
}

export interface Listening {
  name: ListenerName;
  host: string;
  port: number;
  server: ProtocolServer;
}

export interface RunningServer {
  store: MailStore;
  auth: Authenticator;
  listeners: Listening[];
  /** Closes the listeners, then the store. */
  close(): Promise<void>;
}

function errnoCode(err: unknown): string | undefined {
  return err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
}

/** The message for a listener that could not bind, naming the config key to change. */
export function bindErrorMessage(name: ListenerName, addr: ListenAddress, err: unknown, configFile: string | null): string {
  const file = configFile ?? 'roost.toml';
  const at = `cannot bind ${name} on ${formatAddress(addr)}`;
  const code = errnoCode(err);
  if (code === 'EACCES') {
    const suggestion = formatAddress({ host: addr.host, port: addr.port < 1024 ? addr.port + 1000 : addr.port });
    return `${at}: permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE); set [listen] ${name} = "${suggestion}" in ${file}`;
  }
  if (code === 'EADDRINUSE') {
    return `${at}: address already in use (another program is listening there); set [listen] ${name} = "host:port" to a free port in ${file}, or "" to turn it off`;
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `${at}: this machine has no such address; set [listen] ${name} to one of its addresses in ${file}`;
  }
  return `${at}: ${err instanceof Error ? err.message : String(err)}; check [listen] ${name} in ${file}`;
}

async function bind(factory: (deps: ServerDeps) => ProtocolServer, deps: ServerDeps, name: ListenerName, addr: ListenAddress): Promise<Listening> {
  const server = factory(deps);
  try {
    await server.listen(addr.host, addr.port, LISTENER_TLS[name]);
    return { name, host: addr.host, port: addr.port, server };
  } catch (err) {
    await server.close().catch(() => undefined);
    // "::" on a host without IPv6: every IPv4 address instead (what Node does for an unspecified host).
    if (addr.host === ALL_ADDRESSES && (errnoCode(err) === 'EAFNOSUPPORT' || errnoCode(err) === 'EADDRNOTAVAIL')) {
      return bind(factory, deps, name, { host: '0.0.0.0', port: addr.port });
    }
    throw err;
  }
}

/** The outbound delivery worker of this process (src/delivery/outbound). */
function outboundWorker(config: Config, store: MailStore, opts: ServeOptions): OutboundWorker {
  return new OutboundWorker({
    store, hostname: config.hostname, owner: config.hostname, logger: opts.logger.child({ component: 'outbound' }), now: Date.now,
    route: { resolver: opts.resolver ?? systemDnsResolver(), mxOverride: config.smtp.mxOverride, smarthost: config.smtp.smarthost },
    retrySeconds: config.smtp.retrySeconds, lifetimeSeconds: config.smtp.queueLifetimeSeconds,
    delayNoticeSeconds: LIMITS.outbound.delayNoticeSeconds,
  });
}

export async function startServer(config: Config, opts: ServeOptions): Promise<RunningServer> {
  const { logger } = opts;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const tls = await loadTls(config, logger);
  const store = await openServerStore(config, opts.storeWorker);
  const listeners: Listening[] = [];
  const outbound = outboundWorker(config, store, opts);
  try {
    const created = await ensureFirstAccount(config, store, opts.print ?? ((t) => process.stdout.write(t)));
    if (created !== null) logger.info('first start: created the first account', { user: created });
    const auth = new Authenticator(store, { logger: logger.child({ component: 'auth' }) });
    const factories = opts.factories ?? (await loadServerFactories(logger));
    const deps: ServerDeps = {
      store, auth, tls: { key: tls.key, cert: tls.cert }, hostname: config.hostname,
      trustedNetworks: config.security.trustedNetworks, maxConnectionsPerIp: config.security.maxConnectionsPerIp,
      pop3LoginDelaySeconds: config.pop3.loginDelaySeconds, smtpDmarcReject: config.smtp.dmarcReject,
      onQueued: () => outbound.kick(), logger,
    };
    for (const name of LISTENER_NAMES) {
      const addr = config.listen[name];
      if (addr === undefined) continue;
      const factory = factories[name];
      if (factory === undefined) {
        logger.info(`${name} on ${formatAddress(addr)} not available yet in this version`, { listener: name });
        continue;
      }
      try {
        const l = await bind(factory, { ...deps, logger: logger.child({ listener: name }) }, name, addr);
        listeners.push(l);
        logger.info('listening', { listener: name, address: formatAddress(l), tls: LISTENER_TLS[name] });
      } catch (err) {
        logger.error(bindErrorMessage(name, addr, err, config.source), { listener: name });
      }
    }
    if (Object.keys(config.listen).length === 0) throw new UserError(`no listener is configured: set at least one in [listen] in ${config.source ?? 'roost.toml'}`);
    if (listeners.length === 0) throw new UserError('no listener could start; see the messages above');
    await outbound.start();
    logger.info('ready', { hostname: config.hostname, dataDir: config.dataDir, listeners: listeners.map((l) => l.name).join(',') });
    const close = async (): Promise<void> => {
      await Promise.all(listeners.map((l) => l.server.close().catch((err: unknown) => {
        logger.warn('error closing listener', { listener: l.name, error: err });
      })));
      await outbound.stop();
      await store.close();
    };
    return { store, auth, listeners, close };
  } catch (err) {
    await Promise.all(listeners.map((l) => l.server.close().catch(() => undefined)));
    await outbound.stop();
    await store.close();
    throw err;
  }
}

/** Runs until SIGINT/SIGTERM, then closes everything and exits 0. */
export async function serveUntilSignal(config: Config, logger: Logger): Promise<void> {
  const running = await startServer(config, { logger });
  if (running.store instanceof RemoteMailStore) {
    // Without its writer the server can only fail every change: stop, and let the supervisor restart it.
    running.store.onWriterLost((err) => {
      logger.error('the store writer stopped; exiting', { error: err });
      process.exit(1);
    });
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      logger.info('shutting down', { signal });
      // A second signal, or a close that hangs, ends the process anyway.
      const force = setTimeout(() => process.exit(1), 10_000);
      force.unref();
      process.once('SIGINT', () => process.exit(1));
      running.close().then(resolve, (err: unknown) => {
        logger.error('error while shutting down', { error: err });
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  logger.info('stopped');
}
