import { describe, expect, it } from 'vitest';
import { StaticResolver } from '../dns-static.js';
import { applyPolicy, MtaSts, mtaStsApplies } from './mta-sts.js';
import type { StsPolicy } from './mta-sts-policy.js';
import type { Hop } from './route.js';

const hop = (name: string, host: string): Hop => ({ host, port: 25, name, implicitTls: false, requireTls: false, auth: null });
const HOPS = [hop('mx1.example.com', '192.0.2.1'), hop('backup.other.net', '192.0.2.2')];
const policy = (mode: StsPolicy['mode'], mx: string[]): StsPolicy => ({ mode, mx, maxAge: 3600 });
const text = (mode: string, mx: string, age = 3600): string => `version: STSv1\r\nmode: ${mode}\r\nmx: ${mx}\r\nmax_age: ${age}\r\n`;

describe('applying a policy (RFC 8461 §5)', () => {
  it('enforce: only matching MX hosts, each with verified TLS required', () => {
    expect(applyPolicy('example.com', HOPS, policy('enforce', ['*.example.com']))).toEqual({
      kind: 'hops', hops: [{ ...HOPS[0], requireTls: true }],
    });
  });

  it('enforce without a matching MX: a temporary failure, nothing sent', () => {
    expect(applyPolicy('example.com', HOPS, policy('enforce', ['mx.elsewhere.org']))).toMatchObject({ kind: 'fail', permanent: false, status: '4.7.5' });
  });

  it('testing and none: the hops as they are (opportunistic TLS)', () => {
    for (const mode of ['testing', 'none'] as const) {
      expect(applyPolicy('example.com', HOPS, policy(mode, ['mx.elsewhere.org']))).toEqual({ kind: 'hops', hops: HOPS });
    }
  });

  it('is not used for the smarthost nor an mx_override', () => {
    const base = { resolver: new StaticResolver(), mxOverride: {}, smarthost: null };
    expect(mtaStsApplies('example.com', base)).toBe(true);
    expect(mtaStsApplies('Example.com', { ...base, mxOverride: { 'example.com': { host: '127.0.0.1', port: 25 } } })).toBe(false);
    expect(mtaStsApplies('example.com', { ...base, smarthost: { host: 'relay', port: 587, username: null, password: null, tls: 'starttls' } })).toBe(false);
  });
});

describe('policy lookup and cache', () => {
  function setup(txt: string | null) {
    const resolver = new StaticResolver(txt === null ? {} : { '_mta-sts.example.com': { TXT: [[txt]] } });
    const fetched: string[] = [];
    let answer: () => string = () => text('enforce', '*.example.com');
    let now = 1_000_000;
    const sts = new MtaSts({
      resolver, now: () => now,
      fetch: (domain) => {
        fetched.push(domain);
        try {
          return Promise.resolve(answer());
        } catch (err) {
          return Promise.reject(err instanceof Error ? err : new Error(String(err)));
        }
      },
    });
    return { resolver, sts, fetched, answer: (f: () => string) => (answer = f), advance: (ms: number) => (now += ms) };
  }

  it('no TXT record: no policy and no fetch', async () => {
    const s = setup(null);
    expect(await s.sts.policyFor('example.com')).toBeNull();
    expect(s.fetched).toEqual([]);
  });

  it('fetches once per id and keeps the policy until max_age', async () => {
    const s = setup('v=STSv1; id=one');
    expect(await s.sts.policyFor('example.com')).toEqual(policy('enforce', ['*.example.com']));
    expect(await s.sts.policyFor('EXAMPLE.com')).toEqual(policy('enforce', ['*.example.com']));
    expect(s.fetched).toEqual(['example.com']);
    s.resolver.set('_mta-sts.example.com', { TXT: [['v=STSv1; id=two']] });
    s.answer(() => text('testing', 'mx.example.com'));
    expect(await s.sts.policyFor('example.com')).toMatchObject({ mode: 'testing' });
    expect(s.fetched).toHaveLength(2);
    // §5.1: the TXT record gone, the cached policy still applies until it expires.
    s.resolver.set('_mta-sts.example.com', {});
    expect(await s.sts.policyFor('example.com')).toMatchObject({ mode: 'testing' });
    s.advance(3600 * 1000);
    expect(await s.sts.policyFor('example.com')).toBeNull();
  });

  it('a policy that cannot be fetched or parsed: the cached one, else none (deliver as now)', async () => {
    const s = setup('v=STSv1; id=one');
    s.answer(() => {
      throw new Error('connect ECONNREFUSED');
    });
    expect(await s.sts.policyFor('example.com')).toBeNull();
    s.answer(() => 'garbage');
    expect(await s.sts.policyFor('example.com')).toBeNull();
    s.answer(() => text('enforce', 'mx.example.com'));
    expect(await s.sts.policyFor('example.com')).toMatchObject({ mode: 'enforce' });
    s.resolver.set('_mta-sts.example.com', { TXT: [['v=STSv1; id=two']] });
    s.answer(() => {
      throw new Error('timeout');
    });
    expect(await s.sts.policyFor('example.com')).toMatchObject({ mode: 'enforce', mx: ['mx.example.com'] });
  });
});
