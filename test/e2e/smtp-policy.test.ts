/**
 * Port 25 policy end to end with a static DNS zone: DMARC p=reject failures refused (the default) or
 * filed in Junk (`[smtp] dmarc_reject = "junk"`), DKIM-less SPF-aligned mail passes DMARC, aliases that
 * forward to another domain wait, and the per-address connection limit holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Zone } from '../../src/delivery/dns-static.js';
import { BOB, mailboxMessages, message, RawSmtp, rawTransaction, startSmtpServer, type SmtpTestServer } from './smtp-support.js';

const ZONE: Zone = {
  // Publishes p=reject, and its SPF does not allow loopback: mail claiming to be from it fails DMARC.
  'bank.example': { TXT: [['v=spf1 ip4:192.0.2.1 -all']] },
  '_dmarc.bank.example': { TXT: [['v=DMARC1; p=reject']] },
  // Allows loopback in SPF, so its mail passes DMARC through SPF alignment.
  'good.example': { TXT: [['v=spf1 ip4:127.0.0.1 -all']] },
  '_dmarc.good.example': { TXT: [['v=DMARC1; p=reject']] },
  // Publishes p=quarantine and fails SPF for loopback: its failing mail goes to Junk.
  'shop.example': { TXT: [['v=spf1 ip4:192.0.2.1 -all']] },
  '_dmarc.shop.example': { TXT: [['v=DMARC1; p=quarantine']] },
};

async function send(port: number, from: string, subject: string): Promise<string[]> {
  const { c } = await RawSmtp.connect(port);
  await c.command('EHLO client.example');
  const r = await rawTransaction(c, from, [BOB.address], Buffer.concat([message(from, BOB.address, subject), Buffer.from('.\r\n')]));
  c.close();
  return r;
}

describe('DMARC with dmarc_reject = "reject" (the default)', () => {
  let s: SmtpTestServer;
  beforeAll(async () => {
    s = await startSmtpServer({ zone: ZONE, extraToml: '[security]\nmax_connections_per_ip = 3\n' });
    await s.srv.running.store.addAlias('fwd@example.com', 'someone@elsewhere.example');
  });
  afterAll(async () => {
    await s.stop();
  });

  it('rejects a message failing a p=reject policy with 550 5.7.1 and delivers nothing', async () => {
    const r = await send(s.smtp, 'ceo@bank.example', 'phish reject');
    expect(r.at(-1)).toMatch(/^550 5\.7\.1 .*DMARC/);
    expect((await mailboxMessages(s.imap, BOB)).some((m) => m.includes('phish reject'))).toBe(false);
    expect(s.resolver.queries).toContain('TXT _dmarc.bank.example');
  });

  it('delivers an aligned message of a p=reject domain with dmarc=pass', async () => {
    const r = await send(s.smtp, 'news@good.example', 'aligned ok');
    expect(r.at(-1)).toMatch(/^250 /);
    const got = (await mailboxMessages(s.imap, BOB)).find((m) => m.includes('aligned ok'))?.toString('latin1') ?? '';
    expect(got).toMatch(/dmarc=pass/);
    expect(got).toMatch(/spf=pass/);
  });

  it('files a message failing a p=quarantine policy in Junk (RFC 7489 §6.3)', async () => {
    const r = await send(s.smtp, 'deals@shop.example', 'quarantined offer');
    expect(r.at(-1)).toMatch(/^250 /);
    expect((await mailboxMessages(s.imap, BOB)).some((m) => m.includes('quarantined offer'))).toBe(false);
    expect((await mailboxMessages(s.imap, BOB, 'Junk')).some((m) => m.includes('quarantined offer'))).toBe(true);
  });

  it('refuses a quarantined message whose only recipient forwards elsewhere (it would be neither kept nor sent)', async () => {
    const { c } = await RawSmtp.connect(s.smtp);
    await c.command('EHLO client.example');
    const r = await rawTransaction(c, 'deals@shop.example', ['fwd@example.com'],
      Buffer.concat([message('deals@shop.example', 'fwd@example.com', 'quarantined forward'), Buffer.from('.\r\n')]));
    expect(r.at(-1)).toMatch(/^550 5\.7\.1 .*DMARC/);
    c.close();
  });

  it('removes Authentication-Results fields forged with our name, and keeps other servers\' (RFC 8601 §5)', async () => {
    const { c } = await RawSmtp.connect(s.smtp);
    await c.command('EHLO client.example');
    const forged = 'Authentication-Results: localhost; dkim=pass header.d=bank.example\r\nAuthentication-Results: relay.example; spf=pass\r\n';
    const body = Buffer.concat([Buffer.from(forged), message('news@good.example', BOB.address, 'forged results'), Buffer.from('.\r\n')]);
    const r = await rawTransaction(c, 'news@good.example', [BOB.address], body);
    expect(r.at(-1)).toMatch(/^250 /);
    c.close();
    const got = (await mailboxMessages(s.imap, BOB)).find((m) => m.includes('forged results'))?.toString('latin1') ?? '';
    expect(got).toContain('Authentication-Results: relay.example; spf=pass');
    expect(got).not.toContain('dkim=pass header.d=bank.example');
    expect(got.match(/^Authentication-Results: localhost;/gm)).toHaveLength(1);
  });

  it('accepts an alias that forwards to another domain (its target is queued: smtp-outbound-routes)', async () => {
    const { c } = await RawSmtp.connect(s.smtp);
    await c.command('EHLO client.example');
    await c.command('MAIL FROM:<x@good.example>');
    expect(await c.command('RCPT TO:<fwd@example.com>')).toMatch(/^250 /);
    expect(await c.command('RSET')).toMatch(/^250 /);
    c.close();
  });

  it('holds the per-address connection limit', async () => {
    const open = await Promise.all([1, 2, 3].map(() => RawSmtp.connect(s.smtp)));
    for (const o of open) expect(o.greeting).toMatch(/^220 /);
    const extra = await RawSmtp.connect(s.smtp);
    expect(extra.greeting).toMatch(/^421 4\.7\.0 /);
    extra.c.close();
    for (const o of open) o.c.close();
    // The slots come back once the sessions are gone.
    await new Promise((r) => setTimeout(r, 200));
    const again = await RawSmtp.connect(s.smtp);
    expect(again.greeting).toMatch(/^220 /);
    again.c.close();
  });
});

describe('DMARC with dmarc_reject = "junk"', () => {
  let s: SmtpTestServer;
  beforeAll(async () => {
    s = await startSmtpServer({ zone: ZONE, extraToml: '[smtp]\ndmarc_reject = "junk"\n' });
  });
  afterAll(async () => {
    await s.stop();
  });

  it('files a message failing a p=reject policy in Junk, with dmarc=fail recorded', async () => {
    const r = await send(s.smtp, 'ceo@bank.example', 'phish junk');
    expect(r.at(-1)).toMatch(/^250 /);
    expect((await mailboxMessages(s.imap, BOB)).some((m) => m.includes('phish junk'))).toBe(false);
    const junk = (await mailboxMessages(s.imap, BOB, 'Junk')).find((m) => m.includes('phish junk'))?.toString('latin1') ?? '';
    expect(junk).toMatch(/dmarc=fail/);
    expect(junk).toMatch(/spf=fail/);
  });
});
