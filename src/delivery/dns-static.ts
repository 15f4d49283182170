/**
 * An in-memory DNS zone behind the DnsResolver port: for tests (never real DNS there) and, later, the
 * static MX override that lets one Roost deliver to another on loopback.
 *
 *   new StaticResolver({ 'example.org': { TXT: [['v=spf1 ip4:127.0.0.1 -all']] } })
 */
import { DnsError, type DnsRecords, type DnsResolver, type RrType } from './dns.js';

export type ZoneRecords = Partial<DnsRecords>;
export type Zone = Record<string, ZoneRecords>;

function key(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

export class StaticResolver implements DnsResolver {
  private readonly zone = new Map<string, ZoneRecords>();
  /** Every query asked, as "TYPE name" (tests check what was looked up). */
  readonly queries: string[] = [];

  constructor(zone: Zone = {}, private readonly ptr: Record<string, string[]> = {}) {
    for (const [name, records] of Object.entries(zone)) this.zone.set(key(name), records);
  }

  /** Adds or replaces one name's records. */
  set(name: string, records: ZoneRecords): void {
    this.zone.set(key(name), records);
  }

  resolve<T extends RrType>(name: string, type: T): Promise<DnsRecords[T]> {
    this.queries.push(`${type} ${key(name)}`);
    const records = this.zone.get(key(name));
    if (records === undefined) return Promise.reject(new DnsError('ENOTFOUND', name));
    const answer = records[type];
    if (answer === undefined || answer.length === 0) return Promise.reject(new DnsError('ENODATA', name));
    return Promise.resolve(answer as DnsRecords[T]);
  }

  reverse(ip: string): Promise<string[]> {
    return Promise.resolve(this.ptr[ip] ?? []);
  }
}
