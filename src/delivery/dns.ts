/**
 * The DNS port of mail delivery and mail authentication (SPF, DKIM, DMARC, ARC, later MX lookup and
 * MTA-STS). The server uses the system's resolver; tests inject a StaticResolver (dns-static.ts) so
 * nothing ever asks real DNS. A name that does not exist fails with code ENOTFOUND, a name without
 * records of the asked type with ENODATA (the codes node:dns uses and mailauth understands).
 */
import { Resolver } from 'node:dns/promises';

export interface MxRecord {
  exchange: string;
  priority: number;
}

/** What each record type resolves to (the shapes of node:dns). */
export interface DnsRecords {
  TXT: string[][];
  A: string[];
  AAAA: string[];
  MX: MxRecord[];
  PTR: string[];
  CNAME: string[];
}
export type RrType = keyof DnsRecords;
export const RR_TYPES: readonly RrType[] = ['TXT', 'A', 'AAAA', 'MX', 'PTR', 'CNAME'];

export interface DnsResolver {
  resolve<T extends RrType>(name: string, type: T): Promise<DnsRecords[T]>;
  /** Host names of an IP address (PTR); [] when it has none. */
  reverse(ip: string): Promise<string[]>;
}

export class DnsError extends Error {
  constructor(readonly code: 'ENOTFOUND' | 'ENODATA' | 'ETIMEOUT' | 'ESERVFAIL', name: string) {
    super(`${code} ${name}`);
    this.name = 'DnsError';
  }
}

function isRrType(type: string): type is RrType {
  return (RR_TYPES as readonly string[]).includes(type);
}

/** The system's resolver (servers from /etc/resolv.conf), with a per-query timeout. */
export function systemResolver(timeoutMs = 5_000): DnsResolver {
  const r = new Resolver({ timeout: timeoutMs, tries: 2 });
  return {
    resolve: <T extends RrType>(name: string, type: T): Promise<DnsRecords[T]> =>
      r.resolve(name, type) as Promise<DnsRecords[T]>,
    reverse: async (ip) => {
      try {
        return await r.reverse(ip);
      } catch {
        return [];
      }
    },
  };
}

/** mailauth's `resolver` option: dns.promises.resolve's shape over our port. */
export type MailauthResolver = (name: string, rrtype: string) => Promise<string[][] | string[]>;

export function mailauthResolver(resolver: DnsResolver): MailauthResolver {
  return async (name, rrtype) => {
    const type = rrtype.toUpperCase();
    if (!isRrType(type)) throw new DnsError('ENODATA', name);
    // mailauth declares string arrays but reads MX answers as node:dns gives them ({ exchange, priority }).
    return (await resolver.resolve(name, type)) as string[][] | string[];
  };
}
