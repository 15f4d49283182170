/**
 * Debian's swaks, a real SMTP client, against ports 25, 587 (STARTTLS, AUTH) and 465 (TLS on connect):
 * delivery into the store seen over IMAP, and the refusals a sender must get (relay, spoofed sender,
 * AUTH before TLS). DNS comes from a static zone. Skipped, with the reason, where swaks is not installed
 * (.ci/run installs it).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB, mailboxMessages, startSmtpServer, type SmtpTestServer } from './smtp-support.js';

const SWAKS = ['/usr/bin/swaks', '/usr/local/bin/swaks'].find((p) => existsSync(p));

let s: SmtpTestServer;

beforeAll(async () => {
  if (SWAKS === undefined) return;
  s = await startSmtpServer({ zone: { 'sender.example': { TXT: [['v=spf1 ip4:127.0.0.1 -all']] } } });
});

afterAll(async () => {
  await s?.stop();
});

function swaks(args: readonly string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(SWAKS!, [...args, '--timeout', '20'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

const server = (port: number): string[] => ['--server', '127.0.0.1', '--port', String(port)];

describe.skipIf(SWAKS === undefined)('swaks', () => {
  it('port 25: delivers to a local account; IMAP sees it with the added headers', async () => {
    const r = await swaks([...server(s.smtp), '--ehlo', 'client.sender.example', '--from', 'someone@sender.example',
      '--to', BOB.address, '--header', 'Subject: swaks inbound', '--body', 'hello from swaks']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/<- {2}250 2\.6\.0 /);
    const got = (await mailboxMessages(s.imap, BOB)).find((m) => m.includes('Subject: swaks inbound'));
    expect(got?.toString('latin1')).toMatch(/^(Received-SPF|Authentication-Results): /);
    expect(got?.toString('latin1')).toContain('hello from swaks');
  });

  it('port 25: a relay attempt and an unknown user are refused at RCPT', async () => {
    const relay = await swaks([...server(s.smtp), '--from', 'someone@sender.example', '--to', 'victim@elsewhere.example']);
    expect(relay.code).not.toBe(0);
    expect(relay.out).toMatch(/<\*\* 550 5\.7\.1 /);
    const unknown = await swaks([...server(s.smtp), '--from', 'someone@sender.example', '--to', 'nobody@example.com']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.out).toMatch(/<\*\* 550 5\.1\.1 /);
  });

  it('port 587: STARTTLS then AUTH PLAIN and LOGIN deliver; a spoofed sender is refused', async () => {
    for (const mech of ['PLAIN', 'LOGIN']) {
      const r = await swaks([...server(s.submission), '--tls', '--auth', mech, '--auth-user', ALICE.address, '--auth-password', ALICE.password,
        '--from', ALICE.address, '--to', BOB.address, '--header', `Subject: swaks 587 ${mech}`, '--body', 'via submission']);
      expect(r.code, r.out).toBe(0);
    }
    const bob = await mailboxMessages(s.imap, BOB);
    expect(bob.filter((m) => m.includes('Subject: swaks 587')).length).toBe(2);
    const spoof = await swaks([...server(s.submission), '--tls', '--auth', 'PLAIN', '--auth-user', ALICE.address, '--auth-password', ALICE.password,
      '--from', BOB.address, '--to', BOB.address]);
    expect(spoof.code).not.toBe(0);
    expect(spoof.out).toMatch(/<~\* 550 5\.7\.1 /);
  });

  it('port 587 from an untrusted address: no AUTH is offered before STARTTLS, so no password is sent', async () => {
    const r = await swaks([...server(s.submission), '--local-interface', '127.0.0.2', '--auth', 'LOGIN', '--auth-user', ALICE.address,
      '--auth-password', ALICE.password, '--from', ALICE.address, '--to', BOB.address, '--header', 'Subject: swaks cleartext']);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('Host did not advertise authentication');
    expect(r.out).not.toMatch(/~> AUTH|-> AUTH/);
    expect((await mailboxMessages(s.imap, BOB)).some((m) => m.includes('Subject: swaks cleartext'))).toBe(false);
  });

  it('port 465: TLS on connect, AUTH, delivery', async () => {
    const r = await swaks([...server(s.submissions), '--tlsc', '--auth', 'PLAIN', '--auth-user', ALICE.address, '--auth-password', ALICE.password,
      '--from', ALICE.address, '--to', BOB.address, '--header', 'Subject: swaks 465', '--body', 'implicit tls']);
    expect(r.code, r.out).toBe(0);
    expect((await mailboxMessages(s.imap, BOB)).some((m) => m.includes('Subject: swaks 465'))).toBe(true);
  });
});
