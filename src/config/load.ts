/**
 * Reading roost.toml: `parseConfig` is pure (text in, typed Config or ConfigError out);
 * `loadConfig` finds and reads the file (--config FILE, else ./roost.toml, else built-in defaults).
 */
import { LIMITS } from '../shared/limits.js';
import { existsSync, readFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type { LogLevel } from '../shared/logger.js';
import { parseCidr } from './ip.js';
import { parseListenAddress } from './listen.js';
import { readOutbound } from './outbound.js';
import { ConfigError, Reader, type Table } from './reader.js';
import {
  defaultListen, DMARC_REJECT_ACTIONS, formatAddress, LISTENER_NAMES, LOG_LEVELS, type Config, type ListenAddress, type ListenerName,
} from './schema.js';

export interface ParseOptions {
  /** Folder relative paths are resolved against (the config file's folder, or the cwd). */
  baseDir: string;
  /** Path of the file, for messages and Config.source; null when there is no file. */
  source: string | null;
  /** Hostname used when the file has none (os.hostname() by default). */
  defaultHostname?: string;
}

const SECTIONS: Record<string, readonly string[]> = {
  listen: LISTENER_NAMES,
  tls: ['cert', 'key'],
  store: ['url'],
  security: ['trusted_networks', 'max_connections_per_ip'],
  log: ['level'],
  pop3: ['login_delay'],
  smtp: ['dmarc_reject', 'mx_override', 'smarthost', 'retry_schedule', 'queue_lifetime'],
};
const TOP_KEYS = ['hostname', 'data_dir', ...Object.keys(SECTIONS)];

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function validHostname(name: string): boolean {
  return name.length > 0 && name.length <= 253 && name.split('.').every((l) => LABEL.test(l));
}

/** The machine's name, lower-cased; "localhost" when the system name is not a usable host name. */
export function systemHostname(): string {
  const h = osHostname().toLowerCase().replace(/\.$/, '');
  return validHostname(h) ? h : 'localhost';
}

function readListen(r: Reader, t: Table | undefined): Partial<Record<ListenerName, ListenAddress>> {
  if (t === undefined) return defaultListen();
  const out: Partial<Record<ListenerName, ListenAddress>> = {};
  const seen = new Map<string, ListenerName>();
  for (const name of LISTENER_NAMES) {
    const key = `listen.${name}`;
    const text = r.string(t, name, key, 'a string "host:port"');
    if (text === undefined || text.trim() === '') continue;
    const parsed = parseListenAddress(text);
    if (typeof parsed === 'string') r.fail(`${key} = ${JSON.stringify(text)}: ${parsed}`);
    const id = formatAddress(parsed);
    const other = seen.get(id);
    if (other !== undefined) r.fail(`listen.${other} and ${key} both use ${id}`);
    seen.set(id, name);
    out[name] = parsed;
  }
  return out;
}

function readTls(r: Reader, t: Table | undefined, baseDir: string): Config['tls'] {
  if (t === undefined) return null;
  const cert = r.string(t, 'cert', 'tls.cert', 'a string (path of a PEM file)');
  const key = r.string(t, 'key', 'tls.key', 'a string (path of a PEM file)');
  if (cert === undefined && key === undefined) return null;
  if (cert === undefined || key === undefined || cert === '' || key === '') {
    r.fail('tls.cert and tls.key go together: set both (PEM files), or neither for a self-signed certificate');
  }
  return { cert: resolve(baseDir, cert), key: resolve(baseDir, key) };
}

function readStoreUrl(r: Reader, t: Table | undefined): string | null {
  if (t === undefined) return null;
  const url = r.string(t, 'url', 'store.url', 'a string (postgres://… URL)');
  if (url === undefined || url === '') return null;
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    r.fail('store.url must be a postgres:// URL (leave it out to use SQLite in data_dir)');
  }
  return url;
}

function readTrusted(r: Reader, t: Table | undefined): string[] {
  if (t === undefined) return [];
  const list = r.stringArray(t, 'trusted_networks', 'security.trusted_networks') ?? [];
  for (const [i, c] of list.entries()) {
    if (parseCidr(c) === null) r.fail(`security.trusted_networks[${i}] = ${JSON.stringify(c)} is not a CIDR block like "10.0.0.0/8" or "fd00::/8"`);
  }
  return list;
}

function readLogLevel(r: Reader, t: Table | undefined): LogLevel {
  const level = t === undefined ? undefined : r.string(t, 'level', 'log.level', `one of ${LOG_LEVELS.join(', ')}`);
  if (level === undefined) return 'info';
  const found = LOG_LEVELS.find((l) => l === level);
  if (found === undefined) r.fail(`log.level must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(level)}`);
  return found;
}

/** `[pop3] login_delay`: seconds (RFC 2449 §6.8), at most a day; absent or 0: no delay. */
function readLoginDelay(r: Reader, t: Table | undefined): number {
  const v = t === undefined ? undefined : r.nonNegativeInteger(t, 'login_delay', 'pop3.login_delay');
  if (v !== undefined && v > 86_400) r.fail(`pop3.login_delay is in seconds and at most 86400 (a day), not ${v}`);
  return v ?? 0;
}

/** `[smtp] dmarc_reject`: "reject" (the default) or "junk". */
function readDmarcReject(r: Reader, t: Table | undefined): Config['smtp']['dmarcReject'] {
  const v = t === undefined ? undefined : r.string(t, 'dmarc_reject', 'smtp.dmarc_reject', '"reject" or "junk"');
  if (v === undefined) return 'reject';
  const found = DMARC_REJECT_ACTIONS.find((a) => a === v);
  if (found === undefined) r.fail(`smtp.dmarc_reject must be "reject" or "junk", not ${JSON.stringify(v)}`);
  return found;
}

function smtpConfig(r: Reader, t: Table | undefined): Config['smtp'] {
  return { dmarcReject: readDmarcReject(r, t), ...readOutbound(r, t) };
}

export { ConfigError };

/** Validates TOML text into a Config. Throws ConfigError (naming the file, key and expected type). */
export function parseConfig(text: string, opts: ParseOptions): Config {
  const r = new Reader(opts.source ?? 'config', SECTIONS);
  let root: Table;
  try {
    root = parse(text);
  } catch (err) {
    if (err instanceof TomlError) r.fail(`TOML syntax error at line ${err.line}, column ${err.column}: ${err.message.split('\n')[0] ?? ''}`);
    throw err;
  }
  return fromTable(r, root, opts);
}

function fromTable(r: Reader, root: Table, opts: ParseOptions): Config {
  r.checkKeys(root, TOP_KEYS, null);
  let hostname = r.string(root, 'hostname', 'hostname');
  if (hostname !== undefined) {
    hostname = hostname.trim().toLowerCase().replace(/\.$/, '');
    if (!validHostname(hostname)) r.fail(`hostname ${JSON.stringify(hostname)} is not a valid host name (like "mail.example.com")`);
  }
  const dataDir = r.string(root, 'data_dir', 'data_dir', 'a string (a folder path)') ?? './data';
  if (dataDir.trim() === '') r.fail('data_dir must not be empty');
  const security = r.table(root, 'security');
  const listen = r.table(root, 'listen');
  return {
    source: opts.source,
    hostname: hostname ?? opts.defaultHostname ?? systemHostname(),
    dataDir: resolve(opts.baseDir, dataDir),
    listen: readListen(r, listen),
    tls: readTls(r, r.table(root, 'tls'), opts.baseDir),
    store: { url: readStoreUrl(r, r.table(root, 'store')) },
    security: {
      trustedNetworks: readTrusted(r, security),
      maxConnectionsPerIp: (security === undefined ? undefined : r.positiveInteger(security, 'max_connections_per_ip', 'security.max_connections_per_ip'))
        ?? LIMITS.connections.perIp,
    },
    log: { level: readLogLevel(r, r.table(root, 'log')) },
    pop3: { loginDelaySeconds: readLoginDelay(r, r.table(root, 'pop3')) },
    smtp: smtpConfig(r, r.table(root, 'smtp')),
  };
}

/** The built-in configuration (no file): standard ports on every address, ./data under `cwd`. */
export function defaultConfig(cwd: string = process.cwd(), defaultHostname?: string): Config {
  return fromTable(new Reader('defaults', SECTIONS), {}, { baseDir: cwd, source: null, defaultHostname });
}

export interface LoadOptions {
  /** --config FILE: must exist. */
  path?: string;
  cwd?: string;
}

/** Finds and reads the config: `path` if given, else ./roost.toml if present, else the defaults. */
export function loadConfig(opts: LoadOptions = {}): Config {
  const cwd = opts.cwd ?? process.cwd();
  let file: string;
  if (opts.path !== undefined) {
    file = resolve(cwd, opts.path);
    if (!existsSync(file)) throw new ConfigError(`config file ${file} does not exist`);
  } else {
    file = resolve(cwd, 'roost.toml');
    if (!existsSync(file)) return defaultConfig(cwd);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseConfig(text, { baseDir: dirname(file), source: file });
}
