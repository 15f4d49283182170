/**
 * Outbound routes other than MX: a smarthost with AUTH (`[smtp] smarthost`), and a local alias on
 * port 25 that forwards to another domain (queued with the original sender). The far side is an SMTP
 * sink in this process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../helpers/server.js';
import { startSink, waitFor, type Sink } from './smtp-outbound-support.js';
import { mailer, message, RawSmtp, rawTransaction, startSmtpServer, type SmtpTestServer } from './smtp-support.js';

const ALICE: TestUser = { address: 'alice@a.test', password: 'alice-secret' };

describe('smarthost', () => {
  let relay: Sink;
  let a: SmtpTestServer;

  beforeAll(async () => {
    relay = await startSink({ user: 'relay-user', pass: 'relay-pass' });
    a = await startSmtpServer({
      users: [ALICE], hostname: 'mx.a.test',
      extraToml: `[smtp]\nretry_schedule = [1]\nsmarthost = { host = "127.0.0.1", port = ${relay.port}, tls = "none", username = "relay-user", password = "relay-pass" }\n`,
    });
  }, 60_000);

  afterAll(async () => {
    await a?.stop();
    await relay?.close();
  });

  it('sends every remote message through the relay, logged in, without asking DNS', async () => {
    const t = mailer(a.submission, { secure: false, user: ALICE });
    try {
      const raw = message(ALICE.address, 'x@far.example', 'Via relay');
      await t.sendMail({ envelope: { from: ALICE.address, to: ['x@far.example', 'y@other.example'] }, raw });
    } finally {
      t.close();
    }
    const got = await waitFor('both copies at the relay', async () => (relay.messages.length >= 2 ? relay.messages : undefined));
    expect(got.map((m) => [m.user, m.from, m.to.join()]).sort()).toEqual([
      ['relay-user', ALICE.address, 'x@far.example'], ['relay-user', ALICE.address, 'y@other.example'],
    ]);
    expect(a.resolver.queries.filter((q) => q.startsWith('MX'))).toEqual([]);
    expect(got[0]?.raw.toString()).toContain('DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=a.test;');
  });
});

describe('forwarding alias on port 25', () => {
  let far: Sink;
  let a: SmtpTestServer;

  beforeAll(async () => {
    far = await startSink();
    a = await startSmtpServer({
      users: [ALICE], hostname: 'mx.a.test',
      extraToml: `[smtp]\nretry_schedule = [1]\nmx_override = { "c.test" = "127.0.0.1:${far.port}" }\n`,
    });
    await a.srv.running.store.addAlias('fwd@a.test', 'carol@c.test');
  }, 60_000);

  afterAll(async () => {
    await a?.stop();
    await far?.close();
  });

  it('accepts mail for the alias and queues it to the target with the original sender', async () => {
    const { c } = await RawSmtp.connect(a.smtp);
    try {
      expect(await c.command('EHLO sender.example')).toMatch(/^250/);
      const replies = await rawTransaction(c, 'someone@sender.example', ['fwd@a.test', 'alice@a.test'],
        Buffer.concat([message('someone@sender.example', 'fwd@a.test', 'Forward me'), Buffer.from('.\r\n')]));
      expect(replies.map((r) => r.slice(0, 3))).toEqual(['250', '250', '250', '354', '250']);
    } finally {
      c.close();
    }
    const got = await waitFor('the forwarded copy', async () => far.messages[0]);
    expect(got.from).toBe('someone@sender.example');
    expect(got.to).toEqual(['carol@c.test']);
    expect(got.raw.toString()).toContain('Subject: Forward me');
    // An outside sender's mail goes out signed all the same, by the server's host name.
    expect(got.raw.toString()).toContain('DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=mx.a.test;');
  });
});
