/**
 * The typed configuration Roost runs with, and its defaults. The TOML file (see load.ts) is the
 * outside contract; this is what the rest of the code sees after validation.
 */
import type { LogLevel } from '../shared/logger.js';

/** Listener names, exactly the `[listen]` keys of roost.toml. */
export const LISTENER_NAMES = [
  'smtp', 'submission', 'submissions', 'imap', 'imaps', 'pop3', 'pop3s', 'http', 'https',
] as const;
export type ListenerName = (typeof LISTENER_NAMES)[number];

/** The standard port of each listener, used when the config has no `[listen]` table. */
export const STANDARD_PORTS: Record<ListenerName, number> = {
  smtp: 25, submission: 587, submissions: 465, imap: 143, imaps: 993, pop3: 110, pop3s: 995, http: 80, https: 443,
};

/** How each listener uses TLS: STARTTLS upgrade on the plain ports, TLS from the first byte on the others. */
export const LISTENER_TLS: Record<ListenerName, 'none' | 'starttls' | 'implicit'> = {
  smtp: 'starttls', submission: 'starttls', submissions: 'implicit', imap: 'starttls', imaps: 'implicit',
  pop3: 'starttls', pop3s: 'implicit', http: 'none', https: 'implicit',
};

export interface ListenAddress {
  /** An IP address or host name; "::" means every address (IPv6 and IPv4 on a dual-stack host). */
  host: string;
  port: number;
}

export interface Config {
  /** Absolute path of the file read, or null when running on built-in defaults. */
  source: string | null;
  /** The server's name: greeting banners, HELO, the self-signed certificate, the first account's domain. */
  hostname: string;
  /** Absolute path of the data folder (database, message files, generated certificate). */
  dataDir: string;
  /** The listeners that are on; a listener that is off is absent. */
  listen: Partial<Record<ListenerName, ListenAddress>>;
  /** Absolute paths of the PEM files, or null: a self-signed certificate made in dataDir. */
  tls: { cert: string; key: string } | null;
  /** null: SQLite in dataDir. */
  store: { url: string | null };
  security: {
    /** CIDR blocks whose clients may log in without TLS (besides the server's own addresses). */
    trustedNetworks: string[];
    /** Concurrent connections one client address may hold per listener (default LIMITS.connections.perIp). */
    maxConnectionsPerIp: number;
  };
  log: { level: LogLevel };
  /** RFC 2449 §6.8 LOGIN-DELAY: seconds between one account's POP logins, 0 for none. */
  pop3: { loginDelaySeconds: number };
  smtp: {
    /** `[smtp] dmarc_reject`: a message failing DMARC of a p=reject domain is refused (550 5.7.1) or filed in Junk. */
    dmarcReject: DmarcRejectAction;
    /** `[smtp] mx_override`: a fixed next hop per recipient domain instead of its MX (tests, lab setups). */
    mxOverride: Record<string, ListenAddress>;
    /** `[smtp] smarthost`: every outbound message goes through this relay instead of MX. */
    smarthost: Smarthost | null;
    /** `[smtp] retry_schedule`: seconds between delivery attempts, the last repeating. */
    retrySeconds: number[];
    /** `[smtp] queue_lifetime`: seconds a message is retried before it bounces. */
    queueLifetimeSeconds: number;
  };
}

/** How Roost talks TLS to a smarthost: STARTTLS required, TLS from the first byte (465), or none. */
export const SMARTHOST_TLS = ['starttls', 'implicit', 'none'] as const;
export type SmarthostTls = (typeof SMARTHOST_TLS)[number];

export interface Smarthost {
  host: string;
  port: number;
  /** AUTH credentials (RFC 4954), or null to relay without logging in. */
  username: string | null;
  password: string | null;
  tls: SmarthostTls;
}

export const DMARC_REJECT_ACTIONS = ['reject', 'junk'] as const;
export type DmarcRejectAction = (typeof DMARC_REJECT_ACTIONS)[number];

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** "::" binds every IPv6 and (dual-stack, the Linux default) IPv4 address; see cli/serve for the IPv4-only fallback. */
export const ALL_ADDRESSES = '::';

export function defaultListen(): Partial<Record<ListenerName, ListenAddress>> {
  const out: Partial<Record<ListenerName, ListenAddress>> = {};
  for (const name of LISTENER_NAMES) out[name] = { host: ALL_ADDRESSES, port: STANDARD_PORTS[name] };
  return out;
}

/** "host:port" for messages and logs; IPv6 hosts in brackets, the way the config writes them. */
export function formatAddress(a: ListenAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
