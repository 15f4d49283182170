/**
 * The outbound delivery keys of `[smtp]`: `mx_override` (a next hop per domain, bypassing MX: for
 * tests and lab setups), `smarthost` (every message through one relay, with AUTH), `retry_schedule`
 * and `queue_lifetime` (seconds).
 */
import { LIMITS } from '../shared/limits.js';
import { parseListenAddress } from './listen.js';
import { isTable, typeName, type Reader, type Table } from './reader.js';
import { SMARTHOST_TLS, type Config, type ListenAddress, type Smarthost } from './schema.js';

type Outbound = Omit<Config['smtp'], 'dmarcReject'>;

function hop(r: Reader, text: unknown, name: string): ListenAddress {
  if (typeof text !== 'string') r.fail(`${name} must be a string "host:port", not ${typeName(text)}`);
  const parsed = parseListenAddress(text);
  if (typeof parsed === 'string') r.fail(`${name} = ${JSON.stringify(text)}: ${parsed}`);
  return parsed;
}

function readMxOverride(r: Reader, t: Table): Record<string, ListenAddress> {
  const v = t['mx_override'];
  if (v === undefined) return {};
  if (!isTable(v)) r.fail(`smtp.mx_override must be a table like { "example.net" = "127.0.0.1:2525" }, not ${typeName(v)}`);
  const out: Record<string, ListenAddress> = {};
  for (const [domain, text] of Object.entries(v)) out[domain.toLowerCase().replace(/\.$/, '')] = hop(r, text, `smtp.mx_override."${domain}"`);
  return out;
}

function readSmarthost(r: Reader, t: Table): Smarthost | null {
  const v = t['smarthost'];
  if (v === undefined) return null;
  if (!isTable(v)) r.fail(`smtp.smarthost must be a table like { host = "smtp.example.net", port = 587 }, not ${typeName(v)}`);
  r.checkKeys(v, ['host', 'port', 'username', 'password', 'tls'], 'smtp.smarthost');
  const host = r.string(v, 'host', 'smtp.smarthost.host');
  if (host === undefined || host.trim() === '') r.fail('smtp.smarthost.host is required (the relay\'s host name or address)');
  const tlsText = r.string(v, 'tls', 'smtp.smarthost.tls', SMARTHOST_TLS.map((x) => `"${x}"`).join(', ')) ?? 'starttls';
  const tls = SMARTHOST_TLS.find((x) => x === tlsText);
  if (tls === undefined) r.fail(`smtp.smarthost.tls must be one of ${SMARTHOST_TLS.join(', ')}, not ${JSON.stringify(tlsText)}`);
  const port = r.positiveInteger(v, 'port', 'smtp.smarthost.port') ?? (tls === 'implicit' ? 465 : 587);
  if (port > 65535) r.fail(`smtp.smarthost.port must be at most 65535, not ${port}`);
  const username = r.string(v, 'username', 'smtp.smarthost.username') ?? null;
  const password = r.string(v, 'password', 'smtp.smarthost.password') ?? null;
  if ((username === null) !== (password === null)) r.fail('smtp.smarthost.username and password go together: set both, or neither');
  return { host: host.trim(), port, username, password, tls };
}

function readRetry(r: Reader, t: Table): number[] {
  const v = t['retry_schedule'];
  if (v === undefined) return [...LIMITS.outbound.retrySeconds];
  if (!Array.isArray(v) || v.length === 0) r.fail(`smtp.retry_schedule must be a non-empty array of seconds, like [60, 300, 900], not ${typeName(v)}`);
  return v.map((x: unknown, i) => {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 1) r.fail(`smtp.retry_schedule[${i}] must be a positive whole number of seconds, not ${typeName(x)}`);
    return x;
  });
}

export function readOutbound(r: Reader, t: Table | undefined): Outbound {
  const table = t ?? {};
  return {
    mxOverride: readMxOverride(r, table),
    smarthost: readSmarthost(r, table),
    retrySeconds: readRetry(r, table),
    queueLifetimeSeconds: r.positiveInteger(table, 'queue_lifetime', 'smtp.queue_lifetime') ?? LIMITS.outbound.lifetimeSeconds,
  };
}
