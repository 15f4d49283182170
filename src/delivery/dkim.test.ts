import { dkimVerify } from 'mailauth';
import { describe, expect, it } from 'vitest';
import { dkimRecord, dkimZoneLine, generateDkimKey, signMessage } from './dkim.js';
import { StaticResolver } from './dns-static.js';
import { mailauthResolver } from './dns.js';

const raw = Buffer.from('From: <alice@a.test>\r\nTo: <bob@b.test>\r\nSubject: Hi\r\nDate: Mon, 2 Jan 2023 10:00:00 +0000\r\n\r\nHello.\r\n');

describe('DKIM signing', () => {
  it('signs with an RSA 2048 key that a verifier accepts through the published record', async () => {
    const key = await generateDkimKey('A.test', 1);
    expect(key).toMatchObject({ domain: 'a.test', selector: 'roost', algorithm: 'rsa-sha256' });
    const record = dkimRecord(key);
    expect(record.name).toBe('roost._domainkey.a.test');
    expect(record.value).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}$/);
    expect(dkimZoneLine(key)).toMatch(/^roost\._domainkey\.a\.test\. IN TXT \( "v=DKIM1; k=rsa; p=[^"]{200,}" "[^"]+" \)$/);
    const signed = await signMessage(raw, key);
    expect(signed.error).toBeNull();
    expect(signed.raw.toString()).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=a\.test;/);
    expect(signed.raw.subarray(signed.raw.length - raw.length)).toEqual(raw);
    const resolver = new StaticResolver({ [record.name]: { TXT: [[record.value]] } });
    const result = await dkimVerify(signed.raw, { resolver: mailauthResolver(resolver) });
    expect(result.results.map((r) => [r.status.result, r.signingDomain])).toEqual([['pass', 'a.test']]);
  });

  it('leaves the message unsigned (and says why) when the key is unusable', async () => {
    const key = { ...(await generateDkimKey('a.test')), privateKey: 'not a key' };
    const out = await signMessage(raw, key);
    expect(out.raw).toBe(raw);
    expect(out.error).not.toBeNull();
  });
});
