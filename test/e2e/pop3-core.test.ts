/**
 * POP3 end to end against the real server binary (RFC 1939, with RFC 2449 CAPA/response codes,
 * RFC 2595 STLS and RFC 5034 SASL): CAPA before and after login, USER/PASS and AUTH PLAIN/LOGIN with
 * Python's poplib over STLS and implicit TLS, every TRANSACTION command, RETR's exact bytes against
 * what was appended over IMAP, UIDL stability, the UPDATE state's effect as IMAP sees it (EXPUNGE
 * under IDLE), the maildrop lock and snapshot, and the per-account settings (`roost user pop`).
 */
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ChildServer } from '../helpers/server.js';
import { headerEnd, pyLines, runPython } from './imap-support.js';
import {
  appendOverImap, corpusMessage, CORPUS_PICKS, dottedMessages, expectedRetr, imapClient, imapList, RawPop, setPop,
  simpleMessage, sleep, uniqueId,
} from './pop3-support.js';

interface User {
  address: string;
  password: string;
}
const user = (name: string): User => ({ address: `${name}@example.com`, password: `${name}-secret` });

// One account per area, so that no test sees another's mail, lock or settings.
const ALICE = user('alice');
const BOB = user('bob');
const CAROL = user('carol');
const DAVE = user('dave');
const ERIN = user('erin');
const FRANK = user('frank');
const GINA = user('gina');
const HANK = user('hank');
const IVY = user('ivy');
const JACK = user('jack');
const KATE = user('kate');
const LIAM = user('liam');
const MIA = user('mia');
const NED = user('ned');
const PIA = user('pia');
const RAY = user('ray');
/** RFC 1939 §7 allows spaces in a password; CAPA "UTF8 USER" (RFC 6856 §2.2) promises UTF-8 ones work. */
const QUINN = { address: 'quinn@example.com', password: 'pässwörd with spaces ✓' };
const USERS = [ALICE, BOB, CAROL, DAVE, ERIN, FRANK, GINA, HANK, IVY, JACK, KATE, LIAM, MIA, NED, PIA, QUINN, RAY];

let srv: ChildServer;
let popPort: number;
let popsPort: number;
let imapPort: number;

beforeAll(async () => {
  srv = await startServer({ users: USERS, listeners: ['pop3', 'pop3s', 'imap'] });
  popPort = srv.ports.pop3!;
  popsPort = srv.ports.pop3s!;
  imapPort = srv.ports.imap!;
});

afterAll(async () => {
  await srv?.stop();
});

/**
 * Python prelude: poplib, args, JSON output, and two helpers poplib lacks: CAPA as a list of lines,
 * and RETR/TOP read raw (poplib's own retr() drops the line ends, so it cannot show exact bytes).
 */
const PY = `
import poplib, json, os, ssl, sys, base64, socket
A = json.loads(os.environ['ROOST_ARGS'])
def out(**kw):
    print(json.dumps(kw, default=lambda b: b.decode('latin1') if isinstance(b, bytes) else str(b)), flush=True)
def unverified():
    return ssl._create_unverified_context()
def caps(M):
    return sorted(' '.join([k] + v) for k, v in M.capa().items())
def b64(s):
    return base64.b64encode(s.encode()).decode()
def raw_multi(M, command):
    resp = M._shortcmd(command)
    data = b''
    while True:
        line = M.file.readline()
        if line == b'.\\r\\n':
            break
        if line.startswith(b'.'):
            line = line[1:]
        data += line
    return resp, data
def err(f):
    try:
        return 'no error: ' + repr(f())
    except poplib.error_proto as e:
        return e.args[0].decode('latin1')
`;

async function py(script: string, args: Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
  return pyLines(await runPython(PY + script, args));
}

async function loggedIn(u: User, opts: { tls?: boolean } = {}): Promise<RawPop> {
  const { c, greeting } = await RawPop.greeted(opts.tls === true ? popsPort : popPort, opts);
  expect(greeting).toMatch(/^\+OK /);
  expect(await c.login(u.address, u.password)).toMatch(/^\+OK/);
  return c;
}

async function quit(c: RawPop): Promise<string> {
  const r = await c.cmd('QUIT');
  await c.closedPromise;
  return r;
}

describe('connection, CAPA and login', () => {
  it('greets, lists its capabilities, and changes them after STLS and after login (poplib)', async () => {
    const out = await py(`
M = poplib.POP3('127.0.0.1', A['port'])
out(welcome=M.getwelcome())
out(caps=caps(M))
M.stls(unverified())
out(caps=caps(M))
out(user=M.user(A['user']))
out(pass_=M.pass_(A['pw']))
out(caps=caps(M))
out(stat=M.stat())
out(quit=M.quit())
`, { port: popPort, user: ALICE.address, pw: ALICE.password });
    expect(out[0]!['welcome']).toBe('+OK localhost Roost POP3 server ready');
    // RFC 2449 §6 capabilities; 127.0.0.1 to 127.0.0.1 is the server's own address, so USER and SASL
    // are offered in the clear (RFC 2595 §4 only asks that they not be offered where they are refused).
    const before = out[1]!['caps'] as string[];
    expect(before).toEqual(expect.arrayContaining([
      'TOP', 'UIDL', 'RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING', 'EXPIRE NEVER USER', 'IMPLEMENTATION Roost',
      'UTF8 USER', 'STLS', 'USER', 'SASL PLAIN LOGIN',
    ]));
    expect(before.some((c) => c.startsWith('LOGIN-DELAY'))).toBe(false);
    const afterTls = out[2]!['caps'] as string[];
    expect(afterTls).not.toContain('STLS');
    expect(afterTls).toEqual(expect.arrayContaining(['USER', 'SASL PLAIN LOGIN', 'EXPIRE NEVER USER']));
    expect(out[3]!['user']).toMatch(/^\+OK/);
    expect(out[4]!['pass_']).toMatch(/^\+OK Logged in: 0 messages/);
    // After login (RFC 2449 §6.7): EXPIRE is the account's own value; nothing about logging in is left.
    const after = out[5]!['caps'] as string[];
    expect(after).toEqual(expect.arrayContaining(['TOP', 'UIDL', 'RESP-CODES', 'PIPELINING', 'EXPIRE NEVER', 'IMPLEMENTATION Roost']));
    for (const gone of ['STLS', 'USER', 'SASL PLAIN LOGIN', 'UTF8 USER', 'EXPIRE NEVER USER']) expect(after).not.toContain(gone);
    expect(out[6]!['stat']).toEqual([0, 0]);
    expect(out[7]!['quit']).toMatch(/^\+OK/);
  });

  it('works over implicit TLS (POP3_SSL): no STLS offered, USER/PASS logs in', async () => {
    const out = await py(`
M = poplib.POP3_SSL('127.0.0.1', A['port'], context=unverified())
out(welcome=M.getwelcome())
out(caps=caps(M))
out(stls=err(lambda: M._shortcmd('STLS')))
M.user(A['user'])
out(pass_=M.pass_(A['pw']))
out(caps=caps(M))
out(quit=M.quit())
`, { port: popsPort, user: ALICE.address, pw: ALICE.password });
    expect(out[0]!['welcome']).toMatch(/^\+OK localhost Roost POP3 server ready$/);
    const caps = out[1]!['caps'] as string[];
    expect(caps).not.toContain('STLS');
    expect(caps).toEqual(expect.arrayContaining(['USER', 'SASL PLAIN LOGIN', 'UTF8 USER']));
    expect(out[2]!['stls']).toMatch(/^-ERR /);
    expect(out[3]!['pass_']).toMatch(/^\+OK/);
    expect(out[4]!['caps']).toContain('EXPIRE NEVER');
    expect(out[5]!['quit']).toMatch(/^\+OK/);
  });

  it('AUTH PLAIN and LOGIN, with and without an initial response; "*" cancels (RFC 5034 §4)', async () => {
    const out = await py(`
user, pw = A['user'], A['pw']
def session():
    return poplib.POP3_SSL('127.0.0.1', A['port'], context=unverified())
# Bare AUTH lists the mechanisms (the RFC 1734 probe some clients send).
M = session()
M._putcmd('AUTH')
out(list=M._getlongresp())
# PLAIN with an initial response.
out(plain_ir=M._shortcmd('AUTH PLAIN ' + b64('\\0' + user + '\\0' + pw)))
out(stat=M.stat())
M.quit()
# PLAIN without one: an empty challenge "+ ", then the credentials.
M = session()
out(plain_cont=M._shortcmd('AUTH PLAIN'))
out(plain=M._shortcmd(b64('\\0' + user + '\\0' + pw)))
M.quit()
# LOGIN without an initial response: "Username:" then "Password:".
M = session()
out(login_c1=M._shortcmd('AUTH LOGIN'))
out(login_c2=M._shortcmd(b64(user)))
out(login=M._shortcmd(b64(pw)))
M.quit()
# LOGIN with the user name as initial response.
M = session()
out(login_ir_c=M._shortcmd('AUTH LOGIN ' + b64(user)))
out(login_ir=M._shortcmd(b64(pw)))
M.quit()
# "*" cancels the exchange with -ERR; the session is still in AUTHORIZATION and can log in.
M = session()
out(cancel_c=M._shortcmd('AUTH LOGIN'))
out(cancel=err(lambda: M._shortcmd('*')))
out(stat_before=err(lambda: M.stat()))
out(after_cancel=M._shortcmd('AUTH PLAIN ' + b64('\\0' + user + '\\0' + pw)))
out(auth_again=err(lambda: M._shortcmd('AUTH PLAIN ' + b64('\\0' + user + '\\0' + pw))))
M.quit()
# RFC 4616 §2 authzid: the same user is fine, another one is refused (no proxy logins).
M = session()
out(authz_other=err(lambda: M._shortcmd('AUTH PLAIN ' + b64('bob@example.com\\0' + user + '\\0' + pw))))
out(authz_same=M._shortcmd('AUTH PLAIN ' + b64(user + '\\0' + user + '\\0' + pw)))
M.quit()
# A UTF-8 password with spaces, over AUTH PLAIN and USER/PASS.
M = session()
out(utf8_plain=M._shortcmd('AUTH PLAIN ' + b64('\\0' + A['user2'] + '\\0' + A['pw2'])))
M.quit()
M = session()
M.user(A['user2'])
out(utf8_pass=M.pass_(A['pw2']))
M.quit()
`, { port: popsPort, user: ALICE.address, pw: ALICE.password, user2: QUINN.address, pw2: QUINN.password });
    expect(out[0]!['list']).toEqual(['+OK Mechanisms follow', ['PLAIN', 'LOGIN'], expect.any(Number)]);
    expect(out[1]!['plain_ir']).toMatch(/^\+OK Logged in/);
    expect(out[2]!['stat']).toEqual([0, 0]);
    expect(out[3]!['plain_cont']).toBe('+ ');
    expect(out[4]!['plain']).toMatch(/^\+OK Logged in/);
    expect(out[5]!['login_c1']).toBe('+ VXNlcm5hbWU6');
    expect(out[6]!['login_c2']).toBe('+ UGFzc3dvcmQ6');
    expect(out[7]!['login']).toMatch(/^\+OK Logged in/);
    expect(out[8]!['login_ir_c']).toBe('+ UGFzc3dvcmQ6');
    expect(out[9]!['login_ir']).toMatch(/^\+OK Logged in/);
    expect(out[10]!['cancel_c']).toBe('+ VXNlcm5hbWU6');
    expect(out[11]!['cancel']).toMatch(/^-ERR /);
    expect(out[12]!['stat_before']).toMatch(/^-ERR .*before login/);
    expect(out[13]!['after_cancel']).toMatch(/^\+OK Logged in/);
    // AUTH is an AUTHORIZATION-state command only (RFC 5034 §4).
    expect(out[14]!['auth_again']).toMatch(/^-ERR /);
    expect(out[15]!['authz_other']).toMatch(/^-ERR \[AUTH\] /);
    expect(out[16]!['authz_same']).toMatch(/^\+OK Logged in/);
    expect(out[17]!['utf8_plain']).toMatch(/^\+OK Logged in/);
    expect(out[18]!['utf8_pass']).toMatch(/^\+OK Logged in/);
  });

  it('a wrong password gets -ERR [AUTH] (RFC 3206 §4) over USER/PASS and AUTH, and a later right one works', async () => {
    // From an address of its own so that these failures slow down nothing else.
    const out = await py(`
real = socket.create_connection
socket.create_connection = lambda addr, timeout=None, source_address=None: real(addr, timeout, source_address=('127.0.0.33', 0))
M = poplib.POP3_SSL('127.0.0.1', A['port'], context=unverified())
M.user(A['user'])
out(pass_=err(lambda: M.pass_('wrong')))
out(auth=err(lambda: M._shortcmd('AUTH PLAIN ' + b64('\\0' + A['user'] + '\\0wrong'))))
out(unknown=err(lambda: M.user('nobody@example.com') and M.pass_('x')))
out(nouser=err(lambda: M.pass_(A['pw'])))
M.user(A['user'])
out(ok=M.pass_(A['pw']))
M.quit()
`, { port: popsPort, user: ALICE.address, pw: ALICE.password });
    expect(out[0]!['pass_']).toMatch(/^-ERR \[AUTH\] /);
    expect(out[1]!['auth']).toMatch(/^-ERR \[AUTH\] /);
    // An unknown user is answered exactly like a wrong password.
    expect(out[2]!['unknown']).toBe(out[0]!['pass_']);
    // PASS needs a USER right before it (RFC 1939 §7).
    expect(out[3]!['nouser']).toMatch(/^-ERR /);
    expect(out[4]!['ok']).toMatch(/^\+OK Logged in/);
  });

  it('[pop3] login_delay is announced as LOGIN-DELAY and enforced with -ERR [LOGIN-DELAY] (RFC 2449 §6.8, §8.1.2)', async () => {
    const delayed = await startServer({ users: [ALICE], listeners: ['pop3'], extraToml: '[pop3]\nlogin_delay = 30\n' });
    try {
      const port = delayed.ports.pop3!;
      const { c } = await RawPop.greeted(port);
      expect((await c.multi('CAPA')).lines).toContain('LOGIN-DELAY 30');
      expect(await c.login(ALICE.address, ALICE.password)).toMatch(/^\+OK/);
      expect(await quit(c)).toMatch(/^\+OK/);
      const d = (await RawPop.greeted(port)).c;
      expect(await d.login(ALICE.address, ALICE.password)).toMatch(/^-ERR \[LOGIN-DELAY\] /);
      // The refused login left the session in AUTHORIZATION: still usable.
      expect((await d.multi('CAPA')).status).toMatch(/^\+OK/);
      expect(await quit(d)).toMatch(/^\+OK/);
    } finally {
      await delayed.stop();
    }
  });
});

describe('TRANSACTION commands', () => {
  it('STAT, LIST, UIDL, RETR, TOP, DELE, RSET, NOOP and QUIT with poplib over STLS', async () => {
    const msgs = [simpleMessage('bob one'), simpleMessage('bob two', 'line 1\r\nline 2\r\nline 3\r\n'), simpleMessage('bob three')];
    const { uidValidity, uids } = await appendOverImap(imapPort, BOB, msgs);
    const out = await py(`
M = poplib.POP3('127.0.0.1', A['port'])
M.stls(unverified())
M.user(A['user'])
M.pass_(A['pw'])
out(stat=M.stat())
out(list=M.list())
out(list2=M.list(2))
out(uidl=M.uidl())
out(uidl3=M.uidl(3))
out(retr=M.retr(2))
out(top0=M.top(2, 0))
out(top1=M.top(2, 1))
out(top_big=M.top(2, 1000))
out(noop=M.noop())
out(dele=M.dele(1))
out(stat=M.stat())
out(list=M.list())
out(list1=err(lambda: M.list(1)))
out(retr1=err(lambda: M.retr(1)))
out(dele1=err(lambda: M.dele(1)))
out(retr4=err(lambda: M.retr(4)))
out(rset=M.rset())
out(stat=M.stat())
out(quit=M.quit())
`, { port: popPort, user: BOB.address, pw: BOB.password });
    const sizes = msgs.map((m) => m.length);
    const total = sizes.reduce((a, b) => a + b, 0);
    const lines = (b: Buffer): string[] => b.toString('latin1').replace(/\r\n$/, '').split('\r\n');
    const two = msgs[1]!;
    const head = lines(two.subarray(0, headerEnd(two)));
    expect(out[0]!['stat']).toEqual([3, total]);
    expect(out[1]!['list']).toEqual([`+OK 3 messages (${total} octets)`, sizes.map((s, i) => `${i + 1} ${s}`), expect.any(Number)]);
    expect(out[2]!['list2']).toBe(`+OK 2 ${sizes[1]}`);
    expect((out[3]!['uidl'] as unknown[])[1]).toEqual(uids.map((u, i) => `${i + 1} ${uniqueId(uidValidity, u)}`));
    expect(out[4]!['uidl3']).toBe(`+OK 3 ${uniqueId(uidValidity, uids[2]!)}`);
    expect(out[5]!['retr']).toEqual([`+OK ${sizes[1]} octets`, lines(two), expect.any(Number)]);
    // RFC 1939 §7 TOP msg n: the header, the blank line, then n body lines — all of them when fewer.
    expect((out[6]!['top0'] as unknown[])[1]).toEqual(head);
    expect((out[7]!['top1'] as unknown[])[1]).toEqual([...head, 'line 1']);
    expect((out[8]!['top_big'] as unknown[])[1]).toEqual(lines(two));
    expect(out[9]!['noop']).toMatch(/^\+OK/);
    expect(out[10]!['dele']).toMatch(/^\+OK/);
    // RFC 1939 §5: a message marked deleted is left out of STAT and LIST, and cannot be used.
    expect(out[11]!['stat']).toEqual([2, total - sizes[0]!]);
    expect((out[12]!['list'] as unknown[])[1]).toEqual([`2 ${sizes[1]}`, `3 ${sizes[2]}`]);
    for (const k of ['list1', 'retr1', 'dele1', 'retr4']) expect(out[out.findIndex((o) => k in o)]![k]).toMatch(/^-ERR /);
    expect(out[17]!['rset']).toMatch(/^\+OK/);
    expect(out[18]!['stat']).toEqual([3, total]);
    expect(out[19]!['quit']).toMatch(/^\+OK/);
    // RSET undid the DELE: QUIT removed nothing.
    expect((await imapList(imapPort, BOB)).map((m) => m.uid)).toEqual(uids);
  });
});

describe('exact bytes', () => {
  const picks = CORPUS_PICKS.map((name) => ({ name, raw: corpusMessage(name) }));
  const crafted = dottedMessages('carol').map((raw, i) => ({ name: `dotted-${i + 1}`, raw }));
  const all = [...picks, ...crafted];

  beforeAll(async () => {
    await appendOverImap(imapPort, CAROL, all.map((m) => m.raw));
  });

  it('LIST sizes are the stored sizes and RETR gives back exactly the appended bytes (raw client)', async () => {
    const c = await loggedIn(CAROL);
    const list = await c.multi('LIST');
    expect(list.lines).toEqual(all.map((m, i) => `${i + 1} ${m.raw.length}`));
    for (const [i, m] of all.entries()) {
      const r = await c.retr(i + 1);
      expect(r.status, m.name).toBe(`+OK ${m.raw.length} octets`);
      // Bare LFs, 8-bit bytes and a missing final line break are sent as stored (plus the CRLF the
      // terminator needs); dot lines come back exactly once unstuffed.
      expect(r.data.equals(expectedRetr(m.raw)), m.name).toBe(true);
    }
    expect(await quit(c)).toMatch(/^\+OK/);
  });

  it('RETR in any order gives each message its own bytes (the next message is read ahead), and a DELE\'d one stays refused', async () => {
    const c = await loggedIn(CAROL);
    const order = [1, 3, 2, 2, all.length, 1];
    for (const n of order) {
      const r = await c.retr(n);
      expect(r.data.equals(expectedRetr(all[n - 1]!.raw)), `RETR ${n}`).toBe(true);
    }
    // Message 2 is read ahead after RETR 1; DELE 2 must still win over it.
    await c.retr(1);
    expect(await c.cmd('DELE 2')).toMatch(/^\+OK/);
    expect(await c.cmd('RETR 2')).toMatch(/^-ERR .*deleted/);
    expect(await c.cmd('RSET')).toMatch(/^\+OK/);
    expect((await c.retr(2)).data.equals(expectedRetr(all[1]!.raw))).toBe(true);
    expect(await quit(c)).toMatch(/^\+OK/);
  });

  it('byte-stuffs every line that starts with ".", also after a bare LF (RFC 1939 §3)', async () => {
    const c = await loggedIn(CAROL);
    const first = picks.length + 1;
    expect(await c.cmd(`RETR ${first}`)).toMatch(/^\+OK/);
    const wire1 = await c.rawBody();
    const body1 = wire1.slice(wire1.indexOf('\r\n') + 1);
    expect(body1).toEqual(['first\r\n', '..\r\n', '...\r\n', '....leading dots\r\n', '.. space\r\n', 'last\r\n']);
    expect(await c.cmd(`RETR ${first + 1}`)).toMatch(/^\+OK/);
    const wire2 = await c.rawBody();
    expect(wire2.slice(-6)).toEqual(['bare lf next\n', '..\n', 'after dot\r\n', '..hidden\n', '\n', 'end\n']);
    // A message ending in "." with no line break: the dot is stuffed, then CRLF, then the terminator.
    expect(await c.cmd(`RETR ${first + 2}`)).toMatch(/^\+OK/);
    expect((await c.rawBody()).slice(-1)).toEqual(['..\r\n']);
    expect(await quit(c)).toMatch(/^\+OK/);
  });

  it('TOP n: header only for 0, n body lines, the whole message for n beyond the body', async () => {
    const c = await loggedIn(CAROL);
    for (const [i, m] of all.entries()) {
      const he = headerEnd(m.raw);
      const top0 = await c.retr(i + 1, 0);
      expect(top0.status, m.name).toMatch(/^\+OK/);
      expect(top0.data.equals(expectedRetr(m.raw.subarray(0, he))), m.name).toBe(true);
      let end = he;
      for (let k = 0; k < 2 && end < m.raw.length; k++) {
        const nl = m.raw.indexOf(0x0a, end);
        end = nl < 0 ? m.raw.length : nl + 1;
      }
      const top2 = await c.retr(i + 1, 2);
      expect(top2.data.equals(expectedRetr(m.raw.subarray(0, end))), m.name).toBe(true);
      const topAll = await c.retr(i + 1, 4_000_000_000);
      expect(topAll.data.equals(expectedRetr(m.raw)), m.name).toBe(true);
    }
    expect(await quit(c)).toMatch(/^\+OK/);
  });

  it('poplib over POP3_SSL reads the same bytes, and its own retr() the same lines', async () => {
    const out = await py(`
M = poplib.POP3_SSL('127.0.0.1', A['port'], context=unverified())
M.user(A['user'])
M.pass_(A['pw'])
count, _ = M.stat()
for i in range(1, count + 1):
    resp, data = raw_multi(M, 'RETR %d' % i)
    resp2, lines, _ = M.retr(i)
    out(n=i, raw=base64.b64encode(data).decode(), lines=[base64.b64encode(l).decode() for l in lines])
M.quit()
`, { port: popsPort, user: CAROL.address, pw: CAROL.password });
    expect(out).toHaveLength(all.length);
    for (const [i, m] of all.entries()) {
      const o = out[i]!;
      expect(Buffer.from(o['raw'] as string, 'base64').equals(expectedRetr(m.raw)), m.name).toBe(true);
      // poplib splits at LF and strips CR LF or LF, and unstuffs "..".
      const want = expectedRetr(m.raw).toString('latin1').replace(/\r?\n$/, '').split(/\r?\n/);
      expect((o['lines'] as string[]).map((l) => Buffer.from(l, 'base64').toString('latin1')), m.name).toEqual(want);
    }
  });
});

describe('UPDATE state and other sessions', () => {
  it('UIDL is stable across sessions; DELE+QUIT removes the messages and an IDLE IMAP session gets EXPUNGE', async () => {
    const msgs = [1, 2, 3, 4].map((n) => simpleMessage(`dave ${n}`));
    const { uidValidity, uids } = await appendOverImap(imapPort, DAVE, msgs);
    const ids = uids.map((u) => uniqueId(uidValidity, u));
    const listing = async (): Promise<string[]> => {
      const c = await loggedIn(DAVE);
      const r = await c.multi('UIDL');
      expect(await quit(c)).toMatch(/^\+OK/);
      return r.lines;
    };
    // RFC 1939 §7: the unique-id of a message is the same in every session.
    expect(await listing()).toEqual(ids.map((id, i) => `${i + 1} ${id}`));
    expect(await listing()).toEqual(ids.map((id, i) => `${i + 1} ${id}`));

    const watcher: ImapFlow = imapClient(imapPort, DAVE);
    const gone: Array<{ seq?: number; uid?: number }> = [];
    watcher.on('expunge', (ev: { seq?: number; uid?: number }) => gone.push(ev));
    await watcher.connect();
    try {
      await watcher.mailboxOpen('INBOX');
      const idling = watcher.idle();
      await sleep(100);
      const c = await loggedIn(DAVE);
      expect(await c.cmd('DELE 1')).toMatch(/^\+OK/);
      expect(await c.cmd('DELE 3')).toMatch(/^\+OK/);
      // Nothing happens before QUIT (RFC 1939 §6).
      await sleep(200);
      expect(gone).toEqual([]);
      expect(await quit(c)).toMatch(/^\+OK/);
      for (let i = 0; i < 50 && gone.length < 2; i++) await sleep(50);
      expect(gone).toHaveLength(2);
      await watcher.noop();
      await idling;
      expect(watcher.mailbox !== false && watcher.mailbox.exists).toBe(2);
    } finally {
      await watcher.logout();
    }
    expect((await imapList(imapPort, DAVE)).map((m) => m.uid)).toEqual([uids[1], uids[3]]);
    // The survivors keep their ids under their new numbers.
    expect(await listing()).toEqual([`1 ${ids[1]}`, `2 ${ids[3]}`]);
  });

  it('a client that sends QUIT and hangs up at once: the maildrop stays locked until its deletions are committed', async () => {
    await appendOverImap(imapPort, RAY, [1, 2, 3].map((n) => simpleMessage(`ray ${n}`)));
    for (let round = 0; round < 3; round++) {
      const c = await loggedIn(RAY);
      c.write('DELE 1\r\nQUIT\r\n');
      c.destroy();
      // The next session either waits for the lock ([IN-USE]) or sees the maildrop without the deleted one.
      let listing: string[] | null = null;
      for (let tries = 0; listing === null && tries < 100; tries++) {
        const { c: d } = await RawPop.greeted(popPort);
        if ((await d.login(RAY.address, RAY.password)).startsWith('+OK')) {
          listing = (await d.multi('LIST')).lines;
          await quit(d);
        } else {
          d.destroy();
          await sleep(10);
        }
      }
      expect(listing).toHaveLength(2 - round);
    }
  });

  it('a dropped connection (no QUIT) deletes nothing and frees the maildrop (RFC 1939 §6)', async () => {
    const { uids } = await appendOverImap(imapPort, ERIN, [1, 2, 3].map((n) => simpleMessage(`erin ${n}`)));
    const c = await loggedIn(ERIN);
    for (const n of [1, 2, 3]) expect(await c.cmd(`DELE ${n}`)).toMatch(/^\+OK/);
    expect(await c.cmd('STAT')).toMatch(/^\+OK 0 0/);
    c.destroy();
    await c.closedPromise;
    // The lock goes when the server sees the close; allow it a moment.
    let status = '';
    let d: RawPop | null = null;
    for (let i = 0; i < 40; i++) {
      d = (await RawPop.greeted(popPort)).c;
      status = await d.login(ERIN.address, ERIN.password);
      if (!status.includes('[IN-USE]')) break;
      await quit(d);
      await sleep(50);
    }
    expect(status).toMatch(/^\+OK Logged in: 3 messages/);
    expect(await quit(d!)).toMatch(/^\+OK/);
    expect((await imapList(imapPort, ERIN)).map((m) => m.uid)).toEqual(uids);
  });

  it('a second POP session gets -ERR [IN-USE] (RFC 2449 §8.1.1) while IMAP keeps working', async () => {
    await appendOverImap(imapPort, FRANK, [simpleMessage('frank 1')]);
    const a = await loggedIn(FRANK);
    for (const tls of [false, true]) {
      const { c: b } = await RawPop.greeted(tls ? popsPort : popPort, { tls });
      expect(await b.login(FRANK.address, FRANK.password)).toMatch(/^-ERR \[IN-USE\] /);
      // Still in AUTHORIZATION; QUIT is fine.
      expect(await quit(b)).toMatch(/^\+OK/);
    }
    // IMAP is never blocked by POP: select, append, fetch, flag.
    const imap = imapClient(imapPort, FRANK);
    await imap.connect();
    try {
      await imap.mailboxOpen('INBOX');
      const r = await imap.append('INBOX', simpleMessage('frank 2'));
      expect(r).not.toBe(false);
      expect(await imap.messageFlagsAdd('1', ['\\Flagged'])).toBe(true);
      const seen = [];
      for await (const m of imap.fetch('1:*', { uid: true })) seen.push(m.uid);
      expect(seen).toHaveLength(2);
    } finally {
      await imap.logout();
    }
    expect(await a.cmd('NOOP')).toMatch(/^\+OK/);
    expect(await quit(a)).toMatch(/^\+OK/);
    // Once the first session ends, the maildrop is free.
    const c = await loggedIn(FRANK);
    expect(await c.cmd('STAT')).toMatch(/^\+OK 2 /);
    expect(await quit(c)).toMatch(/^\+OK/);
  });

  it('the maildrop is a snapshot: mail appended over IMAP during the session waits for the next login', async () => {
    const first = await appendOverImap(imapPort, GINA, [simpleMessage('gina 1'), simpleMessage('gina 2')]);
    const c = await loggedIn(GINA);
    const stat = await c.cmd('STAT');
    expect(stat).toMatch(/^\+OK 2 /);
    const later = await appendOverImap(imapPort, GINA, [simpleMessage('gina 3')]);
    // RFC 1939 §4: the message numbers and the listing are fixed for the session.
    expect(await c.cmd('STAT')).toBe(stat);
    expect((await c.multi('LIST')).lines).toHaveLength(2);
    expect(await c.cmd('LIST 3')).toMatch(/^-ERR /);
    expect(await c.cmd('RETR 3')).toMatch(/^-ERR /);
    expect(await quit(c)).toMatch(/^\+OK/);
    const d = await loggedIn(GINA);
    expect(await d.cmd('STAT')).toMatch(/^\+OK 3 /);
    expect((await d.multi('UIDL')).lines).toEqual([...first.uids, ...later.uids].map((u, i) => `${i + 1} ${uniqueId(first.uidValidity, u)}`));
    expect(await quit(d)).toMatch(/^\+OK/);
  });

  it('a message expunged over IMAP during the session: RETR and TOP say -ERR, the rest works, QUIT succeeds', async () => {
    const { uids } = await appendOverImap(imapPort, HANK, [1, 2, 3].map((n) => simpleMessage(`hank ${n}`, `unique body ${n} ${Math.random()}\r\n`)));
    const c = await loggedIn(HANK);
    expect(await c.cmd('STAT')).toMatch(/^\+OK 3 /);
    const imap = imapClient(imapPort, HANK);
    await imap.connect();
    try {
      await imap.mailboxOpen('INBOX');
      expect(await imap.messageDelete(String(uids[1]), { uid: true })).toBe(true);
    } finally {
      await imap.logout();
    }
    expect(await c.cmd('RETR 2')).toMatch(/^-ERR /);
    expect(await c.cmd('TOP 2 0')).toMatch(/^-ERR /);
    expect((await c.retr(1)).status).toMatch(/^\+OK/);
    expect((await c.retr(3)).status).toMatch(/^\+OK/);
    expect(await c.cmd('DELE 2')).toMatch(/^\+OK/);
    expect(await c.cmd('DELE 3')).toMatch(/^\+OK/);
    // The already-expunged message is skipped; the other DELE is applied.
    expect(await quit(c)).toMatch(/^\+OK/);
    expect((await imapList(imapPort, HANK)).map((m) => m.uid)).toEqual([uids[0]]);
  });

  it('a server shutdown mid-session says -ERR [SYS/TEMP] and applies none of the DELE marks', async () => {
    const own = await startServer({ users: [ALICE], listeners: ['pop3', 'imap'] });
    try {
      const { uids } = await appendOverImap(own.ports.imap!, ALICE, [simpleMessage('shutdown 1'), simpleMessage('shutdown 2')]);
      const { c } = await RawPop.greeted(own.ports.pop3!);
      expect(await c.login(ALICE.address, ALICE.password)).toMatch(/^\+OK/);
      expect(await c.cmd('DELE 1')).toMatch(/^\+OK/);
      expect((await c.retr(2)).status).toMatch(/^\+OK/);
      const stopping = own.kill('SIGTERM');
      expect(await c.line()).toMatch(/^-ERR \[SYS\/TEMP\] /);
      await c.closedPromise;
      await stopping;
      await own.restart();
      expect((await imapList(own.ports.imap!, ALICE)).map((m) => m.uid)).toEqual(uids);
    } finally {
      await own.stop();
    }
  });
});

describe('per-account settings (roost user pop)', () => {
  it('shows the defaults and rejects unknown values', async () => {
    expect(await setPop(srv, IVY.address, [])).toBe(`pop of ${IVY.address}: offer all, after download keep, dele delete`);
    await expect(setPop(srv, IVY.address, ['--offer', 'some'])).rejects.toThrow(/--offer must be one of all, new, off/);
  });

  it('offer off refuses POP login with -ERR [SYS/PERM] (RFC 3206 §4) and leaves IMAP alone', async () => {
    expect(await setPop(srv, JACK.address, ['--offer', 'off'])).toMatch(/offer off/);
    const { c } = await RawPop.greeted(popPort);
    expect(await c.login(JACK.address, JACK.password)).toMatch(/^-ERR \[SYS\/PERM\] /);
    expect(await quit(c)).toMatch(/^\+OK/);
    // Before login CAPA cannot know the account; a wrong password is still just [AUTH].
    const d = (await RawPop.greeted(popPort)).c;
    expect(await d.login(JACK.address, 'not-it')).toMatch(/^-ERR \[AUTH\] /);
    expect(await quit(d)).toMatch(/^\+OK/);
    expect(await imapList(imapPort, JACK)).toEqual([]);
    await setPop(srv, JACK.address, ['--offer', 'all']);
    const e = await loggedIn(JACK);
    expect(await quit(e)).toMatch(/^\+OK/);
  });

  it('offer new offers only the INBOX mail that arrived after it was set', async () => {
    await appendOverImap(imapPort, IVY, [simpleMessage('ivy old 1'), simpleMessage('ivy old 2')]);
    expect(await setPop(srv, IVY.address, ['--offer', 'new'])).toMatch(/offer new/);
    const fresh = simpleMessage('ivy new');
    const { uidValidity, uids } = await appendOverImap(imapPort, IVY, [fresh]);
    const c = await loggedIn(IVY);
    expect(await c.cmd('STAT')).toBe(`+OK 1 ${fresh.length}`);
    expect((await c.multi('UIDL')).lines).toEqual([`1 ${uniqueId(uidValidity, uids[0]!)}`]);
    expect((await c.retr(1)).data.equals(fresh)).toBe(true);
    expect(await quit(c)).toMatch(/^\+OK/);
    expect(await imapList(imapPort, IVY)).toHaveLength(3);
  });

  it('after-download read marks RETR\'d messages \\Seen at QUIT; TOP does not count as a download', async () => {
    expect(await setPop(srv, KATE.address, ['--after-download', 'read'])).toMatch(/after download read/);
    const { uids } = await appendOverImap(imapPort, KATE, [1, 2, 3].map((n) => simpleMessage(`kate ${n}`)));
    const c = await loggedIn(KATE);
    expect((await c.multi('CAPA')).lines).toContain('EXPIRE NEVER');
    expect((await c.retr(1)).status).toMatch(/^\+OK/);
    expect((await c.retr(2, 0)).status).toMatch(/^\+OK/);
    expect(await quit(c)).toMatch(/^\+OK/);
    const flags = await imapList(imapPort, KATE);
    expect(flags.map((m) => [m.uid, m.flags.includes('\\Seen')])).toEqual([[uids[0], true], [uids[1], false], [uids[2], false]]);
  });

  it('after-download archive: EXPIRE 0; a dropped session changes nothing, a QUIT moves downloads to Archive', async () => {
    expect(await setPop(srv, LIAM.address, ['--after-download', 'archive'])).toMatch(/after download archive/);
    await appendOverImap(imapPort, LIAM, [1, 2, 3].map((n) => simpleMessage(`liam ${n}`)));
    const c = await loggedIn(LIAM);
    // RFC 2449 §6.7: downloaded mail leaves the maildrop at once.
    expect((await c.multi('CAPA')).lines).toContain('EXPIRE 0');
    expect((await c.retr(1)).status).toMatch(/^\+OK/);
    expect((await c.retr(2)).status).toMatch(/^\+OK/);
    c.destroy();
    await c.closedPromise;
    await sleep(200);
    expect((await imapList(imapPort, LIAM)).map((m) => m.subject)).toEqual(['liam 1', 'liam 2', 'liam 3']);
    const d = await loggedIn(LIAM);
    expect((await d.retr(1)).status).toMatch(/^\+OK/);
    expect((await d.retr(2)).status).toMatch(/^\+OK/);
    expect(await quit(d)).toMatch(/^\+OK/);
    expect((await imapList(imapPort, LIAM)).map((m) => m.subject)).toEqual(['liam 3']);
    expect((await imapList(imapPort, LIAM, 'Archive')).map((m) => m.subject)).toEqual(['liam 1', 'liam 2']);
  });

  it('after-download trash moves downloads to Trash at QUIT', async () => {
    expect(await setPop(srv, MIA.address, ['--after-download', 'trash'])).toMatch(/after download trash/);
    await appendOverImap(imapPort, MIA, [1, 2].map((n) => simpleMessage(`mia ${n}`)));
    const c = await loggedIn(MIA);
    expect((await c.multi('CAPA')).lines).toContain('EXPIRE 0');
    expect((await c.retr(2)).status).toMatch(/^\+OK/);
    expect(await quit(c)).toMatch(/^\+OK/);
    expect((await imapList(imapPort, MIA)).map((m) => m.subject)).toEqual(['mia 1']);
    expect((await imapList(imapPort, MIA, 'Trash')).map((m) => m.subject)).toEqual(['mia 2']);
  });

  it('dele trash moves DELE\'d messages to Trash instead of deleting them, and DELE wins over after-download', async () => {
    expect(await setPop(srv, NED.address, ['--dele', 'trash', '--after-download', 'archive'])).toBe(
      `pop of ${NED.address}: offer all, after download archive, dele trash`,
    );
    await appendOverImap(imapPort, NED, [1, 2, 3].map((n) => simpleMessage(`ned ${n}`)));
    const c = await loggedIn(NED);
    expect((await c.retr(1)).status).toMatch(/^\+OK/);
    expect(await c.cmd('DELE 1')).toMatch(/^\+OK/);
    expect((await c.retr(2)).status).toMatch(/^\+OK/);
    expect(await quit(c)).toMatch(/^\+OK/);
    expect((await imapList(imapPort, NED)).map((m) => m.subject)).toEqual(['ned 3']);
    expect((await imapList(imapPort, NED, 'Trash')).map((m) => m.subject)).toEqual(['ned 1']);
    expect((await imapList(imapPort, NED, 'Archive')).map((m) => m.subject)).toEqual(['ned 2']);
  });

  it('with the Trash and Archive folders gone, QUIT moves nothing and deletes nothing: the messages stay, read', async () => {
    await setPop(srv, PIA.address, ['--dele', 'trash', '--after-download', 'archive']);
    await appendOverImap(imapPort, PIA, [1, 2, 3].map((n) => simpleMessage(`pia ${n}`)));
    const imap = imapClient(imapPort, PIA);
    await imap.connect();
    try {
      await imap.mailboxDelete('Trash');
      await imap.mailboxDelete('Archive');
    } finally {
      await imap.logout();
    }
    const c = await loggedIn(PIA);
    expect(await c.cmd('DELE 1')).toMatch(/^\+OK/);
    expect((await c.retr(2)).status).toMatch(/^\+OK/);
    expect(await quit(c)).toMatch(/^\+OK/);
    const left = await imapList(imapPort, PIA);
    expect(left.map((m) => [m.subject, m.flags.includes('\\Seen')])).toEqual([['pia 1', true], ['pia 2', true], ['pia 3', false]]);
  });
});
