/**
 * Hostile and broken POP3 clients against the real server binary (a child process, so a crash or a
 * hang shows), with a raw socket: garbage, commands in the wrong state, bad message numbers, huge
 * arguments and over-long lines, the errors-in-a-row limit, cleartext logins from an untrusted
 * address (RFC 2595 §4), plaintext injected after STLS, pipelining (RFC 2449 §6.6) and the
 * failed-login slowdown. Each answer must be a protocol error, and the connection must stay usable
 * (except where the server is meant to close it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/shared/limits.js';
import { startServer, type ChildServer } from '../helpers/server.js';
import { appendOverImap, RawPop, simpleMessage, sleep } from './pop3-support.js';

const ALICE = { address: 'alice@example.com', password: 'alice-secret' };
/** Only the failed-login test uses her, so her failures slow down nobody else. */
const OLGA = { address: 'olga@example.com', password: 'olga-secret' };

let srv: ChildServer;
let popPort: number;
let popsPort: number;

beforeAll(async () => {
  srv = await startServer({ users: [ALICE, OLGA], listeners: ['pop3', 'pop3s', 'imap'] });
  popPort = srv.ports.pop3!;
  popsPort = srv.ports.pop3s!;
  await appendOverImap(srv.ports.imap!, ALICE, [simpleMessage('one'), simpleMessage('two', 'a\r\nb\r\nc\r\n'), simpleMessage('three')]);
});

afterAll(async () => {
  // Whatever the tests did, the server is still there.
  expect(alive()).toBe(true);
  await srv?.stop();
});

function alive(): boolean {
  try {
    process.kill(srv.pid(), 0);
    return true;
  } catch {
    return false;
  }
}

async function connect(opts: { tls?: boolean; localAddress?: string } = {}): Promise<RawPop> {
  const { c, greeting } = await RawPop.greeted(opts.tls === true ? popsPort : popPort, opts);
  expect(greeting).toMatch(/^\+OK /);
  return c;
}

async function loggedIn(): Promise<RawPop> {
  const c = await connect();
  expect(await c.login(ALICE.address, ALICE.password)).toMatch(/^\+OK/);
  return c;
}

/**
 * Sends each line; every answer must be -ERR, and a good command after it must still work (CAPA
 * before login, NOOP after).
 */
async function allRefused(c: RawPop, lines: readonly string[], good: 'CAPA' | 'NOOP'): Promise<void> {
  for (const l of lines) {
    expect(await c.cmd(l), JSON.stringify(l.slice(0, 40))).toMatch(/^-ERR /);
    // A success between errors resets the errors-in-a-row count, so the list can be long.
    const ok = good === 'CAPA' ? (await c.multi(good)).status : await c.cmd(good);
    expect(ok).toMatch(/^\+OK/);
  }
}

describe('garbage and wrong states', () => {
  it('garbage, empty lines and unknown commands get -ERR; the session goes on', async () => {
    const c = await connect();
    await allRefused(c, ['', ' ', '   ', 'FROB', 'RETRX 1', '\t', 'CAPA extra', 'QUIT now', 'x'.repeat(300), '\x00\x01\x02', 'AUTH  PLAIN'], 'CAPA');
    // Not UTF-8 at all.
    c.write(Buffer.from([0xff, 0xfe, 0x80, 0x0d, 0x0a]));
    expect(await c.line()).toMatch(/^-ERR .*UTF-8/);
    // Keywords are case-insensitive (RFC 1939 §3).
    c.write('capa\r\n');
    expect(await c.line()).toMatch(/^\+OK/);
    expect(await c.body()).toContain('UIDL');
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
    await c.closedPromise;
  });

  it('TRANSACTION commands before login and AUTHORIZATION commands after it get -ERR (RFC 1939 §3)', async () => {
    const c = await connect();
    await allRefused(c, ['RETR 1', 'STAT', 'LIST', 'UIDL', 'TOP 1 0', 'DELE 1', 'RSET', 'NOOP', 'PASS alice-secret'], 'CAPA');
    expect(await c.login(ALICE.address, ALICE.password)).toMatch(/^\+OK/);
    await allRefused(c, [`USER ${ALICE.address}`, `PASS ${ALICE.password}`, 'AUTH PLAIN', 'AUTH', 'STLS', 'UTF8', 'APOP alice 0123456789abcdef0123456789abcdef'], 'NOOP');
    // Still the same maildrop, untouched.
    expect(await c.cmd('STAT')).toMatch(/^\+OK 3 /);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });

  it('RFC 6856 §2.1: no STLS after UTF8; APOP is refused (Roost keeps no plaintext passwords)', async () => {
    const c = await connect();
    expect(await c.cmd('APOP alice@example.com 0123456789abcdef0123456789abcdef')).toMatch(/^-ERR /);
    expect(await c.cmd('UTF8')).toMatch(/^\+OK/);
    expect(await c.cmd('STLS')).toMatch(/^-ERR /);
    expect(await c.login(ALICE.address, ALICE.password)).toMatch(/^\+OK/);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });

  it('bad message numbers: 0, negative, huge, non-numeric, missing or extra arguments', async () => {
    const c = await loggedIn();
    const bad = [
      'RETR 0', 'RETR -1', 'RETR 99999999999', 'RETR 4294967295', 'RETR 4294967296', 'RETR abc', 'RETR', 'RETR 1 2', 'RETR  1',
      'RETR 1.0', 'RETR +1', 'RETR 0x1', 'RETR 4', 'LIST 0', 'LIST -1', 'LIST 99999999999', 'LIST abc', 'LIST 1 2', 'UIDL 0',
      'UIDL 4', 'UIDL abc', 'DELE 0', 'DELE 4', 'DELE abc', 'DELE', 'TOP 1', 'TOP 1 -1', 'TOP 1 abc', 'TOP 0 0', 'TOP abc 1',
      'TOP 1 99999999999', 'TOP 4 0', 'STAT 1', 'NOOP x', 'RSET 1',
    ];
    await allRefused(c, bad, 'NOOP');
    // None of that marked anything deleted.
    expect(await c.cmd('STAT')).toMatch(/^\+OK 3 /);
    // A message marked deleted cannot be used again (RFC 1939 §5).
    expect(await c.cmd('DELE 2')).toMatch(/^\+OK/);
    await allRefused(c, ['DELE 2', 'RETR 2', 'TOP 2 0', 'LIST 2', 'UIDL 2'], 'NOOP');
    expect(await c.cmd('RSET')).toMatch(/^\+OK/);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });
});

describe('size limits', () => {
  it('huge arguments are refused', async () => {
    const c = await connect();
    expect(await c.cmd(`USER ${'u'.repeat(5000)}`)).toMatch(/^-ERR /);
    expect(await c.cmd(`AUTH ${'P'.repeat(5000)}`)).toMatch(/^-ERR /);
    expect(await c.cmd(`AUTH PLAIN ${'!'.repeat(5000)}`)).toMatch(/^-ERR /);
    expect(await c.cmd('CAPA')).toMatch(/^\+OK/);
    await c.body();
    expect(await c.login(ALICE.address, ALICE.password)).toMatch(/^\+OK/);
    expect(await c.cmd(`RETR ${'9'.repeat(5000)}`)).toMatch(/^-ERR /);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });

  it(`a line over ${LIMITS.pop3.lineBytes} octets gets one -ERR and is skipped; the next command works`, async () => {
    const c = await connect();
    c.write(`USER ${'x'.repeat(LIMITS.pop3.lineBytes + 10)}\r\nCAPA\r\n`);
    expect(await c.line()).toMatch(/^-ERR .*too long/i);
    expect(await c.line()).toMatch(/^\+OK/);
    expect(await c.body()).toContain('TOP');
    // The skipped line did not count as a USER: PASS has nothing to go with.
    expect(await c.cmd('PASS whatever')).toMatch(/^-ERR /);
    expect(await c.login(ALICE.address, ALICE.password)).toMatch(/^\+OK/);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });

  it('a 1 MB line without a line break: one -ERR, the rest is discarded until the line ends', async () => {
    const c = await connect();
    const chunk = 'y'.repeat(64 * 1024);
    c.write('NOOP ');
    for (let i = 0; i < 16; i++) {
      c.write(chunk);
      await sleep(2);
    }
    expect(await c.line()).toMatch(/^-ERR .*too long/i);
    // More of the same line, then its end and a real command.
    c.write(`${chunk}\r\nCAPA\r\n`);
    expect(await c.line()).toMatch(/^\+OK/);
    expect(await c.body()).toContain('UIDL');
    expect(await c.drainFor(100)).toBe('');
    expect(await c.login(ALICE.address, ALICE.password)).toMatch(/^\+OK/);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });

  // RFC 5034 §4: an -ERR ends the AUTH command; the next line is a command again, not a SASL answer.
  it('an over-long or non-UTF-8 line during AUTH ends the exchange', async () => {
    const c = await connect();
    expect(await c.cmd('AUTH PLAIN')).toBe('+ ');
    c.write(`${'A'.repeat(LIMITS.pop3.lineBytes + 8)}\r\n`);
    expect(await c.line()).toMatch(/^-ERR .*too long/i);
    expect(await c.cmd('CAPA')).toMatch(/^\+OK/);
    expect(await c.body()).toContain('TOP');
    expect(await c.cmd('AUTH LOGIN')).toMatch(/^\+ /);
    c.write(Buffer.from([0xff, 0x0d, 0x0a]));
    expect(await c.line()).toMatch(/^-ERR /);
    expect(await c.cmd('CAPA')).toMatch(/^\+OK/);
    expect(await c.body()).toContain('UIDL');
    expect(await c.login(ALICE.address, ALICE.password)).toMatch(/^\+OK/);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });
});

describe('connections', () => {
  it('[security] max_connections_per_ip: one over gets -ERR [SYS/TEMP] and is closed; other addresses are not affected', async () => {
    const limited = await startServer({ users: [ALICE], listeners: ['pop3'], extraToml: '[security]\nmax_connections_per_ip = 3\n' });
    const open: RawPop[] = [];
    try {
      const port = limited.ports.pop3!;
      for (let i = 0; i < 3; i++) {
        const { c, greeting } = await RawPop.greeted(port, { localAddress: '127.0.0.4' });
        expect(greeting).toMatch(/^\+OK /);
        open.push(c);
      }
      const { c: over, greeting } = await RawPop.greeted(port, { localAddress: '127.0.0.4' });
      expect(greeting).toMatch(/^-ERR \[SYS\/TEMP\] /);
      await over.closedPromise;
      const other = await RawPop.greeted(port, { localAddress: '127.0.0.5' });
      expect(other.greeting).toMatch(/^\+OK /);
      expect(await other.c.cmd('QUIT')).toMatch(/^\+OK/);
      // A slot comes back when a connection ends.
      expect(await open.pop()!.cmd('QUIT')).toMatch(/^\+OK/);
      let again = '';
      for (let i = 0; i < 40 && !again.startsWith('+OK'); i++) {
        const r = await RawPop.greeted(port, { localAddress: '127.0.0.4' });
        again = r.greeting;
        if (again.startsWith('+OK')) open.push(r.c);
        else await sleep(25);
      }
      expect(again).toMatch(/^\+OK /);
    } finally {
      for (const c of open) c.destroy();
      await limited.stop();
    }
  });
});

describe('errors in a row', () => {
  it(`${LIMITS.pop3.errorsBeforeClose} errors in a row close the connection`, async () => {
    const c = await connect();
    c.write('FROB\r\n'.repeat(LIMITS.pop3.errorsBeforeClose + 5));
    const lines: string[] = [];
    for (;;) {
      try {
        lines.push(await c.line());
      } catch {
        break;
      }
    }
    await c.closedPromise;
    // One -ERR per bad command up to the limit, then the closing -ERR; the rest was never answered.
    expect(lines).toHaveLength(LIMITS.pop3.errorsBeforeClose + 1);
    expect(lines.every((l) => l.startsWith('-ERR '))).toBe(true);
    expect(lines.at(-1)).toMatch(/too many errors/i);
  });

  it('a good command in between resets the count', async () => {
    const c = await connect();
    const n = LIMITS.pop3.errorsBeforeClose - 1;
    c.write(`${'FROB\r\n'.repeat(n)}CAPA\r\n${'FROB\r\n'.repeat(n)}CAPA\r\n`);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < n; i++) expect(await c.line()).toMatch(/^-ERR /);
      expect(await c.line()).toMatch(/^\+OK/);
      await c.body();
    }
    expect(c.closed).toBe(false);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });
});

describe('cleartext login and STLS (RFC 2595 §4)', () => {
  it('from an untrusted address (127.0.0.2 to 127.0.0.1): no USER/SASL offered, USER/PASS/AUTH refused with [AUTH]', async () => {
    const c = await connect({ localAddress: '127.0.0.2' });
    const caps = (await c.multi('CAPA')).lines;
    expect(caps).toContain('STLS');
    expect(caps).not.toContain('USER');
    expect(caps.some((l) => l.startsWith('SASL'))).toBe(false);
    expect(await c.cmd(`USER ${ALICE.address}`)).toMatch(/^-ERR \[AUTH\] .*STLS/);
    expect(await c.cmd(`PASS ${ALICE.password}`)).toMatch(/^-ERR \[AUTH\] /);
    const plain = Buffer.from(`\0${ALICE.address}\0${ALICE.password}`).toString('base64');
    expect(await c.cmd(`AUTH PLAIN ${plain}`)).toMatch(/^-ERR \[AUTH\] /);
    expect(await c.cmd('AUTH LOGIN')).toMatch(/^-ERR \[AUTH\] /);
    expect(await c.cmd('STAT')).toMatch(/^-ERR /);
    // After STLS the same connection may log in, and USER/SASL are offered.
    expect(await c.cmd('STLS')).toMatch(/^\+OK/);
    await c.startTls();
    const after = (await c.multi('CAPA')).lines;
    expect(after).not.toContain('STLS');
    expect(after).toEqual(expect.arrayContaining(['USER', 'SASL PLAIN LOGIN']));
    expect(await c.login(ALICE.address, ALICE.password)).toMatch(/^\+OK/);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
    // Implicit TLS from the same address: allowed at once.
    const d = await connect({ tls: true, localAddress: '127.0.0.2' });
    expect(await d.login(ALICE.address, ALICE.password)).toMatch(/^\+OK/);
    expect(await d.cmd('QUIT')).toMatch(/^\+OK/);
  });

  it('[security] trusted_networks lets a listed address log in without TLS, and no other', async () => {
    const trusted = await startServer({ users: [ALICE], listeners: ['pop3'], extraToml: '[security]\ntrusted_networks = ["127.0.0.2/32"]\n' });
    try {
      const { c } = await RawPop.greeted(trusted.ports.pop3!, { localAddress: '127.0.0.2' });
      expect((await c.multi('CAPA')).lines).toContain('USER');
      expect(await c.login(ALICE.address, ALICE.password)).toMatch(/^\+OK/);
      expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
      const { c: d } = await RawPop.greeted(trusted.ports.pop3!, { localAddress: '127.0.0.3' });
      expect(await d.cmd(`USER ${ALICE.address}`)).toMatch(/^-ERR \[AUTH\] /);
      expect(await d.cmd('QUIT')).toMatch(/^\+OK/);
    } finally {
      await trusted.stop();
    }
  });

  it('plaintext sent in the same packet after STLS is discarded, never run', async () => {
    const c = await connect({ localAddress: '127.0.0.2' });
    // A man in the middle appends commands to the client's STLS: they must not run before or after
    // the handshake, and the USER they carry must not be remembered.
    c.write(`STLS\r\nUSER ${ALICE.address}\r\nCAPA\r\nNOOP\r\n`);
    expect(await c.line()).toMatch(/^\+OK/);
    expect(await c.drainFor(150)).toBe('');
    await c.startTls();
    expect(await c.cmd(`PASS ${ALICE.password}`)).toMatch(/^-ERR .*USER/);
    expect(await c.cmd('STAT')).toMatch(/^-ERR /);
    expect(await c.drainFor(150)).toBe('');
    expect(await c.login(ALICE.address, ALICE.password)).toMatch(/^\+OK/);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });

  it('a client that answers STLS with something other than a TLS handshake is dropped', async () => {
    const c = await connect();
    expect(await c.cmd('STLS')).toMatch(/^\+OK/);
    c.write('USER alice@example.com\r\nPASS alice-secret\r\n');
    await c.closedPromise;
    expect(alive()).toBe(true);
    const d = await loggedIn();
    expect(await d.cmd('QUIT')).toMatch(/^\+OK/);
  });

  it('a USER given before STLS is forgotten by it', async () => {
    const c = await connect();
    expect(await c.cmd(`USER ${ALICE.address}`)).toMatch(/^\+OK/);
    expect(await c.cmd('STLS')).toMatch(/^\+OK/);
    await c.startTls();
    expect(await c.cmd(`PASS ${ALICE.password}`)).toMatch(/^-ERR .*USER/);
    expect(await c.cmd('STLS')).toMatch(/^-ERR /);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });
});

describe('pipelining (RFC 2449 §6.6)', () => {
  it('commands sent in one write, across the login, are all answered in order', async () => {
    const c = await connect();
    c.write(`USER ${ALICE.address}\r\nPASS ${ALICE.password}\r\nSTAT\r\nLIST\r\nUIDL 1\r\nRETR 99\r\nTOP 2 1\r\nDELE 1\r\nSTAT\r\nRSET\r\nNOOP\r\nQUIT\r\n`);
    expect(await c.line()).toMatch(/^\+OK/);
    expect(await c.line()).toMatch(/^\+OK Logged in: 3 messages/);
    expect(await c.line()).toMatch(/^\+OK 3 \d+$/);
    expect(await c.line()).toMatch(/^\+OK 3 messages/);
    expect(await c.body()).toHaveLength(3);
    expect(await c.line()).toMatch(/^\+OK 1 [0-9a-f]{16}$/);
    expect(await c.line()).toMatch(/^-ERR /);
    expect(await c.line()).toMatch(/^\+OK/);
    const top = await c.body();
    expect(top.at(-1)).toBe('a');
    expect(top.at(-2)).toBe('');
    expect(await c.line()).toMatch(/^\+OK/);
    expect(await c.line()).toMatch(/^\+OK 2 \d+$/);
    expect(await c.line()).toMatch(/^\+OK Maildrop has 3 messages/);
    expect(await c.line()).toBe('+OK');
    expect(await c.line()).toMatch(/^\+OK .*signing off/);
    await c.closedPromise;
  });

  it('thousands of pipelined commands in one write are answered, in order; nothing runs after QUIT', async () => {
    const c = await loggedIn();
    const n = 3000;
    let text = '';
    for (let i = 1; i <= n; i++) text += `LIST ${(i % 3) + 1}\r\n`;
    c.write(`${text}QUIT\r\nDELE 1\r\nNOOP\r\n`);
    for (let i = 1; i <= n; i++) expect(await c.line()).toMatch(new RegExp(`^\\+OK ${(i % 3) + 1} \\d+$`));
    expect(await c.line()).toMatch(/^\+OK .*signing off/);
    await c.closedPromise;
    // The DELE after QUIT never ran.
    const d = await loggedIn();
    expect(await d.cmd('STAT')).toMatch(/^\+OK 3 /);
    expect(await d.cmd('QUIT')).toMatch(/^\+OK/);
  });
});

describe('failed logins', () => {
  it('are answered -ERR [AUTH] and slowed down from the 4th on', async () => {
    // Over TLS from an address of its own, so these failures count against nothing else.
    const c = await connect({ tls: true, localAddress: '127.0.0.9' });
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      expect(await c.cmd(`USER ${OLGA.address}`)).toMatch(/^\+OK/);
      const t0 = Date.now();
      expect(await c.cmd(`PASS wrong-${i}`, 20_000)).toMatch(/^-ERR \[AUTH\] /);
      times.push(Date.now() - t0);
    }
    // LIMITS.auth.failuresPerIpBeforeDelay (3) are answered at once; then 1 s, 2 s …
    expect(Math.max(times[0]!, times[1]!, times[2]!)).toBeLessThan(800);
    expect(times[3]!).toBeGreaterThanOrEqual(900);
    expect(times[4]!).toBeGreaterThanOrEqual(1800);
    // SASL failures count the same way.
    const t0 = Date.now();
    const bad = Buffer.from(`\0${OLGA.address}\0wrong-sasl`).toString('base64');
    expect(await c.cmd(`AUTH PLAIN ${bad}`, 20_000)).toMatch(/^-ERR \[AUTH\] /);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(3600);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
    // Another address is not slowed down by these failures.
    const d = await connect();
    const t1 = Date.now();
    expect(await d.login(ALICE.address, ALICE.password)).toMatch(/^\+OK/);
    expect(Date.now() - t1).toBeLessThan(800);
    expect(await d.cmd('QUIT')).toMatch(/^\+OK/);
  }, 30_000);
});
