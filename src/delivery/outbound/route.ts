/**
 * Where mail for a domain goes: the smarthost when one is configured, a `[smtp] mx_override` next hop,
 * or the domain's MX hosts (RFC 5321 §5.1) through the DNS port: ordered by preference, equal
 * preferences shuffled; no MX records means the domain itself is the one MX ("implicit MX"); a null
 * MX (RFC 7505) means the domain takes no mail. Each host's A and AAAA addresses become the hops.
 */
import { isIP } from 'node:net';
import type { ListenAddress, Smarthost } from '../../config/schema.js';
import { LIMITS } from '../../shared/limits.js';
import { DnsError, type DnsResolver, type MxRecord } from '../dns.js';

export interface Hop {
  /** The address to connect to. */
  host: string;
  port: number;
  /** The host name (for TLS SNI and messages), when `host` is an address looked up for it. */
  name: string;
  /** TLS from the first byte (a smarthost on 465). */
  implicitTls: boolean;
  /**
   * STARTTLS required and the certificate verified for `name` (a smarthost, or an MX under an enforced
   * MTA-STS policy: mta-sts.ts); otherwise opportunistic, any certificate.
   */
  requireTls: boolean;
  auth: { user: string; pass: string } | null;
}

export type Route =
  | { kind: 'hops'; hops: Hop[] }
  /** No hop: `permanent` failures bounce, the others are retried. `status` is the RFC 3463 code. */
  | { kind: 'fail'; permanent: boolean; status: string; message: string };

export interface RouteOptions {
  resolver: DnsResolver;
  mxOverride: Readonly<Record<string, ListenAddress>>;
  smarthost: Smarthost | null;
  /** For shuffling MX hosts of equal preference (tests pass a fixed one). */
  random?: () => number;
}

function plainHop(host: string, port: number, name: string): Hop {
  return { host, port, name, implicitTls: false, requireTls: false, auth: null };
}

/** MX records by preference, equal preferences in random order (RFC 5321 §5.1). */
export function orderMx(records: readonly MxRecord[], random: () => number = Math.random): MxRecord[] {
  const keyed = records.map((r) => ({ r, k: random() }));
  keyed.sort((a, b) => a.r.priority - b.r.priority || a.k - b.k);
  return keyed.map((x) => x.r);
}

/** RFC 7505 §3: a single MX record "." (or empty) says the domain accepts no mail. */
export function isNullMx(records: readonly MxRecord[]): boolean {
  return records.some((r) => r.exchange === '' || r.exchange === '.');
}

function dnsCode(err: unknown): string {
  return err instanceof DnsError ? err.code : (err as NodeJS.ErrnoException | undefined)?.code ?? 'ESERVFAIL';
}

async function addresses(resolver: DnsResolver, host: string): Promise<{ ips: string[]; temporary: boolean }> {
  if (isIP(host) !== 0) return { ips: [host], temporary: false };
  const ips: string[] = [];
  let temporary = false;
  for (const type of ['A', 'AAAA'] as const) {
    try {
      ips.push(...(await resolver.resolve(host, type)));
    } catch (err) {
      const code = dnsCode(err);
      if (code !== 'ENODATA' && code !== 'ENOTFOUND') temporary = true;
    }
  }
  return { ips, temporary };
}

export async function routeFor(domain: string, opts: RouteOptions): Promise<Route> {
  const s = opts.smarthost;
  if (s !== null) {
    const auth = s.username !== null && s.password !== null ? { user: s.username, pass: s.password } : null;
    return { kind: 'hops', hops: [{ host: s.host, port: s.port, name: s.host, implicitTls: s.tls === 'implicit', requireTls: s.tls === 'starttls', auth }] };
  }
  const override = opts.mxOverride[domain.toLowerCase()];
  if (override !== undefined) return { kind: 'hops', hops: [plainHop(override.host, override.port, override.host)] };
  let hosts: string[];
  let implicit = false;
  try {
    const mx = await opts.resolver.resolve(domain, 'MX');
    if (isNullMx(mx)) return { kind: 'fail', permanent: true, status: '5.1.10', message: `${domain} accepts no mail (null MX, RFC 7505)` };
    hosts = orderMx(mx, opts.random).map((r) => r.exchange.replace(/\.$/, ''));
  } catch (err) {
    const code = dnsCode(err);
    if (code === 'ENOTFOUND') return { kind: 'fail', permanent: true, status: '5.1.2', message: `${domain} does not exist (DNS NXDOMAIN)` };
    if (code !== 'ENODATA') return { kind: 'fail', permanent: false, status: '4.4.3', message: `MX lookup of ${domain} failed (${code})` };
    // RFC 5321 §5.1: without MX records the domain is its own MX, preference 0.
    hosts = [domain];
    implicit = true;
  }
  const hops: Hop[] = [];
  let temporary = false;
  for (const host of hosts.slice(0, LIMITS.outbound.mxHosts)) {
    const found = await addresses(opts.resolver, host);
    temporary ||= found.temporary;
    for (const ip of found.ips) hops.push(plainHop(ip, 25, host));
  }
  if (hops.length > 0) return { kind: 'hops', hops };
  if (implicit && !temporary) return { kind: 'fail', permanent: true, status: '5.1.2', message: `${domain} has no MX and no address records` };
  return { kind: 'fail', permanent: false, status: '4.4.3', message: `no address found for the mail servers of ${domain}` };
}
