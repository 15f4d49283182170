/**
 * Ports 587 (STARTTLS) and 465 (implicit TLS) end to end with nodemailer, Python smtplib and a raw
 * client: alice's message reaches bob's INBOX with intact bytes, logins need TLS (unless trusted),
 * users send only as themselves, remote recipients wait for the outbound queue, the rate limit holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submissionLimiter } from '../../src/protocols/smtp/rate.js';
import { pyLines, runPython } from './imap-support.js';
import { ALICE, BOB, mailboxMessages, mailer, message, RawSmtp, rawTransaction, startSmtpServer, type SmtpTestServer } from './smtp-support.js';

let s: SmtpTestServer;
const CAROL = { address: 'carol@example.com', password: 'carol-secret' };

beforeAll(async () => {
  s = await startSmtpServer({ users: [ALICE, BOB, CAROL] });
  await s.srv.running.store.addAlias('sales@example.com', 'alice@example.com');
});

afterAll(async () => {
  await s.stop();
});

function plain(user: { address: string; password: string }): string {
  return Buffer.from(`\0${user.address}\0${user.password}`).toString('base64');
}

function tail(got: Buffer | undefined, raw: Buffer): boolean {
  return got !== undefined && got.subarray(got.length - raw.length).equals(raw);
}

describe('smtp submission (587, 465)', () => {
  it('nodemailer over 587 with STARTTLS: alice to bob, bytes intact below Authentication-Results and Received', async () => {
    const raw = message(ALICE.address, BOB.address, 'submitted on 587');
    const t = mailer(s.submission, { secure: false, user: ALICE });
    const info = await t.sendMail({ envelope: { from: ALICE.address, to: [BOB.address] }, raw });
    t.close();
    expect(info.accepted).toEqual([BOB.address]);
    const got = (await mailboxMessages(s.imap, BOB)).find((m) => m.includes('submitted on 587'));
    expect(tail(got, raw)).toBe(true);
    const text = got?.toString('latin1') ?? '';
    expect(text).toMatch(/^Authentication-Results: localhost; auth=pass smtp\.auth=alice@example\.com\r\nReceived: from \S+ \(\[127\.0\.0\.1\]\)\r\n\tby localhost \(Roost\) with ESMTPSA \(TLSv1\.[23]:/);
  });

  it('nodemailer over 465 (implicit TLS), sending as an alias of the user', async () => {
    const raw = message('sales@example.com', BOB.address, 'submitted on 465');
    const t = mailer(s.submissions, { secure: true, user: ALICE });
    const info = await t.sendMail({ envelope: { from: 'sales@example.com', to: [BOB.address] }, raw });
    t.close();
    expect(info.accepted).toEqual([BOB.address]);
    const got = (await mailboxMessages(s.imap, BOB)).find((m) => m.includes('submitted on 465'));
    expect(tail(got, raw)).toBe(true);
  });

  it('Python smtplib: STARTTLS, login, sendmail to two local users', async () => {
    const out = pyLines(await runPython(`
import json, os, smtplib, ssl
A = json.loads(os.environ['ROOST_ARGS'])
s = smtplib.SMTP('127.0.0.1', A['port'])
s.starttls(context=ssl._create_unverified_context())
s.login(A['user'], A['password'])
msg = 'From: <alice@example.com>\\r\\nTo: <bob@example.com>, <carol@example.com>\\r\\nSubject: from smtplib\\r\\n\\r\\nhi\\r\\n'
refused = s.sendmail('alice+out@example.com', ['bob@example.com', 'carol@example.com'], msg)
print(json.dumps({'refused': len(refused)}))
s.quit()
`, { port: s.submission, user: ALICE.address, password: ALICE.password }));
    expect(out[0]?.['refused']).toBe(0);
    expect((await mailboxMessages(s.imap, BOB)).some((m) => m.includes('Subject: from smtplib'))).toBe(true);
    expect((await mailboxMessages(s.imap, CAROL)).some((m) => m.includes('Subject: from smtplib'))).toBe(true);
  });

  it('refuses AUTH before STARTTLS from an untrusted address, and MAIL before AUTH', async () => {
    const { c } = await RawSmtp.connect(s.submission, { localAddress: '127.0.0.2' });
    const ehlo = await c.command('EHLO client.example');
    expect(ehlo).toMatch(/STARTTLS/);
    // No invitation to send a password in the clear (RFC 4954 §4).
    expect(ehlo).not.toMatch(/AUTH/);
    expect(await c.command(`AUTH PLAIN ${plain(ALICE)}`)).toMatch(/^538 5\.7\.11 /);
    expect(await c.command('AUTH LOGIN')).toMatch(/^538 5\.7\.11 /);
    expect(await c.command('MAIL FROM:<alice@example.com>')).toMatch(/^530 5\.7\.0 /);
    expect(await c.starttls()).toMatch(/^220 /);
    expect(await c.command('EHLO client.example')).toMatch(/AUTH PLAIN LOGIN/);
    expect(await c.command(`AUTH PLAIN ${plain({ ...ALICE, password: 'wrong' })}`)).toMatch(/^535 5\.7\.8 /);
    expect(await c.command(`AUTH PLAIN ${plain(ALICE)}`)).toMatch(/^235 /);
    c.close();
  });

  it('lets a trusted client (the server\'s own address) log in without TLS, like IMAP and POP3', async () => {
    const { c } = await RawSmtp.connect(s.submission);
    expect(await c.command('EHLO localhost')).toMatch(/AUTH PLAIN LOGIN/);
    expect(await c.command(`AUTH PLAIN ${plain(ALICE)}`)).toMatch(/^235 /);
    c.close();
  });

  it('refuses spoofed senders in MAIL FROM and in From:', async () => {
    const { c } = await RawSmtp.connect(s.submissions, { tls: true });
    await c.command('EHLO client.example');
    expect(await c.command(`AUTH PLAIN ${plain(ALICE)}`)).toMatch(/^235 /);
    expect(await c.command('MAIL FROM:<bob@example.com>')).toMatch(/^550 5\.7\.1 /);
    expect(await c.command('MAIL FROM:<ceo@bank.example>')).toMatch(/^550 5\.7\.1 /);
    expect(await c.command('MAIL FROM:<>')).toMatch(/^550 5\.7\.1 /);
    let r = await rawTransaction(c, ALICE.address, [BOB.address], Buffer.concat([message('bob@example.com', BOB.address, 'spoofed from'), Buffer.from('.\r\n')]));
    expect(r.at(-1)).toMatch(/^550 5\.7\.1 From: <bob@example\.com>/);
    const two = Buffer.from('From: <alice@example.com>\r\nFrom: <bob@example.com>\r\nSubject: two froms\r\n\r\nx\r\n.\r\n');
    r = await rawTransaction(c, ALICE.address, [BOB.address], two);
    expect(r.at(-1)).toMatch(/^550 5\.7\.1 /);
    c.close();
    const bob = await mailboxMessages(s.imap, BOB);
    expect(bob.some((m) => m.includes('spoofed from') || m.includes('two froms'))).toBe(false);
  });

  it('accepts remote recipients for the outbound queue and refuses unknown local ones', async () => {
    const { c } = await RawSmtp.connect(s.submissions, { tls: true });
    await c.command('EHLO client.example');
    await c.command(`AUTH PLAIN ${plain(ALICE)}`);
    expect(await c.command('MAIL FROM:<alice@example.com>')).toMatch(/^250 /);
    expect(await c.command('RCPT TO:<friend@elsewhere.example>')).toMatch(/^250 /);
    expect(await c.command('RCPT TO:<nobody@example.com>')).toMatch(/^550 5\.1\.1 /);
    // No DATA: nothing is queued.
    expect(await c.command('RSET')).toMatch(/^250 /);
    c.close();
    expect(await s.srv.running.store.listQueue()).toEqual([]);
  });

  it('rejects bare LF on submission too', async () => {
    const { c } = await RawSmtp.connect(s.submissions, { tls: true });
    await c.command('EHLO client.example');
    await c.command(`AUTH PLAIN ${plain(ALICE)}`);
    const r = await rawTransaction(c, ALICE.address, [BOB.address], Buffer.from('From: <alice@example.com>\r\nSubject: lf\r\n\r\na\nb\r\n.\r\n'));
    expect(r.at(-1)).toMatch(/^554 5\.6\.0 /);
    c.close();
  });

  it('limits messages per user and hour (450 4.7.1)', async () => {
    const limiter = submissionLimiter(s.srv.running.store);
    const carol = await s.srv.running.store.getAccountByAddress(CAROL.address);
    if (carol === null) throw new Error('no carol');
    while (limiter.allows(carol.id)) limiter.record(carol.id);
    const { c } = await RawSmtp.connect(s.submissions, { tls: true });
    await c.command('EHLO client.example');
    await c.command(`AUTH PLAIN ${plain(CAROL)}`);
    expect(await c.command('MAIL FROM:<carol@example.com>')).toMatch(/^450 4\.7\.1 /);
    c.close();
    // Another user is not affected.
    const t = mailer(s.submissions, { secure: true, user: BOB });
    const info = await t.sendMail({ envelope: { from: BOB.address, to: [ALICE.address] }, raw: message(BOB.address, ALICE.address, 'bob is fine') });
    t.close();
    expect(info.accepted).toEqual([ALICE.address]);
  });
});
