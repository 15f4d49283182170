/**
 * Port 25 end to end: mail from the world reaches local accounts (plus-addressing, aliases), gets
 * Received and Authentication-Results headers, is never relayed, and nothing with bare line endings or
 * smuggling sequences is accepted. DNS comes from a static zone.
 */
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pyLines, runPython } from './imap-support.js';
import { ALICE, BOB, mailboxMessages, message, RawSmtp, rawTransaction, startSmtpServer, type SmtpTestServer } from './smtp-support.js';

let s: SmtpTestServer;

beforeAll(async () => {
  s = await startSmtpServer({
    zone: {
      // sender.example authorises the loopback address: SPF pass.
      'sender.example': { TXT: [['v=spf1 ip4:127.0.0.1 -all']] },
    },
  });
  await s.srv.running.store.addAlias('team@example.com', 'bob@example.com');
  await s.srv.running.store.addAlias('bobby@example.com', 'bob@example.com');
  // catch.example: everything to bob, except sales@ (its own alias) which goes to alice.
  await s.srv.running.store.addAlias('@catch.example', 'bob@example.com');
  await s.srv.running.store.addAlias('sales@catch.example', 'alice@example.com');
});

afterAll(async () => {
  await s.stop();
});

async function ehlo(): Promise<RawSmtp> {
  const { c, greeting } = await RawSmtp.connect(s.smtp);
  expect(greeting).toMatch(/^220 /);
  expect(await c.command('EHLO client.sender.example')).toMatch(/^250/);
  return c;
}

describe('smtp inbound (port 25)', () => {
  it('advertises the extensions and no AUTH', async () => {
    const { c } = await RawSmtp.connect(s.smtp);
    const r = await c.command('EHLO client.sender.example');
    for (const ext of ['PIPELINING', '8BITMIME', 'SMTPUTF8', 'ENHANCEDSTATUSCODES', 'STARTTLS', 'SIZE 52428800', 'CHUNKING']) expect(r).toContain(ext);
    expect(r).not.toContain('AUTH');
    c.close();
  });

  it('delivers to a local account with intact bytes below the added headers', async () => {
    const c = await ehlo();
    const raw = message('someone@sender.example', BOB.address, 'inbound plain');
    const replies = await rawTransaction(c, 'someone@sender.example', [BOB.address], Buffer.concat([raw, Buffer.from('.\r\n')]));
    expect(replies.at(-1)).toMatch(/^250 2\.6\.0 /);
    c.close();
    const inbox = await mailboxMessages(s.imap, BOB);
    const got = inbox.find((m) => m.includes('inbound plain'));
    expect(got).toBeDefined();
    const text = (got as Buffer).toString('latin1');
    // Our fields, in order, above the message as it came: the results, then our Received.
    const names = text.slice(0, text.length - raw.length).match(/^[A-Za-z-]+(?=:)/gm);
    expect(names).toEqual(['Received-SPF', 'Authentication-Results', 'Received']);
    expect(text).toMatch(/Authentication-Results: localhost;[\s\S]*spf=pass/);
    expect(text).toMatch(/Received: from client\.sender\.example \(\[127\.0\.0\.1\]\)\r\n\tby localhost \(Roost\) with ESMTP id \S+\r\n\tfor <bob@example\.com>;\r\n\t\w{3}, /);
    expect((got as Buffer).subarray((got as Buffer).length - raw.length).equals(raw)).toBe(true);
  });

  function countWith(msgs: Buffer[], marker: string): number {
    return msgs.filter((m) => m.includes(marker)).length;
  }

  it('delivers plus-addressed mail to the account, and two aliases of one account once', async () => {
    const c = await ehlo();
    let r = await rawTransaction(c, 'x@sender.example', ['bob+lists@example.com'], Buffer.concat([message('x@sender.example', 'bob+lists@example.com', 'plus tag'), Buffer.from('.\r\n')]));
    expect(r.at(-1)).toMatch(/^250 /);
    r = await rawTransaction(c, 'x@sender.example', ['team@example.com', 'bobby@example.com', BOB.address, ALICE.address],
      Buffer.concat([message('x@sender.example', 'team@example.com', 'two aliases'), Buffer.from('.\r\n')]));
    expect(r.slice(1, 5).every((x) => x.startsWith('250 2.1.5'))).toBe(true);
    expect(r.at(-1)).toMatch(/^250 /);
    c.close();
    const bob = await mailboxMessages(s.imap, BOB);
    expect(countWith(bob, 'Subject: plus tag')).toBe(1);
    expect(countWith(bob, 'Subject: two aliases')).toBe(1);
    // Several recipients: the Received header names none of them (RFC 5321 §7.2).
    expect(bob.find((m) => m.includes('Subject: two aliases'))?.toString('latin1')).not.toMatch(/\tfor </);
    expect(countWith(await mailboxMessages(s.imap, ALICE), 'Subject: two aliases')).toBe(1);
  });

  it('a domain\'s catch-all alias takes every address without its own account or alias', async () => {
    const c = await ehlo();
    const r = await rawTransaction(c, 'x@sender.example', ['anything@catch.example', 'Other+tag@CATCH.example', 'sales@catch.example'],
      Buffer.concat([message('x@sender.example', 'anything@catch.example', 'caught by catch-all'), Buffer.from('.\r\n')]));
    expect(r.slice(1, 4).every((x) => x.startsWith('250 2.1.5'))).toBe(true);
    expect(r.at(-1)).toMatch(/^250 /);
    c.close();
    // Two catch-all addresses of bob give him one copy; sales@ reaches alice through its own alias.
    expect(countWith(await mailboxMessages(s.imap, BOB), 'Subject: caught by catch-all')).toBe(1);
    expect(countWith(await mailboxMessages(s.imap, ALICE), 'Subject: caught by catch-all')).toBe(1);
  });

  it('refuses unknown users (550 5.1.1) and never relays (550 5.7.1)', async () => {
    const c = await ehlo();
    expect(await c.command('MAIL FROM:<x@sender.example>')).toMatch(/^250 /);
    expect(await c.command('RCPT TO:<nobody@example.com>')).toMatch(/^550 5\.1\.1 /);
    expect(await c.command('RCPT TO:<victim@elsewhere.example>')).toMatch(/^550 5\.7\.1 .*relay/);
    expect(await c.command('RCPT TO:<Bob@EXAMPLE.com>')).toMatch(/^250 /);
    expect(await c.command('RSET')).toMatch(/^250 /);
    // A relay attempt through the percent hack or a source route is just another unknown/remote address.
    expect(await c.command('MAIL FROM:<x@sender.example>')).toMatch(/^250 /);
    expect(await c.command('RCPT TO:<victim%elsewhere.example@example.com>')).toMatch(/^550 5\.1\.1 /);
    expect(await c.command('DATA')).toMatch(/^503 /);
    c.close();
  });

  const BAD_ENDINGS: Array<[string, string]> = [
    ['bare LF line', 'Subject: bad\r\n\r\nline one\nline two\r\n'],
    ['bare CR line', 'Subject: bad\r\n\r\nline one\rline two\r\n'],
    ['\\n.\\n smuggling', 'Subject: bad\r\n\r\nhello\n.\nMAIL FROM:<ceo@example.com>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\nSubject: smuggled\r\n\r\nhi\r\n'],
    ['\\n.\\r\\n smuggling', 'Subject: bad\r\n\r\nhello\n.\r\nMAIL FROM:<ceo@example.com>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\nSubject: smuggled\r\n\r\nhi\r\n'],
    ['\\r\\n.\\n smuggling', 'Subject: bad\r\n\r\nhello\r\n.\nMAIL FROM:<ceo@example.com>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\nSubject: smuggled\r\n\r\nhi\r\n'],
    ['\\r.\\r smuggling', 'Subject: bad\r\n\r\nhello\r.\rMAIL FROM:<ceo@example.com>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\nSubject: smuggled\r\n\r\nhi\r\n'],
  ];

  for (const [name, body] of BAD_ENDINGS) {
    it(`rejects a message with a ${name} and delivers nothing`, async () => {
      const before = await mailboxMessages(s.imap, BOB);
      const c = await ehlo();
      const r = await rawTransaction(c, 'x@sender.example', [BOB.address], Buffer.from(body + '.\r\n', 'latin1'));
      expect(r.at(-1)).toMatch(/^554 5\.6\.0 /);
      // Exactly one reply to the whole DATA: the smuggled commands were message content, not commands.
      expect(await c.command('NOOP')).toMatch(/^250 /);
      c.close();
      const after = await mailboxMessages(s.imap, BOB);
      expect(after.length).toBe(before.length);
      expect(countWith(after, 'smuggled')).toBe(0);
    });
  }

  it('enforces SIZE: announced and actual', async () => {
    const c = await ehlo();
    expect(await c.command('MAIL FROM:<x@sender.example> SIZE=99999999999')).toMatch(/^552 5\.3\.4 /);
    const big = Buffer.alloc(50 * 1024 * 1024 + 1000, 'a');
    for (let i = 998; i < big.length; i += 1000) big.write('\r\n', i - 2, 'latin1');
    const r = await rawTransaction(c, 'x@sender.example', [BOB.address],
      Buffer.concat([Buffer.from('Subject: too big\r\n\r\n'), big, Buffer.from('\r\n.\r\n')]));
    expect(r.at(-1)).toMatch(/^552 5\.3\.4 /);
    c.close();
    expect(countWith(await mailboxMessages(s.imap, BOB), 'Subject: too big')).toBe(0);
  });

  it('an IMAP IDLE session sees the delivered message at once', async () => {
    const client = new ImapFlow({
      host: '127.0.0.1', port: s.imap, secure: false, auth: { user: BOB.address, pass: BOB.password },
      tls: { rejectUnauthorized: false }, logger: false,
    });
    await client.connect();
    try {
      await client.mailboxOpen('INBOX');
      const seen = new Promise<number>((ok) => client.on('exists', (d: { count: number }) => ok(d.count)));
      const idling = client.idle();
      await new Promise((r) => setTimeout(r, 100));
      const c = await ehlo();
      const r = await rawTransaction(c, 'x@sender.example', [BOB.address], Buffer.concat([message('x@sender.example', BOB.address, 'idle push'), Buffer.from('.\r\n')]));
      expect(r.at(-1)).toMatch(/^250 /);
      c.close();
      const count = await Promise.race([seen, new Promise<number>((_, no) => setTimeout(() => no(new Error('no EXISTS within 3 s')), 3000))]);
      expect(count).toBeGreaterThan(0);
      void idling;
    } finally {
      await client.logout();
    }
  });

  it('accepts mail from Python smtplib (pipelined, 8BITMIME)', async () => {
    const out = pyLines(await runPython(`
import json, os, smtplib
A = json.loads(os.environ['ROOST_ARGS'])
s = smtplib.SMTP('127.0.0.1', A['port'], local_hostname='py.sender.example')
s.ehlo()
msg = 'From: <py@sender.example>\\r\\nTo: <bob@example.com>\\r\\nSubject: from python\\r\\n\\r\\nGr\\u00fc\\u00dfe\\r\\n'.encode('utf-8')
refused = s.sendmail('py@sender.example', ['bob@example.com', 'nobody@example.com'], msg, mail_options=['BODY=8BITMIME'])
print(json.dumps({'refused': {k: [v[0], v[1].decode()] for k, v in refused.items()}}))
s.quit()
`, { port: s.smtp }));
    expect(out[0]?.['refused']).toEqual({ 'nobody@example.com': [550, expect.stringMatching(/^5\.1\.1 /) as unknown] });
    const got = (await mailboxMessages(s.imap, BOB)).find((m) => m.includes('Subject: from python'));
    expect(got?.includes(Buffer.from('Grüße', 'utf8'))).toBe(true);
  });
});
