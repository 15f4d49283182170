/**
 * MTA-STS (RFC 8461) over real HTTPS on loopback: a test CA signs mta-sts.b.test, an HTTPS server on
 * 127.0.0.1 serves the policy, and a static zone points the name there (the fetcher resolves through
 * the DNS port). Then one queued message to b.test under an enforce policy whose mx pattern does not
 * match b.test's MX: the row is deferred and nothing is sent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticResolver } from '../../src/delivery/dns-static.js';
import { attemptDelivery, type AttemptContext } from '../../src/delivery/outbound/attempt.js';
import { httpsPolicyFetcher } from '../../src/delivery/outbound/mta-sts-fetch.js';
import { MtaSts } from '../../src/delivery/outbound/mta-sts.js';
import { SqliteEngine } from '../../src/engines/sqlite/engine.js';
import { nullLogger } from '../../src/shared/logger.js';
import { MailStore } from '../../src/store/store.js';

let ca: string;
let server: Server;
let port: number;
/** What the HTTPS server answers: status, content type, body. */
let answer: { status: number; type: string; body: string; location?: string };

const policy = (mode: string, mx: string): string => `version: STSv1\r\nmode: ${mode}\r\nmx: ${mx}\r\nmax_age: 86400\r\n`;

function zone(): StaticResolver {
  return new StaticResolver({
    'b.test': { MX: [{ exchange: 'mx.b.test', priority: 10 }] },
    'mx.b.test': { A: ['127.0.0.1'] },
    '_mta-sts.b.test': { TXT: [['v=STSv1; id=e2e1']] },
    'mta-sts.b.test': { A: ['127.0.0.1'] },
  });
}

beforeAll(async () => {
  const authority = await generate([{ name: 'commonName', value: 'Roost test CA' }], {
    keySize: 2048, algorithm: 'sha256',
    extensions: [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true }],
  });
  ca = authority.cert;
  const leaf = await generate([{ name: 'commonName', value: 'mta-sts.b.test' }], {
    keySize: 2048, algorithm: 'sha256', ca: { key: authority.private, cert: authority.cert },
    extensions: [{ name: 'basicConstraints', cA: false }, { name: 'subjectAltName', altNames: [{ type: 2, value: 'mta-sts.b.test' }] }],
  });
  server = createServer({ key: leaf.private, cert: leaf.cert }, (req, res) => {
    if (req.url !== '/.well-known/mta-sts.txt') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(answer.status, { 'content-type': answer.type, ...(answer.location !== undefined ? { location: answer.location } : {}) });
    res.end(answer.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  port = address.port;
}, 60_000);

afterAll(async () => {
  await new Promise((ok) => server?.close(ok));
});

describe('policy fetch over HTTPS (RFC 8461 §3.3)', () => {
  it('fetches the policy from mta-sts.<domain>, resolved through the DNS port, with the test CA', async () => {
    answer = { status: 200, type: 'text/plain; charset=utf-8', body: policy('enforce', 'mx.b.test') };
    const fetch = httpsPolicyFetcher({ resolver: zone(), extraCa: ca, port });
    expect(await fetch('b.test')).toBe(answer.body);
  });

  it('refuses an untrusted certificate, a redirect, another type and an oversized body', async () => {
    answer = { status: 200, type: 'text/plain', body: policy('enforce', 'mx.b.test') };
    await expect(httpsPolicyFetcher({ resolver: zone(), port })('b.test')).rejects.toThrow(/certificate/i);
    const fetch = httpsPolicyFetcher({ resolver: zone(), extraCa: ca, port });
    answer = { status: 301, type: 'text/plain', body: '', location: 'https://elsewhere.test/' };
    await expect(fetch('b.test')).rejects.toThrow(/HTTP 301/);
    answer = { status: 200, type: 'text/html', body: policy('enforce', 'mx.b.test') };
    await expect(fetch('b.test')).rejects.toThrow(/text\/plain/);
    answer = { status: 200, type: 'text/plain', body: 'x'.repeat(70 * 1024) };
    await expect(fetch('b.test')).rejects.toThrow(/larger/);
  });
});

describe('enforce policy without a matching MX', () => {
  let dir: string;
  let store: MailStore;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'roost-mta-sts-'));
    store = new MailStore(SqliteEngine.open(dir));
  });

  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('defers the row (retried later) and sends nothing', async () => {
    answer = { status: 200, type: 'text/plain', body: policy('enforce', '*.elsewhere.test') };
    const resolver = zone();
    const ctx: AttemptContext = {
      store, hostname: 'mx.a.test', owner: 'node', logger: nullLogger, now: Date.now,
      route: { resolver, mxOverride: {}, smarthost: null },
      retrySeconds: [60], lifetimeSeconds: 3600, delayNoticeSeconds: 1800,
      mtaSts: new MtaSts({ resolver, fetch: httpsPolicyFetcher({ resolver, extraCa: ca, port }) }),
    };
    const raw = Buffer.from('From: a@a.test\r\nTo: x@b.test\r\nSubject: STS\r\n\r\nhello\r\n');
    const [id] = await store.enqueue('a@a.test', ['x@b.test'], raw);
    const rows = await store.claimQueue('node', 10, 60_000);
    expect(rows.map((r) => r.id)).toEqual([id]);
    await attemptDelivery(ctx, rows);
    const row = await store.engine.getQueueRow(id ?? -1);
    expect(row).toMatchObject({ attempts: 1, lastError: expect.stringContaining('MTA-STS') });
    expect(row?.nextAttemptAt).toBeGreaterThan(Date.now());
    // Only DNS for the route and the policy host: no connection to mx.b.test was needed.
    expect(resolver.queries).toContain('TXT _mta-sts.b.test');
  });
});
