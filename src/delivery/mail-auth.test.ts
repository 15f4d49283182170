import { describe, expect, it } from 'vitest';
import { StaticResolver } from './dns-static.js';
import { authenticateMessage } from './mail-auth.js';

const raw = (from: string): Buffer => Buffer.from(`From: <${from}>\r\nTo: <bob@example.org>\r\nSubject: t\r\n\r\nhi\r\n`);

const resolver = new StaticResolver({
  'good.example': { TXT: [['v=spf1 ip4:192.0.2.10 -all']] },
  '_dmarc.good.example': { TXT: [['v=DMARC1; p=reject']] },
  'lax.example': { TXT: [['v=spf1 -all']] },
  '_dmarc.lax.example': { TXT: [['v=DMARC1; p=none']] },
});

const input = (from: string, ip: string): Parameters<typeof authenticateMessage>[0] => ({
  raw: raw(from), ip, helo: 'client.example', sender: from, mta: 'mx.example.org', resolver,
});

describe('authenticateMessage (mailauth over a static zone)', () => {
  it('passes SPF and DMARC for an authorised address', async () => {
    const v = await authenticateMessage(input('a@good.example', '192.0.2.10'));
    expect(v.dmarc).toBe('pass');
    expect(v.dmarcReject).toBe(false);
    expect(v.headers).toMatch(/^Received-SPF: pass/);
    expect(v.headers).toMatch(/Authentication-Results: mx\.example\.org;[\s\S]*spf=pass[\s\S]*dmarc=pass/);
    expect(v.headers.endsWith('\r\n')).toBe(true);
    expect(v.headers).not.toMatch(/[^\r]\n/);
  });

  it('flags a DMARC failure of a p=reject domain', async () => {
    const v = await authenticateMessage(input('a@good.example', '198.51.100.7'));
    expect(v).toMatchObject({ dmarc: 'fail', dmarcPolicy: 'reject', dmarcReject: true });
  });

  it('does not flag a failure under p=none, nor a domain without DMARC', async () => {
    expect(await authenticateMessage(input('a@lax.example', '198.51.100.7'))).toMatchObject({ dmarc: 'fail', dmarcReject: false });
    expect(await authenticateMessage(input('a@nodns.example', '198.51.100.7'))).toMatchObject({ dmarc: 'none', dmarcReject: false });
  });

  it('records a broken resolver as a temporary error instead of throwing', async () => {
    const broken = { resolve: () => Promise.reject(new Error('boom')), reverse: () => Promise.resolve([]) };
    const v = await authenticateMessage({ ...input('a@good.example', '192.0.2.10'), resolver: broken });
    expect(v.dmarcReject).toBe(false);
    expect(v.headers).toMatch(/Authentication-Results: mx\.example\.org;[\s\S]*temperror/);
  });

  it('never throws, even when the checks themselves fail', async () => {
    const v = await authenticateMessage({ ...input('a@good.example', '192.0.2.10'), raw: null as unknown as Buffer });
    expect(v.dmarcReject).toBe(false);
    expect(v.headers).toMatch(/^Authentication-Results: mx\.example\.org; none \(checks failed: /);
  });
});
