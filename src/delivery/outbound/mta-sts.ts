/**
 * MTA-STS for outbound delivery (RFC 8461). For each MX-routed domain: the `_mta-sts` TXT record
 * through the DNS port (§3.1); when its id differs from the cached policy's (or none is cached), the
 * policy is fetched over HTTPS (mta-sts-fetch.ts) and cached by domain for its max_age (§3.3, §5.1).
 * In mode enforce (§5) only MX hosts matching the policy are used, each with STARTTLS required and a
 * certificate valid for the MX host name; no match means the attempt is deferred, never sent in the
 * clear. testing and none: delivery as without a policy (opportunistic), a mismatch logged. A TXT
 * record whose policy cannot be fetched, with nothing cached, changes nothing (§5). The smarthost
 * and `[smtp] mx_override` routes do not use MTA-STS.
 */
import type { Logger } from '../../shared/logger.js';
import { LIMITS } from '../../shared/limits.js';
import type { DnsResolver } from '../dns.js';
import { httpsPolicyFetcher, type PolicyFetcher } from './mta-sts-fetch.js';
import { parsePolicy, policyAllows, stsRecordId, type StsPolicy } from './mta-sts-policy.js';
import type { Hop, Route, RouteOptions } from './route.js';

interface Cached {
  id: string;
  policy: StsPolicy;
  /** Epoch ms after which the policy is no longer used. */
  until: number;
}

export interface MtaStsOptions {
  resolver: DnsResolver;
  /** Tests pass a stub; otherwise HTTPS with the system's trusted CAs. */
  fetch?: PolicyFetcher;
  now?: () => number;
  logger?: Logger;
}

export class MtaSts {
  private readonly cache = new Map<string, Cached>();
  private readonly fetch: PolicyFetcher;
  private readonly now: () => number;

  constructor(private readonly opts: MtaStsOptions) {
    this.fetch = opts.fetch ?? httpsPolicyFetcher({ resolver: opts.resolver });
    this.now = opts.now ?? Date.now;
  }

  /** The policy in force for `domain`, or null (deliver as without MTA-STS). */
  async policyFor(domain: string): Promise<StsPolicy | null> {
    const key = domain.toLowerCase().replace(/\.$/, '');
    let cached = this.cache.get(key);
    if (cached !== undefined && cached.until <= this.now()) {
      this.cache.delete(key);
      cached = undefined;
    }
    const id = await this.opts.resolver.resolve(`_mta-sts.${key}`, 'TXT').then(stsRecordId, () => null);
    // §5.1: without a valid TXT record a cached policy still applies; with the same id it is current.
    if (id === null || cached?.id === id) return cached?.policy ?? null;
    let text: string;
    try {
      text = await this.fetch(key);
    } catch (err) {
      this.opts.logger?.warn('MTA-STS policy could not be fetched', { domain: key, error: err, cached: cached !== undefined });
      return cached?.policy ?? null;
    }
    const parsed = parsePolicy(text);
    if (!parsed.ok) {
      this.opts.logger?.warn('MTA-STS policy is invalid', { domain: key, error: parsed.error, cached: cached !== undefined });
      return cached?.policy ?? null;
    }
    this.put(key, { id, policy: parsed.value, until: this.now() + parsed.value.maxAge * 1000 });
    return parsed.value;
  }

  private put(key: string, entry: Cached): void {
    this.cache.delete(key);
    this.cache.set(key, entry);
    if (this.cache.size > LIMITS.mtaSts.cacheEntries) {
      const oldest = this.cache.keys().next();
      if (oldest.done !== true) this.cache.delete(oldest.value);
    }
  }
}

/** Whether MTA-STS is looked up for `domain`: MX routing only (not the smarthost nor an override). */
export function mtaStsApplies(domain: string, route: RouteOptions): boolean {
  return route.smarthost === null && route.mxOverride[domain.toLowerCase()] === undefined;
}

/**
 * The hops an enforce policy allows (§5): MX hosts matching a pattern, TLS required and verified for
 * the MX host name. None: a temporary failure. Other modes keep the hops as they are.
 */
export function applyPolicy(domain: string, hops: readonly Hop[], policy: StsPolicy, logger?: Logger): Route {
  const allowed = hops.filter((h) => policyAllows(policy, h.name));
  if (policy.mode !== 'enforce') {
    if (allowed.length < hops.length) {
      logger?.info('MTA-STS (mode testing/none): MX hosts outside the policy', {
        domain, mode: policy.mode, hosts: [...new Set(hops.filter((h) => !allowed.includes(h)).map((h) => h.name))].join(','),
      });
    }
    return { kind: 'hops', hops: [...hops] };
  }
  if (allowed.length === 0) {
    return { kind: 'fail', permanent: false, status: '4.7.5', message: `no MX host of ${domain} matches its MTA-STS policy (RFC 8461 §5)` };
  }
  return { kind: 'hops', hops: allowed.map((h) => ({ ...h, requireTls: true })) };
}
