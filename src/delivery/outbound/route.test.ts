import { describe, expect, it } from 'vitest';
import { StaticResolver } from '../dns-static.js';
import { isNullMx, orderMx, routeFor, type RouteOptions } from './route.js';

const opts = (zone: ConstructorParameters<typeof StaticResolver>[0], extra: Partial<RouteOptions> = {}): RouteOptions => ({
  resolver: new StaticResolver(zone), mxOverride: {}, smarthost: null, random: () => 0.5, ...extra,
});

describe('MX ordering (RFC 5321 §5.1)', () => {
  it('sorts by preference and shuffles equal preferences', () => {
    const mx = [{ exchange: 'c', priority: 20 }, { exchange: 'a', priority: 10 }, { exchange: 'b', priority: 10 }];
    expect(orderMx(mx, () => 0.5).map((r) => r.exchange)).toEqual(['a', 'b', 'c']);
    const keys = [0.9, 0.1, 0.5];
    let i = 0;
    // a gets 0.1, b 0.5: unchanged; with a 0.9 and b 0.1, b comes first.
    expect(orderMx([{ exchange: 'a', priority: 10 }, { exchange: 'b', priority: 10 }], () => keys[i++] ?? 0).map((r) => r.exchange)).toEqual(['b', 'a']);
  });

  it('knows a null MX (RFC 7505)', () => {
    expect(isNullMx([{ exchange: '.', priority: 0 }])).toBe(true);
    expect(isNullMx([{ exchange: '', priority: 0 }])).toBe(true);
    expect(isNullMx([{ exchange: 'mx.example.net', priority: 0 }])).toBe(false);
  });
});

describe('routeFor', () => {
  it('turns MX hosts, by preference, into their addresses on port 25', async () => {
    const r = await routeFor('example.net', opts({
      'example.net': { MX: [{ exchange: 'mx2.example.net', priority: 20 }, { exchange: 'mx1.example.net.', priority: 10 }] },
      'mx1.example.net': { A: ['192.0.2.1'], AAAA: ['2001:db8::1'] },
      'mx2.example.net': { A: ['192.0.2.2'] },
    }));
    expect(r).toEqual({ kind: 'hops', hops: [
      expect.objectContaining({ host: '192.0.2.1', port: 25, name: 'mx1.example.net', requireTls: false }),
      expect.objectContaining({ host: '2001:db8::1', name: 'mx1.example.net' }),
      expect.objectContaining({ host: '192.0.2.2', name: 'mx2.example.net' }),
    ] });
  });

  it('falls back to the domain\'s own A/AAAA without MX records (implicit MX)', async () => {
    const r = await routeFor('example.net', opts({ 'example.net': { A: ['192.0.2.9'] } }));
    expect(r).toMatchObject({ kind: 'hops', hops: [{ host: '192.0.2.9', port: 25, name: 'example.net' }] });
  });

  it('fails for good on a null MX, a domain that does not exist, or no MX and no address', async () => {
    expect(await routeFor('n.example', opts({ 'n.example': { MX: [{ exchange: '.', priority: 0 }] } })))
      .toMatchObject({ kind: 'fail', permanent: true, status: '5.1.10' });
    expect(await routeFor('gone.example', opts({}))).toMatchObject({ kind: 'fail', permanent: true, status: '5.1.2' });
    expect(await routeFor('txt.example', opts({ 'txt.example': { TXT: [['x']] } }))).toMatchObject({ kind: 'fail', permanent: true });
  });

  it('retries later when the MX hosts have no address yet', async () => {
    const r = await routeFor('example.net', opts({ 'example.net': { MX: [{ exchange: 'mx.example.net', priority: 1 }] } }));
    expect(r).toMatchObject({ kind: 'fail', permanent: false });
  });

  it('uses the override or the smarthost without asking DNS', async () => {
    const o = opts({});
    expect(await routeFor('B.test', { ...o, mxOverride: { 'b.test': { host: '127.0.0.1', port: 2525 } } }))
      .toMatchObject({ kind: 'hops', hops: [{ host: '127.0.0.1', port: 2525, requireTls: false, auth: null }] });
    const smarthost = { host: 'relay.example', port: 465, username: 'u', password: 'p', tls: 'implicit' as const };
    expect(await routeFor('b.test', { ...o, smarthost }))
      .toMatchObject({ kind: 'hops', hops: [{ host: 'relay.example', port: 465, implicitTls: true, auth: { user: 'u', pass: 'p' } }] });
    expect((o.resolver as StaticResolver).queries).toEqual([]);
  });
});
