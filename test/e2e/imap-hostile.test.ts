/**
 * Hostile and broken clients against the real server binary (a child process, so a crash or a hang
 * shows): over-long lines, huge literal announcements, floods, pipelining, clients that never read,
 * garbage and random bytes, cross-account names. The server must answer with protocol errors, keep
 * its memory bounded, keep serving everyone else, and never die.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/shared/limits.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { RawImap, simpleMessage, sleep } from './imap-support.js';

const ALICE = { address: 'alice@example.com', password: 'alice-secret' };
const BOB = { address: 'bob@example.com', password: 'bob-secret' };

let srv: TestServer;
let port: number;
let pid: number;

/** The server child's pid, found by its unique config path in /proc. */
function findPid(configPath: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes(configPath) && cmd.includes('serve')) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  throw new Error('server process not found');
}

/** Resident memory of the server in MB. */
function rssMb(): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

function alive(): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function connect(): Promise<RawImap> {
  const c = await RawImap.connect(port);
  expect(await c.next()).toMatch(/^\* OK /);
  return c;
}

async function loggedIn(user = ALICE): Promise<RawImap> {
  const c = await connect();
  await c.login(user.address, user.password);
  return c;
}

/** Appends messages with LITERAL+ over IMAP (the child has its own store). */
async function appendAll(c: RawImap, mailbox: string, messages: readonly Buffer[]): Promise<void> {
  for (const m of messages) {
    const tag = c.nextTag();
    c.write(Buffer.concat([Buffer.from(`${tag} APPEND ${mailbox} {${m.length}+}\r\n`), m, Buffer.from('\r\n')]));
    const r = await c.result(tag, 30_000);
    expect(r.status).toMatch(/^OK/);
  }
}

/** A healthy client's NOOP round trip in ms. */
async function noopMs(c: RawImap): Promise<number> {
  const t0 = performance.now();
  const r = await c.command('NOOP');
  expect(r.status).toMatch(/^OK/);
  return performance.now() - t0;
}

beforeAll(async () => {
  srv = await startServer({ users: [ALICE, BOB], listeners: ['imap'] });
  port = srv.ports.imap!;
  pid = findPid(srv.configPath);
}, 30_000);

afterAll(async () => {
  await srv?.stop();
});

describe('over-long input', () => {
  it('a line over the limit before login gets BAD and the connection goes on; memory stays put', async () => {
    const c = await connect();
    c.write(`a1 NOOP ${'x'.repeat(LIMITS.imap.lineBytesPreAuth + 100)}\r\n`);
    expect(await c.next()).toMatch(/^a1 BAD .*too long/i);
    expect((await c.command('NOOP')).status).toMatch(/^OK/);
    // 256 MB of one endless line, streamed: discarded as it comes, never buffered.
    const before = rssMb();
    const chunk = Buffer.alloc(1024 * 1024, 'y');
    c.write('a2 LOGIN ');
    for (let i = 0; i < 256; i++) {
      if (!c.closed) c.write(chunk);
      await sleep(2);
    }
    c.write('\r\n');
    expect(await c.next(10_000)).toMatch(/^(a2 )?BAD/);
    // Allocator and GC slack, not the line: the growth does not scale with what was sent.
    expect(rssMb() - before).toBeLessThan(64);
    expect((await c.command('NOOP')).status).toMatch(/^OK/);
    c.close();
  });

  it('after login the limit is larger, and the same holds', async () => {
    const c = await loggedIn();
    const r = await c.command(`SELECT ${'a'.repeat(100_000)}`);
    expect(r.status).toMatch(/^NO|^BAD/);
    c.write(`b1 FETCH ${'1,'.repeat(LIMITS.imap.lineBytes)}1 FLAGS\r\n`);
    expect(await c.next(10_000)).toMatch(/^b1 BAD .*too long/i);
    expect((await c.command('SELECT INBOX')).status).toMatch(/^OK/);
    c.close();
  });
});

describe('literals', () => {
  it('a huge synchronizing literal is refused without a continuation; the connection goes on', async () => {
    const c = await connect();
    c.write('a LOGIN {999999999}\r\n');
    expect(await c.next()).toMatch(/^a (BAD|NO) \[TOOBIG\]/);
    expect((await c.command('NOOP')).status).toMatch(/^OK/);
    // A literal within the pre-login limit is fine.
    c.write(`b LOGIN {${ALICE.address.length}}\r\n`);
    expect(await c.next()).toMatch(/^\+ /);
    c.write(`${ALICE.address} ${ALICE.password}\r\n`);
    expect(await c.next()).toMatch(/^b OK/);
    // After login: an APPEND beyond APPENDLIMIT is NO [TOOBIG], and nothing is read for it.
    c.write(`c APPEND INBOX {${LIMITS.imap.appendBytes + 1}}\r\n`);
    expect(await c.next()).toMatch(/^c NO \[TOOBIG\]/);
    expect((await c.command('NOOP')).status).toMatch(/^OK/);
    c.close();
  });

  it('a huge non-synchronizing literal cannot be skipped: BYE and close', async () => {
    const c = await connect();
    c.write('a LOGIN {999999999+}\r\nxxxxxxxxxxxxxxxx');
    const got = await c.until(/^\* BYE/);
    expect(got[0]).toMatch(/^a BAD \[TOOBIG\]/);
    await c.closedPromise;
    const d = await loggedIn();
    d.write('b APPEND INBOX {999999999+}\r\n');
    expect((await d.until(/^\* BYE/)).length).toBeGreaterThan(0);
    await d.closedPromise;
    // The server is fine.
    const e = await connect();
    expect((await e.command('NOOP')).status).toMatch(/^OK/);
    e.close();
  });

  it('an unterminated literal then a disconnect leaves nothing behind', async () => {
    for (let i = 0; i < 20; i++) {
      const c = await loggedIn();
      c.write('a APPEND INBOX {100000}\r\n');
      expect(await c.next()).toMatch(/^\+ /);
      c.write(Buffer.alloc(5000, 'z'));
      await sleep(5);
      c.close();
    }
    const d = await loggedIn();
    const sel = await d.command('SELECT INBOX');
    expect(sel.status).toMatch(/^OK/);
    expect(sel.untagged).toContain('* 0 EXISTS');
    d.close();
  });
});

describe('floods', () => {
  it(`invalid commands in a row: BAD each, then BYE after ${LIMITS.imap.badCommandsInRow}`, async () => {
    const c = await connect();
    c.write('garbage\r\n'.repeat(LIMITS.imap.badCommandsInRow + 10));
    const got = await c.until(/^\* BYE/);
    expect(got.filter((l) => /BAD/.test(l))).toHaveLength(LIMITS.imap.badCommandsInRow);
    await c.closedPromise;
    // A good command in between resets the count.
    const d = await connect();
    const lines = [];
    for (let i = 0; i < 3 * LIMITS.imap.badCommandsInRow; i++) lines.push(i % 10 === 9 ? `ok${i} NOOP` : `x${i} FROB`);
    d.write(lines.join('\r\n') + '\r\n');
    const last = `ok${3 * LIMITS.imap.badCommandsInRow - 1}`;
    const answers = await d.until(new RegExp(`^${last} OK`));
    expect(answers.some((l) => l.startsWith('* BYE'))).toBe(false);
    d.close();
  });

  it('thousands of pipelined NOOPs in one write are all answered, in order', async () => {
    const c = await loggedIn();
    const n = 5000;
    let text = '';
    for (let i = 0; i < n; i++) text += `n${i} NOOP\r\n`;
    c.write(text);
    for (let i = 0; i < n; i++) expect(await c.next()).toBe(`n${i} OK NOOP completed`);
    c.close();
  });

  it('a client pipelining far more than it reads is paused, not buffered and not dropped', async () => {
    const c = await loggedIn();
    const n = 800_000;
    const before = rssMb();
    c.pause();
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(`p${i} NOOP\r\n`);
    c.write(parts.join(''));
    await sleep(1500);
    // The server stopped taking input once its answers piled up (the rest waits on our side, TCP
    // backpressure) instead of buffering answers until it must drop us.
    expect(c.unsent).toBeGreaterThan(1024 * 1024);
    expect(rssMb() - before).toBeLessThan(100);
    c.resume();
    let last = '';
    for (let i = 0; i < n; i++) last = await c.next(20_000);
    expect(last).toBe(`p${n - 1} OK NOOP completed`);
    c.close();
  }, 60_000);
});

describe('a client that never reads', () => {
  it('big FETCHes do not grow memory without bound, and others keep being served', async () => {
    const loader = await loggedIn();
    await loader.command('CREATE Big');
    const big = Buffer.concat([simpleMessage('big', ''), Buffer.alloc(1024 * 1024, 'A'), Buffer.from('\r\n')]);
    await appendAll(loader, 'Big', Array.from({ length: 40 }, () => big));
    loader.close();

    const before = rssMb();
    const slow = await loggedIn();
    await slow.command('SELECT Big');
    slow.pause();
    for (let i = 0; i < 5; i++) slow.write(`f${i} FETCH 1:* (BODY.PEEK[])\r\n`);
    const other = await loggedIn();
    await other.command('SELECT INBOX');
    const latencies: number[] = [];
    for (let i = 0; i < 30; i++) {
      latencies.push(await noopMs(other));
      await sleep(50);
    }
    // 200 MB requested; what the server holds stays far below (output waits for the reader).
    expect(rssMb() - before).toBeLessThan(100);
    expect(Math.max(...latencies)).toBeLessThan(250);
    // The slow client was not dropped: it gets everything once it reads.
    slow.resume();
    for (let i = 0; i < 5; i++) {
      const r = await slow.result(`f${i}`, 60_000);
      expect(r.status).toMatch(/^OK/);
      expect(r.untagged).toHaveLength(40);
    }
    slow.close();
    other.close();
  }, 120_000);
});

describe('garbage', () => {
  it('IDLE then garbage instead of DONE: BAD, and the session goes on', async () => {
    const c = await loggedIn();
    await c.command('SELECT INBOX');
    c.write('i IDLE\r\n');
    expect(await c.next()).toBe('+ idling');
    c.write('NOT DONE AT ALL\r\n');
    expect(await c.next()).toMatch(/^i BAD/);
    expect((await c.command('NOOP')).status).toMatch(/^OK/);
    c.write('j IDLE\r\n');
    await c.next();
    c.write('\x00\xff\x01garbage\r\n');
    expect(await c.next()).toMatch(/^j BAD/);
    c.write('k IDLE\r\n');
    await c.next();
    c.write('done\r\n');
    expect(await c.next()).toMatch(/^k OK/);
    c.close();
  });

  it('binary garbage before and after login gets errors, never a crash', async () => {
    for (const auth of [false, true]) {
      const c = auth ? await loggedIn() : await connect();
      c.write(Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0d, 0x0a, 0x80, 0x81, 0x7b, 0x39, 0x7d, 0x0d, 0x0a]));
      c.write(randomBytes(64 * 1024));
      c.write('\r\n');
      await sleep(200);
      c.close();
    }
    const d = await loggedIn();
    expect((await d.command('SELECT INBOX')).status).toMatch(/^OK/);
    d.close();
    expect(alive()).toBe(true);
  });

  it('random bytes from many connections for a few seconds: everyone else is served, the server lives', async () => {
    const healthy = await loggedIn();
    await healthy.command('SELECT INBOX');
    const stop = Date.now() + 4000;
    const fuzzers: Array<Promise<void>> = [];
    const tokens = ['a', 'FETCH', 'UID', '1:*', '(', ')', '[', ']', 'BODY', '{5}', '{99999999}', '{3+}', '~{2}', '"', '\\', '*', '$', 'SEARCH', 'IDLE', 'DONE',
      'APPEND', 'INBOX', 'LOGIN', 'AUTHENTICATE', 'PLAIN', 'SELECT', 'STORE', '+FLAGS', 'ENABLE', 'QRESYNC', 'COMPRESS', 'DEFLATE', '\r\n', ' ', '\x00', 'é'];
    const structured = (): Buffer => {
      let s = '';
      const len = 1 + Math.floor(Math.random() * 30);
      for (let i = 0; i < len; i++) s += tokens[Math.floor(Math.random() * tokens.length)] + (Math.random() < 0.7 ? ' ' : '');
      return Buffer.from(s + '\r\n', 'utf8');
    };
    for (let k = 0; k < 16; k++) {
      fuzzers.push((async () => {
        while (Date.now() < stop) {
          let c: RawImap;
          try {
            c = k % 2 === 0 ? await connect() : await loggedIn();
          } catch {
            continue;
          }
          for (let i = 0; i < 50 && !c.closed && Date.now() < stop; i++) {
            c.write(k % 4 < 2 ? randomBytes(1 + Math.floor(Math.random() * 4096)) : structured());
            await sleep(Math.random() * 10);
          }
          c.close();
        }
      })());
    }
    const latencies: number[] = [];
    while (Date.now() < stop) {
      latencies.push(await noopMs(healthy));
      const f = await healthy.command('FETCH 1:* (FLAGS)');
      expect(f.status).toMatch(/^OK/);
      await sleep(25);
    }
    await Promise.all(fuzzers);
    expect(alive()).toBe(true);
    expect(latencies.length).toBeGreaterThan(20);
    latencies.sort((x, y) => x - y);
    expect(latencies[Math.floor(latencies.length / 2)]!).toBeLessThan(100);
    healthy.close();
    const after = await loggedIn();
    expect((await after.command('SELECT INBOX')).status).toMatch(/^OK/);
    expect((await after.command('LOGOUT')).status).toMatch(/^OK/);
    expect(srv.stderr()).not.toMatch(/imap session failed|imap command failed|uncaught|FATAL/i);
  }, 60_000);
});

describe('cross-account access', () => {
  it('another user`s mailboxes cannot be named, listed, selected, read or written', async () => {
    const bob = await loggedIn(BOB);
    await bob.command('CREATE Secret');
    await appendAll(bob, 'Secret', [simpleMessage('bob secret')]);
    bob.close();
    const c = await loggedIn();
    const names = ['Secret', 'bob@example.com/INBOX', '"../bob@example.com/Secret"', '"~bob/Secret"', '"#shared/Secret"', '"Other Users/bob/INBOX"', '"/Secret"', '"INBOX/../Secret"'];
    for (const n of names) {
      expect((await c.command(`SELECT ${n}`)).status, n).toMatch(/^NO \[NONEXISTENT\]/);
      expect((await c.command(`EXAMINE ${n}`)).status, n).toMatch(/^NO \[NONEXISTENT\]/);
      expect((await c.command(`STATUS ${n} (MESSAGES)`)).status, n).toMatch(/^NO/);
    }
    const list = await c.command('LIST "" "*"');
    expect(list.untagged.some((l) => /Secret|bob/.test(l))).toBe(false);
    await c.command('SELECT INBOX');
    await appendAll(c, 'INBOX', [simpleMessage('alice own')]);
    expect((await c.command('COPY 1 Secret')).status).toMatch(/^NO/);
    expect((await c.command('APPEND Secret {3+}\r\nabc')).status).toMatch(/^NO/);
    c.close();
    // Bob's message is still only Bob's, untouched.
    const b = await loggedIn(BOB);
    const sel = await b.command('SELECT Secret');
    expect(sel.untagged).toContain('* 1 EXISTS');
    b.close();
  });
});
