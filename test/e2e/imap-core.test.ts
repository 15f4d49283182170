/**
 * IMAP end to end, one session at a time: connection and authentication (STARTTLS, implicit TLS,
 * LOGINDISABLED, SASL, throttling, ID, ENABLE, LOGOUT, states), FETCH of every item over the MimeKit
 * corpus, and STORE. Real server (in-process, same composition root as the binary), real clients:
 * a raw socket for exact bytes, imapflow, and Python's imaplib.
 */
import { createHash } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/mime/index.js';
import { startServerInProcess, type InProcessServer } from '../helpers/server.js';
import { corpus, decodeQp, headerEnd, literalAfter, populate, PY_PRELUDE, pyLines, RawImap, runPython } from './imap-support.js';

const ALICE = { address: 'alice@example.com', password: 'alice-secret' };
const BOB = { address: 'bob@example.com', password: 'bob-secret' };

let srv: InProcessServer;
let imapPort: number;
let imapsPort: number;

beforeAll(async () => {
  srv = await startServerInProcess({ users: [ALICE, BOB], listeners: ['imap', 'imaps'] });
  imapPort = srv.ports.imap!;
  imapsPort = srv.ports.imaps!;
});

afterAll(async () => {
  await srv?.stop();
});

function flow(opts: { port?: number; secure?: boolean; user?: string; pass?: string; loginMethod?: string } = {}): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1',
    port: opts.port ?? imapPort,
    secure: opts.secure ?? false,
    auth: { user: opts.user ?? ALICE.address, pass: opts.pass ?? ALICE.password, ...(opts.loginMethod !== undefined ? { loginMethod: opts.loginMethod } : {}) },
    tls: { rejectUnauthorized: false },
    logger: false,
    disableAutoIdle: true,
  });
}

async function greeted(port = imapPort, opts: { localAddress?: string; tls?: boolean } = {}): Promise<{ c: RawImap; greeting: string }> {
  const c = await RawImap.connect(port, opts);
  const greeting = await c.next();
  return { c, greeting };
}

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

describe('connection and authentication', () => {
  it('greets with its capabilities and changes them after STARTTLS and login', async () => {
    const { c, greeting } = await greeted();
    expect(greeting).toMatch(/^\* OK \[CAPABILITY [^\]]*\bIMAP4rev2\b[^\]]*\bSTARTTLS\b[^\]]*\] /);
    // 127.0.0.1 talking to 127.0.0.1 is the server's own address: plaintext login allowed.
    expect(greeting).toContain('AUTH=PLAIN');
    expect(greeting).not.toContain('LOGINDISABLED');
    const st = await c.command('STARTTLS');
    expect(st.status).toMatch(/^OK/);
    await c.startTls();
    const caps = await c.command('CAPABILITY');
    expect(caps.untagged[0]).toMatch(/^\* CAPABILITY /);
    expect(caps.untagged[0]).not.toContain('STARTTLS');
    expect(caps.untagged[0]).toContain('AUTH=PLAIN');
    expect((await c.command('STARTTLS')).status).toMatch(/^BAD/);
    const login = await c.command(`LOGIN ${ALICE.address} ${ALICE.password}`);
    expect(login.status).toMatch(/^OK \[CAPABILITY [^\]]*\bIDLE\b[^\]]*\bCONDSTORE\b/);
    expect(login.status).not.toContain('AUTH=PLAIN');
    c.close();
  });

  it('discards plaintext pipelined after STARTTLS, never executing it', async () => {
    const { c } = await greeted();
    // One write: the NOOP must not run, neither before the handshake nor after it.
    c.write('a STARTTLS\r\nb NOOP\r\n');
    expect(await c.next()).toMatch(/^a OK/);
    expect(await c.drainFor(100)).toEqual([]);
    await c.startTls();
    const r = await c.command('NOOP');
    expect(r.status).toMatch(/^OK/);
    expect(r.untagged).toEqual([]);
    expect(await c.drainFor(150)).toEqual([]);
    c.close();
  });

  it('injected plaintext commands after STARTTLS make the handshake fail instead of running', async () => {
    const { c } = await greeted();
    c.write(`a STARTTLS\r\nb LOGIN ${ALICE.address} ${ALICE.password}\r\nc SELECT INBOX\r\n`);
    expect(await c.next()).toMatch(/^a OK/);
    const more = await c.drainFor(150);
    expect(more.filter((l) => /^[bc] /.test(l))).toEqual([]);
    c.close();
  });

  it('works over implicit TLS (993) with imapflow and imaplib', async () => {
    const client = flow({ port: imapsPort, secure: true });
    await client.connect();
    expect(client.secureConnection).toBe(true);
    const box = await client.mailboxOpen('INBOX');
    expect(box.path).toBe('INBOX');
    await client.logout();

    const out = pyLines(await runPython(PY_PRELUDE + `
M = imaplib.IMAP4_SSL('127.0.0.1', A['port'], ssl_context=unverified())
out(caps=list(M.capabilities))
typ, data = M.login(A['user'], A['pw'])
out(login=typ)
typ, data = M.select('INBOX')
out(select=typ)
M.logout()
`, { port: imapsPort, user: ALICE.address, pw: ALICE.password }));
    expect(out[0]!['caps']).toContain('AUTH=PLAIN');
    expect(out[0]!['caps']).not.toContain('STARTTLS');
    expect(out[1]!['login']).toBe('OK');
    expect(out[2]!['select']).toBe('OK');
  });

  it('STARTTLS then LOGIN with imaplib and imapflow', async () => {
    const out = pyLines(await runPython(PY_PRELUDE + `
M = imaplib.IMAP4('127.0.0.1', A['port'])
out(before=list(M.capabilities))
M.starttls(ssl_context=unverified())
out(after=list(M.capabilities))
out(login=M.login(A['user'], A['pw'])[0])
M.logout()
`, { port: imapPort, user: ALICE.address, pw: ALICE.password }));
    expect(out[0]!['before']).toContain('STARTTLS');
    expect(out[1]!['after']).not.toContain('STARTTLS');
    expect(out[2]!['login']).toBe('OK');

    const client = flow();
    await client.connect();
    // imapflow upgraded on its own because STARTTLS was offered.
    expect(client.secureConnection).toBe(true);
    await client.logout();
  });

  describe('from an untrusted address (127.0.0.2 to 127.0.0.1)', () => {
    it('announces LOGINDISABLED and refuses plaintext LOGIN and AUTHENTICATE with PRIVACYREQUIRED', async () => {
      const { c, greeting } = await greeted(imapPort, { localAddress: '127.0.0.2' });
      expect(greeting).toContain('LOGINDISABLED');
      expect(greeting).not.toContain('AUTH=PLAIN');
      expect((await c.command(`LOGIN ${ALICE.address} ${ALICE.password}`)).status).toMatch(/^NO \[PRIVACYREQUIRED\]/);
      expect((await c.command(`AUTHENTICATE PLAIN ${b64(`\0${ALICE.address}\0${ALICE.password}`)}`)).status).toMatch(/^NO \[PRIVACYREQUIRED\]/);
      expect((await c.command('SELECT INBOX')).status).toMatch(/^BAD/);
      // After STARTTLS the same client may log in.
      expect((await c.command('STARTTLS')).status).toMatch(/^OK/);
      await c.startTls();
      const caps = await c.command('CAPABILITY');
      expect(caps.untagged[0]).toContain('AUTH=PLAIN');
      expect(caps.untagged[0]).not.toContain('LOGINDISABLED');
      await c.login();
      c.close();
    });

    it('imaplib sees LOGINDISABLED and a refused LOGIN', async () => {
      const out = pyLines(await runPython(PY_PRELUDE + `
import socket
class Bound(imaplib.IMAP4):
    def _create_socket(self, timeout):
        return socket.create_connection((self.host, self.port), timeout, source_address=('127.0.0.2', 0))
M = Bound('127.0.0.1', A['port'])
out(caps=list(M.capabilities))
try:
    M.login(A['user'], A['pw'])
    out(login='OK')
except imaplib.IMAP4.error as e:
    out(login=str(e))
`, { port: imapPort, user: ALICE.address, pw: ALICE.password }));
      expect(out[0]!['caps']).toContain('LOGINDISABLED');
      // imaplib itself refuses to send LOGIN when the server says LOGINDISABLED.
      expect(String(out[1]!['login'])).toMatch(/LOGINDISABLED|PRIVACYREQUIRED/);
    });

    it('[security] trusted_networks lets that address log in without TLS', async () => {
      const trusted = await startServerInProcess({ listeners: ['imap'], extraToml: '[security]\ntrusted_networks = ["127.0.0.2/32"]\n' });
      try {
        const { c, greeting } = await greeted(trusted.ports.imap!, { localAddress: '127.0.0.2' });
        expect(greeting).not.toContain('LOGINDISABLED');
        await c.login();
        c.close();
        const other = await greeted(trusted.ports.imap!, { localAddress: '127.0.0.3' });
        expect(other.greeting).toContain('LOGINDISABLED');
        other.c.close();
      } finally {
        await trusted.stop();
      }
    });
  });

  it('AUTHENTICATE PLAIN with an initial response (SASL-IR) and with a continuation', async () => {
    const { c } = await greeted();
    const ir = await c.command(`AUTHENTICATE PLAIN ${b64(`\0${ALICE.address}\0${ALICE.password}`)}`);
    expect(ir.status).toMatch(/^OK \[CAPABILITY /);
    c.close();

    const d = (await greeted()).c;
    d.write('x AUTHENTICATE PLAIN\r\n');
    expect(await d.next()).toBe('+ ');
    d.write(`${b64(`${ALICE.address}\0${ALICE.address}\0${ALICE.password}`)}\r\n`);
    expect(await d.next()).toMatch(/^x OK/);
    expect((await d.command('SELECT INBOX')).status).toMatch(/^OK/);
    d.close();

    // imaplib always uses the continuation; imapflow uses SASL-IR.
    const out = pyLines(await runPython(PY_PRELUDE + `
M = imaplib.IMAP4('127.0.0.1', A['port'])
typ, _ = M.authenticate('PLAIN', lambda challenge: ('\\0%s\\0%s' % (A['user'], A['pw'])).encode())
out(auth=typ, state=M.state)
M.logout()
`, { port: imapPort, user: ALICE.address, pw: ALICE.password }));
    expect(out[0]).toEqual({ auth: 'OK', state: 'AUTH' });
    const client = flow({ loginMethod: 'AUTH=PLAIN' });
    await client.connect();
    expect(client.authenticated).toBeTruthy();
    await client.logout();
  });

  it('AUTHENTICATE LOGIN, and "*" cancels an exchange with BAD', async () => {
    const { c } = await greeted();
    c.write('x AUTHENTICATE LOGIN\r\n');
    expect(await c.next()).toBe(`+ ${b64('Username:')}`);
    c.write(`${b64(ALICE.address)}\r\n`);
    expect(await c.next()).toBe(`+ ${b64('Password:')}`);
    c.write('*\r\n');
    expect(await c.next()).toMatch(/^x BAD/);
    // Still not authenticated, still usable.
    expect((await c.command('SELECT INBOX')).status).toMatch(/^BAD/);
    c.write('y AUTHENTICATE LOGIN\r\n');
    await c.next();
    c.write(`${b64(ALICE.address)}\r\n`);
    await c.next();
    c.write(`${b64(ALICE.password)}\r\n`);
    expect(await c.next()).toMatch(/^y OK/);
    c.close();

    const d = (await greeted()).c;
    d.write('z AUTHENTICATE PLAIN\r\n');
    expect(await d.next()).toBe('+ ');
    d.write('not base64!\r\n');
    expect(await d.next()).toMatch(/^z BAD/);
    expect((await d.command('NOOP')).status).toMatch(/^OK/);
    expect((await d.command('AUTHENTICATE CRAM-MD5')).status).toMatch(/^NO/);
    d.close();

    const out = pyLines(await runPython(PY_PRELUDE + `
M = imaplib.IMAP4('127.0.0.1', A['port'])
answers = [A['user'].encode(), A['pw'].encode()]
typ, _ = M.authenticate('LOGIN', lambda challenge: answers.pop(0))
out(auth=typ)
M.logout()
`, { port: imapPort, user: ALICE.address, pw: ALICE.password }));
    expect(out[0]).toEqual({ auth: 'OK' });
  });

  it('a wrong password gets NO [AUTHENTICATIONFAILED], and repeated failures are slowed down more and more', async () => {
    // Over TLS from an address of its own, so these failures count against nothing else.
    const { c } = await greeted(imapsPort, { tls: true, localAddress: '127.0.0.9' });
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now();
      const r = await c.command(`LOGIN ${BOB.address} wrong-${i}`, 20_000);
      times.push(Date.now() - t0);
      expect(r.status).toMatch(/^NO \[AUTHENTICATIONFAILED\]/);
    }
    // LIMITS.auth.failuresPerIpBeforeDelay (3) are answered at once; then 1 s, 2 s …
    expect(Math.max(times[0]!, times[1]!, times[2]!)).toBeLessThan(800);
    expect(times[3]!).toBeGreaterThanOrEqual(900);
    expect(times[4]!).toBeGreaterThanOrEqual(1800);
    expect(times[4]!).toBeGreaterThan(times[3]! + 500);
    // An unknown user is answered exactly like a wrong password.
    const unknown = await c.command('LOGIN nobody@example.com whatever', 20_000);
    expect(unknown.status).toMatch(/^NO \[AUTHENTICATIONFAILED\] Invalid credentials/);
    c.close();
    // Other addresses are not slowed down by this one's failures.
    const other = (await greeted()).c;
    const t0 = Date.now();
    await other.login();
    expect(Date.now() - t0).toBeLessThan(800);
    other.close();
  }, 30_000);

  it('ID answers with the server identity, before and after login', async () => {
    const { c } = await greeted();
    const r = await c.command('ID ("name" "test-client" "version" "1.0")');
    expect(r.status).toMatch(/^OK/);
    expect(r.untagged[0]).toMatch(/^\* ID \("name" "Roost"/);
    expect((await c.command('ID NIL')).untagged[0]).toMatch(/^\* ID \(/);
    c.close();
    const client = flow();
    await client.connect();
    expect(client.serverInfo?.name).toBe('Roost');
    await client.logout();
  });

  it('ENABLE turns on CONDSTORE, QRESYNC, UTF8=ACCEPT and IMAP4rev2 and reports only what changed', async () => {
    const { c } = await greeted();
    expect((await c.command('ENABLE CONDSTORE')).status).toMatch(/^BAD/);
    await c.login();
    const r = await c.command('ENABLE QRESYNC X-UNKNOWN UTF8=ACCEPT');
    expect(r.status).toMatch(/^OK/);
    expect(r.untagged).toEqual(['* ENABLED QRESYNC UTF8=ACCEPT']);
    expect((await c.command('ENABLE CONDSTORE QRESYNC')).untagged).toEqual(['* ENABLED']);
    // rev1 SELECT: RECENT and UNSEEN are there, no LIST.
    await populate(srv.running.store, ALICE.address, 'Enable', [corpus()[0]!.raw]);
    const sel1 = await c.command('SELECT Enable');
    expect(sel1.untagged).toContain('* 0 RECENT');
    expect(sel1.untagged.some((l) => l.startsWith('* LIST'))).toBe(false);
    expect(sel1.untagged).toContain('* OK [UNSEEN 1] First unseen');
    c.close();

    const d = (await greeted()).c;
    await d.login();
    expect((await d.command('ENABLE IMAP4rev2')).untagged).toEqual(['* ENABLED IMAP4rev2']);
    const sel2 = await d.command('SELECT Enable');
    expect(sel2.status).toMatch(/^OK \[READ-WRITE\]/);
    expect(sel2.untagged.some((l) => /RECENT/.test(l))).toBe(false);
    expect(sel2.untagged.some((l) => /\[UNSEEN /.test(l))).toBe(false);
    expect(sel2.untagged.filter((l) => /^\* LIST \([^)]*\) "\/" "?Enable"?$/.test(l))).toHaveLength(1);
    // rev2: selecting another mailbox first reports the old one CLOSED.
    const sel3 = await d.command('EXAMINE INBOX');
    expect(sel3.untagged[0]).toBe('* OK [CLOSED] Previous mailbox is now closed');
    expect(sel3.status).toMatch(/^OK \[READ-ONLY\]/);
    d.close();
  });

  it('LOGOUT answers BYE, then OK, then closes', async () => {
    const { c } = await greeted();
    await c.login();
    const r = await c.command('LOGOUT');
    expect(r.untagged).toEqual(['* BYE Logging out']);
    expect(r.status).toMatch(/^OK/);
    await c.closedPromise;
    expect(c.closed).toBe(true);
  });

  it('commands in the wrong state, unknown commands and bad syntax get BAD; the session goes on', async () => {
    const { c } = await greeted();
    for (const cmd of ['SELECT INBOX', 'FETCH 1 FLAGS', 'LIST "" *', 'IDLE', 'ENABLE QRESYNC', 'STORE 1 +FLAGS (\\Seen)']) {
      expect((await c.command(cmd)).status, cmd).toMatch(/^BAD/);
    }
    await c.login();
    for (const cmd of ['LOGIN a b', 'AUTHENTICATE PLAIN', 'STARTTLS', 'FETCH 1 FLAGS', 'EXPUNGE', 'CLOSE', 'UID FETCH 1 FLAGS', 'FROBNICATE', 'FETCH', 'SELECT']) {
      expect((await c.command(cmd)).status, cmd).toMatch(/^BAD/);
    }
    expect((await c.command('SELECT INBOX')).status).toMatch(/^OK/);
    expect((await c.command('FETCH 1:* (FLAGS')).status).toMatch(/^BAD/);
    expect((await c.command('FETCH 1 (NOSUCHITEM)')).status).toMatch(/^BAD/);
    expect((await c.command('NOOP')).status).toMatch(/^OK/);
    c.close();
  });

  it('NONEXISTENT for a missing mailbox; another user`s mailbox is invisible', async () => {
    await populate(srv.running.store, BOB.address, 'BobPrivate', [corpus()[0]!.raw]);
    const { c } = await greeted();
    await c.login();
    expect((await c.command('SELECT NoSuchBox')).status).toMatch(/^NO \[NONEXISTENT\]/);
    expect((await c.command('SELECT BobPrivate')).status).toMatch(/^NO \[NONEXISTENT\]/);
    expect((await c.command('EXAMINE "BobPrivate"')).status).toMatch(/^NO \[NONEXISTENT\]/);
    c.close();
  });
});

describe('FETCH over the MimeKit corpus', () => {
  const messages = corpus();
  /** UID of each corpus file in the "Corpus" mailbox. */
  const uidOf = new Map<string, number>();
  let c: RawImap;

  beforeAll(async () => {
    const uids = await populate(srv.running.store, ALICE.address, 'Corpus', messages.map((m) => m.raw));
    messages.forEach((m, i) => uidOf.set(m.name, uids[i]!));
    c = (await greeted()).c;
    await c.login();
    expect((await c.command('EXAMINE Corpus')).status).toMatch(/^OK \[READ-ONLY\]/);
  });

  afterAll(() => c.close());

  const uid = (name: string): number => uidOf.get(name)!;
  const raw = (name: string): Buffer => messages.find((m) => m.name === name)!.raw;

  async function fetchOne(name: string, items: string): Promise<string> {
    const r = await c.command(`UID FETCH ${uid(name)} ${items}`);
    expect(r.status, items).toMatch(/^OK/);
    const lines = r.untagged.filter((l) => / FETCH \(/.test(l));
    expect(lines, items).toHaveLength(1);
    return lines[0]!;
  }

  it('BODY.PEEK[] and RFC822.SIZE return every stored message byte for byte', async () => {
    const r = await c.command('FETCH 1:* (UID RFC822.SIZE BODY.PEEK[])');
    expect(r.status).toMatch(/^OK/);
    expect(r.untagged).toHaveLength(messages.length);
    for (const line of r.untagged) {
      const u = Number(/UID (\d+)/.exec(line)![1]);
      const m = messages.find((x) => uidOf.get(x.name) === u)!;
      expect(Number(/RFC822\.SIZE (\d+)/.exec(line)![1]), m.name).toBe(m.raw.length);
      expect(literalAfter(line, 'BODY[]')!.equals(m.raw), m.name).toBe(true);
    }
  });

  it('every part specifier of the RFC 2060 sample message', async () => {
    for (const spec of ['1', '2', '3.1', '3.2', '4.1', '4.2.1', '4.2.2.1', '4.2.2.2']) {
      const line = await fetchOne('rfc2060.txt', `(BODY.PEEK[${spec}])`);
      expect(literalAfter(line, `BODY[${spec}]`)!.toString().trim(), spec).toBe(`This part specifier should be: ${spec}`);
    }
    const three = await fetchOne('rfc2060.txt', '(BODY.PEEK[3.HEADER] BODY.PEEK[3.TEXT] BODY.PEEK[3.MIME] BODY.PEEK[3])');
    expect(literalAfter(three, 'BODY[3.HEADER]')!.toString()).toMatch(/^From: me@myself\.com\n[^]*Subject: This part specifier should be: 3\n[^]*\n\r?\n$/);
    expect(literalAfter(three, 'BODY[3.TEXT]')!.toString()).toMatch(/^--3\.x\n[^]*3\.2\n\n--3\.x--\n?$/);
    expect(literalAfter(three, 'BODY[3.MIME]')!.toString()).toMatch(/^Content-Type: MESSAGE\/RFC822\r?\n\r?\n$/);
    const whole3 = literalAfter(three, 'BODY[3]')!;
    expect(whole3.toString()).toMatch(/^From: me@myself\.com\n/);
    expect(whole3.equals(Buffer.concat([literalAfter(three, 'BODY[3.HEADER]')!, literalAfter(three, 'BODY[3.TEXT]')!]))).toBe(true);

    const fields = await fetchOne('rfc2060.txt', '(BODY.PEEK[4.2.HEADER.FIELDS (SUBJECT to)] BODY.PEEK[HEADER.FIELDS.NOT (From To Content-Type)])');
    expect(literalAfter(fields, 'BODY[4.2.HEADER.FIELDS (SUBJECT to)]')!.toString()).toMatch(/^To: me@myself\.com\r?\nSubject: This part specifier should be: 4\.2\r?\n\r?\n$/);
    const not = literalAfter(fields, 'BODY[HEADER.FIELDS.NOT (From To Content-Type)]')!.toString();
    expect(not).toContain('Subject: Sample message structure for IMAP part specifiers');
    expect(not).toContain('MIME-Version: 1.0');
    expect(not).not.toMatch(/^(From|To|Content-Type):/m);

    const nested = await fetchOne('rfc2060.txt', '(BODY.PEEK[4.2.2.1.MIME] BODY.PEEK[4.2.2])');
    expect(literalAfter(nested, 'BODY[4.2.2.1.MIME]')!.toString()).toMatch(/^Content-Type: TEXT\/PLAIN\r?\n\r?\n$/);
    expect(literalAfter(nested, 'BODY[4.2.2]')!.toString()).toMatch(/^--4\.2\.2\.x\n[^]*4\.2\.2\.2\n\n--4\.2\.2\.x--\n?$/);
  });

  it('HEADER, TEXT, RFC822.HEADER and RFC822.TEXT split the message at the blank line', async () => {
    for (const name of ['body.1.txt', 'simple-multipart.eml', 'japanese.txt', 'rfc2060.txt']) {
      const line = await fetchOne(name, '(BODY.PEEK[HEADER] BODY.PEEK[TEXT] RFC822.HEADER)');
      const end = headerEnd(raw(name));
      expect(literalAfter(line, 'BODY[HEADER]')!.equals(raw(name).subarray(0, end)), name).toBe(true);
      expect(literalAfter(line, 'BODY[TEXT]')!.equals(raw(name).subarray(end)), name).toBe(true);
      expect(literalAfter(line, 'RFC822.HEADER')!.equals(raw(name).subarray(0, end)), name).toBe(true);
    }
  });

  it('partial fetches <origin.size>, including past the end', async () => {
    const m = raw('simple-embedded-message.eml');
    const line = await fetchOne('simple-embedded-message.eml', '(BODY.PEEK[]<10.20> BODY.PEEK[TEXT]<0.5> BODY.PEEK[]<100000.10> BINARY.PEEK[1]<5.4>)');
    expect(literalAfter(line, 'BODY[]<10>')!.equals(m.subarray(10, 30))).toBe(true);
    expect(literalAfter(line, 'BODY[TEXT]<0>')!.equals(m.subarray(headerEnd(m), headerEnd(m) + 5))).toBe(true);
    expect(literalAfter(line, 'BODY[]<100000>')!.length).toBe(0);
    expect(literalAfter(line, 'BINARY[1]<5>')!.toString()).toBe('is t');
  });

  it('BINARY[] decodes base64 and quoted-printable; BINARY.SIZE is the decoded size', async () => {
    const m = raw('simple-multipart.eml');
    const b64part = /Content-Transfer-Encoding: base64\r?\n\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n\r?\n?--/.exec(m.toString('latin1'))![1]!;
    const expected = Buffer.from(b64part.replace(/\s+/g, ''), 'base64');
    const line = await fetchOne('simple-multipart.eml', '(BINARY.PEEK[2] BINARY.SIZE[2] BINARY.PEEK[1] BODY.PEEK[1])');
    expect(literalAfter(line, 'BINARY[2]')!.equals(expected)).toBe(true);
    expect(Number(/BINARY\.SIZE\[2\] (\d+)/.exec(line)![1])).toBe(expected.length);
    expect(literalAfter(line, 'BINARY[1]')!.equals(literalAfter(line, 'BODY[1]')!)).toBe(true);

    const qp = await fetchOne('issue1130.txt', '(BINARY.PEEK[1] BODY.PEEK[1] BINARY.SIZE[1])');
    const decoded = decodeQp(literalAfter(qp, 'BODY[1]')!);
    expect(literalAfter(qp, 'BINARY[1]')!.equals(decoded)).toBe(true);
    expect(Number(/BINARY\.SIZE\[1\] (\d+)/.exec(qp)![1])).toBe(decoded.length);
  });

  it('ENVELOPE, BODY, BODYSTRUCTURE and the metadata items', async () => {
    const line = await fetchOne('body.1.txt', '(ENVELOPE BODY BODYSTRUCTURE UID MODSEQ EMAILID THREADID SAVEDATE PREVIEW INTERNALDATE FLAGS)');
    expect(line).toContain('ENVELOPE ("Sat, 2 Jan 2016 17:42:00 -0400" "MimeMessage.TextBody and HtmlBody tests" (("MimeKit Unit Tests" NIL "mimekit" "mimekit.net"))');
    expect(line).toContain('BODY ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 22 0)');
    expect(line).toContain('BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 22 0 NIL NIL NIL NIL)');
    expect(line).toMatch(new RegExp(`UID ${uid('body.1.txt')}\\b`));
    expect(line).toMatch(/MODSEQ \(\d+\)/);
    expect(line).toMatch(/EMAILID \([A-Za-z0-9_-]+\)/);
    expect(line).toMatch(/THREADID \([A-Za-z0-9_-]+\)/);
    expect(line).toMatch(/SAVEDATE "\d{2}-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d [+-]\d{4}"/);
    expect(line).toMatch(/INTERNALDATE "\d{2}-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d [+-]\d{4}"/);
    expect(line).toContain('PREVIEW "This is the text body."');
    expect(line).toContain('FLAGS ()');
    const multi = await fetchOne('rfc2060.txt', 'BODYSTRUCTURE');
    expect(multi).toMatch(/BODYSTRUCTURE \(\("text" "plain" [^]*"mixed" \("boundary" "x"\) NIL NIL NIL\)\)$/);
  });

  it('the macros ALL, FAST and FULL', async () => {
    const items = (line: string): string[] => [...line.matchAll(/(?:^\* \d+ FETCH \(| )(FLAGS|INTERNALDATE|RFC822\.SIZE|ENVELOPE|BODY|UID) [("\d]/g)].map((m) => m[1]!);
    expect(items(await fetchOne('body.3.txt', 'FAST'))).toEqual(['UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE']);
    expect(items(await fetchOne('body.3.txt', 'ALL'))).toEqual(['UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE']);
    expect(items(await fetchOne('body.3.txt', 'FULL'))).toEqual(['UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY']);
  });

  it('UID FETCH always includes UID; FETCH by number only when asked', async () => {
    // This session asked for MODSEQ earlier (CONDSTORE is on): FLAGS come with their MODSEQ.
    const r = await c.command(`UID FETCH ${uid('body.2.txt')} (FLAGS)`);
    expect(r.untagged[0]).toMatch(new RegExp(`^\\* \\d+ FETCH \\(UID ${uid('body.2.txt')} FLAGS \\(\\) MODSEQ \\(\\d+\\)\\)$`));
    const n = await c.command('FETCH 1 (FLAGS)');
    expect(n.untagged[0]).toMatch(/^\* 1 FETCH \(FLAGS \(\) MODSEQ \(\d+\)\)$/);
    // A UID that does not exist is no error: just no data.
    const none = await c.command('UID FETCH 99999 (FLAGS)');
    expect(none.status).toMatch(/^OK/);
    expect(none.untagged).toEqual([]);
    // A message number past the end is.
    expect((await c.command('FETCH 99999 (FLAGS)')).status).toMatch(/^(BAD|NO)/);
  });

  it('non-PEEK fetches set \\Seen and report the new FLAGS; PEEK and headers do not', async () => {
    await populate(srv.running.store, ALICE.address, 'SeenBox', messages.slice(0, 6).map((m) => m.raw));
    const w = (await greeted()).c;
    await w.login();
    await w.command('SELECT SeenBox');
    const peek = await w.command('FETCH 1 (BODY.PEEK[] BINARY.PEEK[1] RFC822.HEADER BODY.PEEK[HEADER])');
    expect(peek.untagged[0]).not.toContain('FLAGS');
    expect((await w.command('FETCH 1 (FLAGS)')).untagged).toEqual(['* 1 FETCH (FLAGS ())']);
    for (const [n, item] of [[1, 'BODY[]'], [2, 'BODY[TEXT]'], [3, 'RFC822'], [4, 'RFC822.TEXT'], [5, 'BINARY[1]']] as const) {
      const r = await w.command(`FETCH ${n} (${item})`);
      expect(r.untagged, item).toHaveLength(1);
      expect(r.untagged[0], item).toMatch(/ FLAGS \(\\Seen\)\)$/);
      // Only once: the flag is set now.
      expect((await w.command(`FETCH ${n} (${item})`)).untagged[0], item).not.toContain('FLAGS');
    }
    // FLAGS asked for explicitly is not repeated.
    const both = await w.command('FETCH 6 (FLAGS BODY[1])');
    expect(both.untagged[0]!.match(/FLAGS/g)).toHaveLength(1);
    expect(both.untagged[0]).toMatch(/FLAGS \(\\Seen\)/);
    expect((await w.command('FETCH 1:6 (FLAGS)')).untagged).toEqual([
      '* 1 FETCH (FLAGS (\\Seen))', '* 2 FETCH (FLAGS (\\Seen))', '* 3 FETCH (FLAGS (\\Seen))', '* 4 FETCH (FLAGS (\\Seen))',
      '* 5 FETCH (FLAGS (\\Seen))', '* 6 FETCH (FLAGS (\\Seen))',
    ]);
    w.close();
  });

  it('imapflow reads sources, structures, envelopes, headers and parts', async () => {
    const client = flow();
    await client.connect();
    const lock = await client.getMailboxLock('Corpus', { readOnly: true });
    try {
      const all = await client.fetchAll('1:*', { uid: true, source: true, envelope: true, bodyStructure: true, size: true, flags: true, internalDate: true, threadId: true }, { uid: false });
      expect(all).toHaveLength(messages.length);
      for (const msg of all) {
        const m = messages.find((x) => uidOf.get(x.name) === msg.uid)!;
        expect(msg.source!.equals(m.raw), m.name).toBe(true);
        expect(msg.size).toBe(m.raw.length);
        expect(msg.emailId).toBeTruthy();
        expect(msg.threadId).toBeTruthy();
      }
      const one = all.find((x) => x.uid === uid('rfc2060.txt'))!;
      expect(one.envelope!.subject).toBe('Sample message structure for IMAP part specifiers');
      expect(one.bodyStructure!.childNodes!.map((n) => n.part)).toEqual(['1', '2', '3', '4']);
      expect(one.bodyStructure!.childNodes![3]!.childNodes![1]!.type).toBe('message/rfc822');
      const dl = await client.download(String(uid('simple-multipart.eml')), '2', { uid: true });
      const chunks: Buffer[] = [];
      for await (const chunk of dl.content!) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).length).toBeGreaterThan(0);
      const headers = await client.fetchOne(String(uid('body.1.txt')), { headers: ['subject'] }, { uid: true });
      expect(headers && headers.headers!.toString().trim()).toBe('Subject: MimeMessage.TextBody and HtmlBody tests');
    } finally {
      lock.release();
    }
    await client.logout();
  });

  it('imaplib fetches every message intact', async () => {
    const out = pyLines(await runPython(PY_PRELUDE + `
import hashlib
M = imaplib.IMAP4('127.0.0.1', A['port'])
M.login(A['user'], A['pw'])
M.select('Corpus', readonly=True)
typ, data = M.uid('FETCH', '1:*', '(UID BODY.PEEK[] RFC822.SIZE)')
for item in data:
    if isinstance(item, tuple):
        head = item[0].decode()
        uid = int(head.split('UID ')[1].split(' ')[0])
        out(uid=uid, sha=hashlib.sha256(item[1]).hexdigest(), n=len(item[1]))
typ, data = M.fetch('1', '(BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
out(subject=data[0][1].decode().strip())
M.logout()
`, { port: imapPort, user: ALICE.address, pw: ALICE.password }));
    const sums = out.filter((o) => 'sha' in o);
    expect(sums).toHaveLength(messages.length);
    for (const s of sums) {
      const m = messages.find((x) => uidOf.get(x.name) === s['uid'])!;
      expect(s['sha'], m.name).toBe(createHash('sha256').update(m.raw).digest('hex'));
    }
    const first = parseMessage(messages[0]!.raw);
    expect(out.at(-1)!['subject']).toBe(`Subject: ${first.subject}`);
  });
});

describe('STORE', () => {
  let a: RawImap;
  let b: RawImap;
  let uids: number[];

  beforeAll(async () => {
    uids = await populate(srv.running.store, ALICE.address, 'Flags', corpus().slice(0, 6).map((m) => m.raw));
    a = (await greeted()).c;
    b = (await greeted()).c;
    await a.login();
    await b.login();
    expect((await a.command('SELECT Flags')).status).toMatch(/^OK/);
    expect((await b.command('SELECT Flags')).status).toMatch(/^OK/);
  });

  afterAll(() => {
    a.close();
    b.close();
  });

  it('+FLAGS, -FLAGS, FLAGS and .SILENT', async () => {
    expect((await a.command('STORE 1 +FLAGS (\\Flagged)')).untagged).toEqual(['* 1 FETCH (FLAGS (\\Flagged))']);
    expect((await a.command('STORE 1 +FLAGS (\\Seen \\Flagged)')).untagged).toEqual(['* 1 FETCH (FLAGS (\\Seen \\Flagged))']);
    expect((await a.command('STORE 1 -FLAGS (\\Flagged)')).untagged).toEqual(['* 1 FETCH (FLAGS (\\Seen))']);
    expect((await a.command('STORE 1:2 FLAGS (\\Answered \\Draft)')).untagged).toEqual([
      '* 1 FETCH (FLAGS (\\Answered \\Draft))',
      '* 2 FETCH (FLAGS (\\Answered \\Draft))',
    ]);
    const silent = await a.command('STORE 2 +FLAGS.SILENT (\\Seen)');
    expect(silent.status).toMatch(/^OK/);
    expect(silent.untagged).toEqual([]);
    expect((await a.command('FETCH 2 FLAGS')).untagged).toEqual(['* 2 FETCH (FLAGS (\\Seen \\Answered \\Draft))']);
    expect((await a.command('STORE 2 -FLAGS.SILENT (\\Answered \\Draft)')).untagged).toEqual([]);
    expect((await a.command(`UID STORE ${uids[2]} +FLAGS (\\Deleted)`)).untagged).toEqual([`* 3 FETCH (UID ${uids[2]} FLAGS (\\Deleted))`]);
    expect((await a.command(`UID STORE ${uids[2]} FLAGS ()`)).untagged).toEqual([`* 3 FETCH (UID ${uids[2]} FLAGS ())`]);
    // \Recent cannot be stored and is ignored; an unknown system flag is an error.
    expect((await a.command('STORE 4 +FLAGS (\\Recent)')).status).toMatch(/^OK/);
    expect((await a.command('STORE 4 +FLAGS (\\Bogus)')).status).toMatch(/^BAD/);
    // The other session learns each final state on its next NOOP.
    const n = await b.command('NOOP');
    expect(n.untagged).toContain(`* 1 FETCH (UID ${uids[0]} FLAGS (\\Answered \\Draft))`);
    expect(n.untagged).toContain(`* 2 FETCH (UID ${uids[1]} FLAGS (\\Seen))`);
    expect(n.untagged).toContain(`* 3 FETCH (UID ${uids[2]} FLAGS ())`);
  });

  it('a new keyword: FLAGS and PERMANENTFLAGS first, in this session and the others', async () => {
    const r = await a.command('STORE 4 +FLAGS ($Important Project-X)');
    expect(r.untagged[0]).toBe('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Important Project-X)');
    expect(r.untagged[1]).toBe('* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Important Project-X \\*)] Flags permitted');
    expect(r.untagged[2]).toBe('* 4 FETCH (FLAGS ($Important Project-X))');
    const n = await b.command('NOOP');
    expect(n.untagged[0]).toBe('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Important Project-X)');
    expect(n.untagged).toContain(`* 4 FETCH (UID ${uids[3]} FLAGS ($Important Project-X))`);
    // A using a known keyword again announces nothing new.
    expect((await a.command('STORE 5 +FLAGS (project-x)')).untagged.filter((l) => l.startsWith('* FLAGS'))).toEqual([]);
    const c = (await greeted()).c;
    await c.login();
    const sel = await c.command('SELECT Flags');
    expect(sel.untagged).toContain('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Important Project-X)');
    expect(sel.untagged).toContain('* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Important Project-X \\*)] Flags permitted');
    // Read-only: no permanent flags at all, and STORE is refused.
    const ex = await c.command('EXAMINE Flags');
    expect(ex.untagged).toContain('* OK [PERMANENTFLAGS ()] Flags permitted');
    expect((await c.command('STORE 1 +FLAGS (\\Seen)')).status).toMatch(/^NO/);
    expect((await c.command('EXPUNGE')).status).toMatch(/^NO/);
    // EXAMINE never sets \Seen either.
    await c.command('FETCH 6 BODY[]');
    expect((await c.command('FETCH 6 FLAGS')).untagged).toEqual(['* 6 FETCH (FLAGS ())']);
    c.close();
  });

  it('UNCHANGEDSINCE stores only where nothing changed and reports the rest as MODIFIED', async () => {
    await a.command('ENABLE CONDSTORE');
    const f = await a.command('FETCH 5:6 (MODSEQ)');
    const m5 = Number(/^\* 5 FETCH \(MODSEQ \((\d+)\)\)$/.exec(f.untagged[0]!)![1]);
    const m6 = Number(/^\* 6 FETCH \(MODSEQ \((\d+)\)\)$/.exec(f.untagged[1]!)![1]);
    // Someone else changes message 6.
    expect((await b.command('STORE 6 +FLAGS (\\Flagged)')).status).toMatch(/^OK/);
    const r = await a.command(`STORE 5:6 (UNCHANGEDSINCE ${Math.max(m5, m6)}) +FLAGS (\\Answered)`);
    expect(r.status).toMatch(/^OK \[MODIFIED 6\]/);
    const five = r.untagged.find((l) => l.startsWith('* 5 FETCH'))!;
    // With CONDSTORE on, the echo carries UID and MODSEQ (RFC 7162 §3.2.4, §3.1.4.2).
    expect(five).toMatch(new RegExp(`^\\* 5 FETCH \\(UID ${uids[4]} FLAGS \\(\\\\Answered [^)]*\\) MODSEQ \\((\\d+)\\)\\)$`));
    expect(Number(/MODSEQ \((\d+)\)/.exec(five)![1])).toBeGreaterThan(m5);
    // The untagged FETCH for 6 (from b) carries its new flags, without \Answered.
    const six = r.untagged.find((l) => l.startsWith('* 6 FETCH'))!;
    expect(six).toContain('\\Flagged');
    expect(six).not.toContain('\\Answered');
    // UID STORE reports UIDs; UNCHANGEDSINCE 0 fails everywhere (RFC 7162 §3.1.3).
    const u = await a.command(`UID STORE ${uids[4]}:${uids[5]} (UNCHANGEDSINCE 0) +FLAGS (\\Draft)`);
    expect(u.status).toMatch(new RegExp(`^OK \\[MODIFIED ${uids[4]}:${uids[5]}\\]`));
  });

  it('imapflow and imaplib change flags', async () => {
    const client = flow();
    await client.connect();
    const lock = await client.getMailboxLock('Flags');
    try {
      expect(await client.messageFlagsAdd(String(uids[0]), ['\\Flagged', '$Label1'], { uid: true })).toBe(true);
      expect(await client.messageFlagsRemove(String(uids[0]), ['\\Answered'], { uid: true })).toBe(true);
      const m = await client.fetchOne(String(uids[0]), { flags: true }, { uid: true });
      expect(m && [...m.flags!].sort()).toEqual(['$Label1', '\\Draft', '\\Flagged']);
      expect(await client.messageFlagsSet(String(uids[0]), ['\\Seen'], { uid: true })).toBe(true);
    } finally {
      lock.release();
    }
    await client.logout();
    const out = pyLines(await runPython(PY_PRELUDE + `
M = imaplib.IMAP4('127.0.0.1', A['port'])
M.login(A['user'], A['pw'])
M.select('Flags')
typ, data = M.store('1', '+FLAGS', '(\\\\Answered)')
out(typ=typ, data=data)
typ, data = M.fetch('1', '(FLAGS)')
out(flags=data)
M.logout()
`, { port: imapPort, user: ALICE.address, pw: ALICE.password }));
    expect(out[0]!['typ']).toBe('OK');
    expect(String(out[1]!['flags'])).toMatch(/FLAGS \(\\Seen \\Answered\)/);
  });
});

describe('CONDSTORE and QRESYNC FETCH', () => {
  it('CHANGEDSINCE returns only what changed; VANISHED (EARLIER) lists what was expunged', async () => {
    const uids = await populate(srv.running.store, ALICE.address, 'Cond', corpus().slice(0, 6).map((m) => m.raw));
    const a = (await greeted()).c;
    const b = (await greeted()).c;
    await a.login();
    await b.login();
    expect((await a.command('ENABLE QRESYNC')).untagged).toEqual(['* ENABLED QRESYNC']);
    const sel = await a.command('SELECT Cond');
    const h0 = Number(/HIGHESTMODSEQ (\d+)/.exec(sel.untagged.join('\n'))![1]);
    await b.command('SELECT Cond');
    await b.command('STORE 2 +FLAGS (\\Seen)');
    await b.command('STORE 4 +FLAGS (\\Deleted)');
    await b.command('EXPUNGE');
    // CHANGEDSINCE by message number: message 4 is gone but its EXPUNGE is held during FETCH.
    const f = await a.command(`FETCH 1:* (FLAGS) (CHANGEDSINCE ${h0})`);
    expect(f.untagged).toEqual([expect.stringMatching(/^\* 2 FETCH \(FLAGS \(\\Seen\) MODSEQ \(\d+\)\)$/)]);
    expect((await a.command(`FETCH 1:* (FLAGS) (CHANGEDSINCE ${h0} VANISHED)`)).status).toMatch(/^BAD/);
    const u = await a.command(`UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${h0} VANISHED)`);
    expect(u.untagged[0]).toBe(`* VANISHED (EARLIER) ${uids[3]}`);
    expect(u.untagged[1]).toMatch(new RegExp(`^\\* 2 FETCH \\(UID ${uids[1]} FLAGS \\(\\\\Seen\\) MODSEQ \\(\\d+\\)\\)$`));
    // …and then the live VANISHED for this session's view (QRESYNC: no EXPUNGE).
    expect(u.untagged[2]).toBe(`* VANISHED ${uids[3]}`);
    expect(u.untagged).toHaveLength(3);
    a.close();
    b.close();
  });
});
