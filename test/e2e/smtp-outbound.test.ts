/**
 * Outbound delivery between two Roost instances on loopback: A (a.test) delivers to B (b.test)
 * through its queue, B's port 25 named by A's `[smtp] mx_override`. DNS is a static zone on each side
 * (B verifies A's DKIM signature against the record `roost domain dkim` would print).
 */
import { dkimVerify } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dkimRecord, ensureDkimKey } from '../../src/delivery/dkim.js';
import { mailauthResolver } from '../../src/delivery/dns.js';
import { StaticResolver } from '../../src/delivery/dns-static.js';
import type { TestUser } from '../helpers/server.js';
import { waitFor } from './smtp-outbound-support.js';
import { mailboxMessages, mailer, message, startSmtpServer, type SmtpTestServer } from './smtp-support.js';

const ALICE: TestUser = { address: 'alice@a.test', password: 'alice-secret' };
const BOB: TestUser = { address: 'bob@b.test', password: 'bob-secret' };

let a: SmtpTestServer;
let b: SmtpTestServer;
let zone: StaticResolver;

beforeAll(async () => {
  b = await startSmtpServer({ users: [BOB], hostname: 'mx.b.test' });
  a = await startSmtpServer({
    users: [ALICE], hostname: 'mx.a.test',
    extraToml: `[smtp]\nmx_override = { "b.test" = "127.0.0.1:${b.smtp}" }\nretry_schedule = [1]\n`,
  });
  // A's key, published where B (and our own verifier) look for it.
  const key = await ensureDkimKey(a.srv.running.store, 'a.test');
  const record = dkimRecord(key);
  b.resolver.set(record.name, { TXT: [[record.value]] });
  zone = new StaticResolver({ [record.name]: { TXT: [[record.value]] } });
}, 60_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

async function submit(to: string[], subject: string, body?: string): Promise<Buffer> {
  const raw = message(ALICE.address, to.join(', '), subject, body);
  const t = mailer(a.submission, { secure: false, user: ALICE });
  try {
    const info = await t.sendMail({ envelope: { from: ALICE.address, to }, raw });
    expect(info.response).toMatch(/^250 /);
  } finally {
    t.close();
  }
  return raw;
}

function subjectIs(subject: string): (m: Buffer) => boolean {
  return (m) => m.toString('latin1').includes(`\r\nSubject: ${subject}\r\n`);
}

async function arrived(user: TestUser, port: number, subject: string): Promise<Buffer> {
  return waitFor(`"${subject}" for ${user.address}`, async () => (await mailboxMessages(port, user)).find(subjectIs(subject)));
}

describe('outbound delivery between two Roost instances', () => {
  it('alice@a.test submits to bob@b.test: bob gets the intact message with a valid DKIM signature', async () => {
    const body = 'Hello Bob,\r\n.leading dot and ümlaut bytes\r\n\r\n-- \r\nAlice\r\n';
    const raw = await submit([BOB.address], 'Across servers', body);
    const got = await arrived(BOB, b.imap, 'Across servers');
    expect(got.subarray(got.length - raw.length)).toEqual(raw);
    const text = got.toString('utf8');
    expect(text).toMatch(/^Return-Path|DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=a\.test;/m);
    // B checked the signature on arrival (its Authentication-Results) …
    expect(text).toMatch(/Authentication-Results: mx\.b\.test;[\s\S]*dkim=pass header\.i=@a\.test header\.s=roost/);
    // … and so does an independent verifier over the bytes B stored.
    const verified = await dkimVerify(got, { resolver: mailauthResolver(zone) });
    expect(verified.results.filter((r) => r.signingDomain === 'a.test').map((r) => r.status.result)).toEqual(['pass']);
    expect(await a.srv.running.store.listQueue()).toEqual([]);
  });

  it('mixed local and remote recipients: the local copy is stored and the remote one queued before the 250', async () => {
    await submit([ALICE.address, BOB.address], 'Both sides');
    // The local copy is there as soon as the 250 came.
    expect((await mailboxMessages(a.imap, ALICE)).some(subjectIs('Both sides'))).toBe(true);
    await arrived(BOB, b.imap, 'Both sides');
  });

  it('a receiver that is down: the row is deferred, then delivered once it is back', async () => {
    const smtp = b.srv.running.listeners.find((l) => l.name === 'smtp');
    if (smtp === undefined) throw new Error('no smtp listener');
    await smtp.server.close();
    try {
      await submit([BOB.address], 'After the outage');
      const row = await waitFor('a deferred row', async () => (await a.srv.running.store.listQueue()).find((r) => r.attempts >= 1));
      expect(row.recipient).toBe(BOB.address);
      expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await smtp.server.listen('127.0.0.1', b.smtp, 'starttls');
    }
    await arrived(BOB, b.imap, 'After the outage');
    await waitFor('an empty queue', async () => (await a.srv.running.store.listQueue()).length === 0);
  });

  it('a receiver that refuses the recipient (550): a DSN bounce arrives in alice\'s INBOX, and nothing is retried', async () => {
    await submit(['nobody@b.test'], 'To nobody');
    const bounce = await arrived(ALICE, a.imap, 'Undelivered Mail Returned to Sender');
    const text = bounce.toString('utf8');
    expect(text).toContain('Content-Type: multipart/report; report-type=delivery-status;');
    expect(text).toContain('Final-Recipient: rfc822; nobody@b.test\r\nAction: failed\r\nStatus: 5.1.1\r\n');
    expect(text).toMatch(/Diagnostic-Code: smtp; 550 5\.1\.1 <nobody@b\.test>: no such user here/);
    const returned = text.slice(text.indexOf('Content-Type: text/rfc822-headers'));
    expect(returned).toContain('\r\nFrom: <alice@a.test>\r\nTo: <nobody@b.test>\r\nSubject: To nobody\r\n');
    expect(await a.srv.running.store.listQueue()).toEqual([]);
  });
});
