import { describe, expect, it } from 'vitest';
import { LIMITS } from '../shared/limits.js';
import { cachingResolver } from './dns-cache.js';
import { DnsError, type DnsRecords, type DnsResolver, type RrType } from './dns.js';
import { StaticResolver } from './dns-static.js';

describe('cachingResolver', () => {
  it('answers repeated questions from the cache until the answer is old, whatever the case of the name', async () => {
    let t = 0;
    const zone = new StaticResolver({ 'example.org': { TXT: [['v=spf1 -all']] } });
    const r = cachingResolver(zone, () => t);
    expect(await r.resolve('example.org', 'TXT')).toEqual([['v=spf1 -all']]);
    expect(await r.resolve('EXAMPLE.org', 'TXT')).toEqual([['v=spf1 -all']]);
    expect(zone.queries).toEqual(['TXT example.org']);
    zone.set('example.org', { TXT: [['v=spf1 +all']] });
    t += LIMITS.dns.cacheMs + 1;
    expect(await r.resolve('example.org', 'TXT')).toEqual([['v=spf1 +all']]);
    expect(zone.queries).toHaveLength(2);
  });

  it('keeps "no such name" for a shorter time, and never a timeout', async () => {
    let t = 0;
    const zone = new StaticResolver({});
    const r = cachingResolver(zone, () => t);
    await expect(r.resolve('nx.example', 'MX')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(r.resolve('nx.example', 'MX')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(zone.queries).toEqual(['MX nx.example']);
    t += LIMITS.dns.negativeCacheMs + 1;
    zone.set('nx.example', { MX: [{ exchange: 'mx.nx.example', priority: 10 }] });
    expect(await r.resolve('nx.example', 'MX')).toEqual([{ exchange: 'mx.nx.example', priority: 10 }]);

    let calls = 0;
    const flaky: DnsResolver = {
      resolve: <T extends RrType>(): Promise<DnsRecords[T]> => {
        calls++;
        return Promise.reject(new DnsError('ETIMEOUT', 'slow.example'));
      },
      reverse: () => Promise.resolve([]),
    };
    const r2 = cachingResolver(flaky, () => t);
    await expect(r2.resolve('slow.example', 'TXT')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    await expect(r2.resolve('slow.example', 'TXT')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(calls).toBe(2);
  });

  it('is bounded: the oldest answer goes first', async () => {
    const zone = new StaticResolver({});
    for (let i = 0; i <= LIMITS.dns.cacheEntries; i++) zone.set(`d${i}.example`, { A: ['192.0.2.1'] });
    const r = cachingResolver(zone, () => 0);
    for (let i = 0; i <= LIMITS.dns.cacheEntries; i++) await r.resolve(`d${i}.example`, 'A');
    const asked = zone.queries.length;
    await r.resolve(`d${LIMITS.dns.cacheEntries}.example`, 'A');
    expect(zone.queries.length).toBe(asked);
    await r.resolve('d0.example', 'A');
    expect(zone.queries.length).toBe(asked + 1);
  });
});
