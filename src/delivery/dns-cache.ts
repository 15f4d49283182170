/**
 * A small answer cache in front of a DnsResolver. Inbound mail asks the same questions again and again
 * (the sender domain's SPF and DMARC records, a signer's DKIM key, the next hop's MX), and a mail server
 * that sends each of them to the network per message is as slow as its resolver's worst packet. Answers
 * are kept for a short, fixed time (node:dns gives no TTL for most record types), failures that mean
 * "no such name / no such record" for a shorter one; timeouts and server failures are never kept.
 * Bounded: the oldest entry goes when it is full.
 */
import { LIMITS } from '../shared/limits.js';
import { systemResolver, type DnsRecords, type DnsResolver, type RrType } from './dns.js';

type Entry = { until: number; value: unknown } | { until: number; error: unknown };

const NEGATIVE = new Set(['ENOTFOUND', 'ENODATA']);

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

export function cachingResolver(inner: DnsResolver, now: () => number = Date.now): DnsResolver {
  const cache = new Map<string, Entry>();
  const limits = LIMITS.dns;

  function put(key: string, entry: Entry): void {
    cache.delete(key);
    cache.set(key, entry);
    if (cache.size > limits.cacheEntries) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
  }

  async function cached<T>(key: string, ask: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit !== undefined && hit.until > now()) {
      if ('error' in hit) throw hit.error;
      return hit.value as T;
    }
    try {
      const value = await ask();
      put(key, { until: now() + limits.cacheMs, value });
      return value;
    } catch (err) {
      const code = errorCode(err);
      if (code !== undefined && NEGATIVE.has(code)) put(key, { until: now() + limits.negativeCacheMs, error: err });
      throw err;
    }
  }

  return {
    resolve: <T extends RrType>(name: string, type: T): Promise<DnsRecords[T]> =>
      cached(`${type} ${name.toLowerCase()}`, () => inner.resolve(name, type)),
    reverse: (ip) => cached(`PTR ${ip}`, () => inner.reverse(ip)),
  };
}

let shared: DnsResolver | null = null;

/** The system's resolver behind one cache shared by the whole server (inbound checks and outbound routing). */
export function systemDnsResolver(): DnsResolver {
  shared ??= cachingResolver(systemResolver());
  return shared;
}
