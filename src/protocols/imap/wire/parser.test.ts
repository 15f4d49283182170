import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../shared/limits.js';
import { ImapParser, type ParseEvent } from './parser.js';
import { chunked, drive, type DriveOptions } from './test-support.js';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

function literalText(s: string, plus = false): string {
  return `{${Buffer.byteLength(s)}${plus ? '+' : ''}}\r\n${s}`;
}

/** Inputs for the split-point tests: [name, bytes, options]. */
const CORPUS: readonly [string, Buffer, DriveOptions][] = [
  ['simple pipeline', b('a1 NOOP\r\na2 CAPABILITY\r\na3 SELECT INBOX\r\n'), {}],
  ['LF-only line ends', b('a NOOP\nb LOGIN x y\n'), {}],
  ['sync and non-sync literals', b(`a2 LOGIN ${literalText('smith')} ${literalText('se"c ret', true)}\r\na3 NOOP\r\n`), {}],
  [
    'literal holding CRLF and command-like text',
    b(`a LOGIN ${literalText('x\r\nb NOOP\r\n{3}\r\n', true)} pw\r\nc NOOP\r\n`),
    {},
  ],
  ['empty literals', b('a LOGIN {0}\r\n {0+}\r\n\r\n'), {}],
  [
    'APPEND with literal8, NUL bytes and UTF8 data',
    Buffer.concat([b('a APPEND INBOX (\\Seen) ~{5}\r\n'), Buffer.from([0x61, 0x00, 0x0d, 0x0a, 0xff]), b(' UTF8 (~{3+}\r\nxyz)\r\nb NOOP\r\n')]),
    { authenticated: true },
  ],
  ['IDLE and DONE', b('a IDLE\r\nDONE\r\nb NOOP\r\nc IDLE\r\ndone\r\n'), { authenticated: true }],
  ['IDLE with garbage', b('a IDLE\r\nNOOP\r\nb NOOP\r\n'), { authenticated: true }],
  ['AUTHENTICATE exchange', b('a AUTHENTICATE PLAIN\r\ndGVzdAB0ZXN0AHRlc3Q=\r\nb AUTHENTICATE PLAIN\r\n*\r\nc NOOP\r\n'), {}],
  ['AUTHENTICATE bad base64', b('a AUTHENTICATE PLAIN\r\nnot base64!\r\nc NOOP\r\n'), {}],
  ['garbage and unknown commands', b('garbage\r\na FOO\r\n\r\n* NOOP\r\nb NOOP\r\n'), {}],
  ['unknown command with non-sync literal', b('a XYZZY {3+}\r\nabc more {2+}\r\nxy\r\nb NOOP\r\n'), {}],
  ['unknown command with sync literal', b('a XYZZY {3}\r\nb NOOP\r\n'), {}],
  ['refused literals', b('a LOGIN {5+}\r\nsmith {6+}\r\nsesame\r\nb APPEND x {9}\r\nc NOOP\r\n'), { literal: () => 'reject' }],
  [
    'LITERAL- refuses a large non-sync literal and skips it',
    b(`a LOGIN x {5000+}\r\n${'y'.repeat(5000)}\r\nb NOOP\r\n`),
    { authenticated: true, nonSyncLiterals: 'LITERAL-' },
  ],
  ['too large sync literal before login', b('a LOGIN {5000}\r\nb NOOP\r\n'), {}],
  ['too large non-sync literal before login is fatal', b('a LOGIN {5000+}\r\nxxxx\r\nb NOOP\r\n'), {}],
  ['search with a UTF-8 literal', b(`a SEARCH CHARSET UTF-8 TEXT ${literalText('отпуск')}\r\n`), { authenticated: true }],
  ['8-bit quoted string after ENABLE UTF8=ACCEPT', b('a SELECT "Entwürfe"\r\nb SELECT "Entwürfe"\r\n'), { authenticated: true, utf8: true }],
];

function events(input: Buffer, opts: DriveOptions): ParseEvent[] {
  return drive([input], opts);
}

describe('every split point', () => {
  it.each(CORPUS)('%s', (_name, input, opts) => {
    const want = events(input, opts);
    expect(want.length).toBeGreaterThan(0);
    for (let k = 0; k <= input.length; k++) {
      expect(drive([input.subarray(0, k), input.subarray(k)], opts), `split at ${k}`).toEqual(want);
    }
    for (const size of [1, 2, 3, 7]) expect(drive(chunked(input, size), opts), `chunks of ${size}`).toEqual(want);
  });

  it('gives the expected events for the corpus', () => {
    const got = (name: string): unknown[] => {
      const row = CORPUS.find((c) => c[0] === name)!;
      return events(row[1], row[2]).map((e) =>
        e.type === 'command' ? `${e.command.tag} ${e.command.kind}` : e.type === 'error' ? `${e.tag} ${e.status}${e.fatal ? ' fatal' : ''}` : e.type,
      );
    };
    expect(got('sync and non-sync literals')).toEqual(['needLiteral', 'needLiteral', 'a2 LOGIN', 'a3 NOOP']);
    expect(got('literal holding CRLF and command-like text')).toEqual(['needLiteral', 'a LOGIN', 'c NOOP']);
    expect(got('IDLE and DONE')).toEqual(['a IDLE', 'idleDone', 'b NOOP', 'c IDLE', 'idleDone']);
    expect(got('IDLE with garbage')).toEqual(['a IDLE', 'null BAD', 'b NOOP']);
    expect(got('AUTHENTICATE exchange')).toEqual(['a AUTHENTICATE', 'authResponse', 'b AUTHENTICATE', 'authCancel', 'c NOOP']);
    expect(got('AUTHENTICATE bad base64')).toEqual(['a AUTHENTICATE', 'null BAD', 'c NOOP']);
    expect(got('garbage and unknown commands')).toEqual(['garbage BAD', 'a BAD', 'null BAD', 'null BAD', 'b NOOP']);
    expect(got('unknown command with non-sync literal')).toEqual(['a BAD', 'b NOOP']);
    expect(got('unknown command with sync literal')).toEqual(['a BAD', 'b NOOP']);
    expect(got('refused literals')).toEqual(['needLiteral', 'needLiteral', 'c NOOP']);
    expect(got('LITERAL- refuses a large non-sync literal and skips it')).toEqual(['a BAD', 'b NOOP']);
    expect(got('too large sync literal before login')).toEqual(['a BAD', 'b NOOP']);
    expect(got('too large non-sync literal before login is fatal')).toEqual(['a BAD fatal']);
    expect(got('8-bit quoted string after ENABLE UTF8=ACCEPT')).toEqual(['a SELECT', 'b SELECT']);
  });
});

describe('literals', () => {
  it('waits for a decision and repeats needLiteral until then', () => {
    const p = new ImapParser();
    p.feed(b('a LOGIN {3}\r\n'));
    const ev = p.next();
    expect(ev).toEqual({ type: 'needLiteral', tag: 'a', command: 'LOGIN', size: 3, nonSync: false, binary: false });
    expect(p.next()).toBe(ev);
    p.acceptLiteral();
    expect(p.next()).toEqual({ type: 'needMore' });
    p.feed(b('bob pw\r\n'));
    expect(p.next()).toMatchObject({ type: 'command', command: { kind: 'LOGIN', username: 'bob', password: 'pw' } });
    expect(() => p.acceptLiteral()).toThrow();
    expect(() => p.rejectLiteral()).toThrow();
  });

  it('keeps literal bytes exact (no decoding)', () => {
    const data = Buffer.from([0, 1, 2, 0x0d, 0x0a, 0x80, 0xff, 0x7b, 0x7d]);
    const input = Buffer.concat([b(`a APPEND INBOX ~{${data.length}}\r\n`), data, b('\r\n')]);
    const [, cmd] = drive(chunked(input, 4), { authenticated: true });
    expect(cmd).toMatchObject({ type: 'command', command: { messages: [{ data, binary: true }] } });
  });

  it('answers NO [TOOBIG] for an APPEND above the limit and stays in sync', () => {
    const ev = drive([b(`a APPEND INBOX {${LIMITS.imap.appendBytes + 1}}\r\nb NOOP\r\n`)], { authenticated: true });
    expect(ev[0]).toEqual({ type: 'error', tag: 'a', status: 'NO', code: { code: 'TOOBIG' }, message: 'Literal too large', fatal: false });
    expect(ev[1]).toMatchObject({ type: 'command', command: { tag: 'b' } });
  });

  it('closes on a non-synchronizing APPEND literal above the limit', () => {
    const ev = drive([b(`a APPEND INBOX {${LIMITS.imap.appendBytes + 1}+}\r\nxx\r\nb NOOP\r\n`)], { authenticated: true });
    expect(ev).toEqual([{ type: 'error', tag: 'a', status: 'BAD', code: { code: 'TOOBIG' }, message: 'Literal too large', fatal: true }]);
  });

  it('uses the smaller literal limit outside APPEND', () => {
    const ev = drive([b(`a SELECT {${LIMITS.imap.literalBytes + 1}}\r\n`)], { authenticated: true });
    expect(ev[0]).toMatchObject({ type: 'error', tag: 'a', status: 'BAD', code: { code: 'TOOBIG' }, fatal: false });
  });

  it('treats absurd octet counts as too large', () => {
    const ev = drive([b('a APPEND INBOX {99999999999999999999999999}\r\n')], { authenticated: true });
    expect(ev[0]).toMatchObject({ type: 'error', code: { code: 'TOOBIG' }, fatal: false });
  });

  it('bounds the total size of one command (LIMITS.imap.commandBytes)', () => {
    const size = Math.floor(LIMITS.imap.commandBytes / 2) + 1;
    const p = new ImapParser({ authenticated: true });
    p.feed(b(`a APPEND INBOX {${size}}\r\n`));
    expect(p.next()).toMatchObject({ type: 'needLiteral', size });
    p.acceptLiteral();
    p.feed(Buffer.alloc(size, 0x61));
    p.feed(b(` {${size}}\r\n`));
    expect(p.next()).toMatchObject({ type: 'error', tag: 'a', code: { code: 'TOOBIG' }, fatal: false });
  });

  it('refuses more literals than MULTIAPPEND allows', () => {
    const many = Array.from({ length: LIMITS.imap.multiappendMessages + 2 }, () => '{1+}\r\nx').join(' ');
    const ev = drive([b(`a APPEND INBOX ${many}\r\nb NOOP\r\n`)], { authenticated: true });
    expect(ev.filter((e) => e.type === 'error')).toEqual([
      { type: 'error', tag: 'a', status: 'BAD', code: { code: 'LIMIT' }, message: 'Too many literals in one command', fatal: false },
    ]);
    expect(ev[ev.length - 1]).toMatchObject({ type: 'command', command: { tag: 'b' } });
  });
});

describe('line limits and hostile input', () => {
  it('rejects an over-long line with its tag, then continues', () => {
    const long = 'a SELECT ' + 'x'.repeat(LIMITS.imap.lineBytesPreAuth);
    for (const size of [1 << 20, 1000, 3]) {
      const ev = drive(chunked(b(`${long}\r\nb NOOP\r\n`), size));
      expect(ev).toEqual([
        { type: 'error', tag: 'a', status: 'BAD', code: null, message: 'Line too long', fatal: false },
        { type: 'command', command: { tag: 'b', kind: 'NOOP' } },
      ]);
    }
  });

  it('allows longer lines after login', () => {
    const uids = Array.from({ length: LIMITS.imap.lineBytesPreAuth / 4 }, (_, i) => String(i * 2 + 1)).join(',');
    expect(drive([b(`a UID FETCH ${uids} FLAGS\r\n`)])[0]).toMatchObject({ type: 'error', message: 'Line too long' });
    expect(drive([b(`a UID FETCH ${uids} FLAGS\r\n`)], { authenticated: true })[0]).toMatchObject({ type: 'command' });
  });

  it('skips a literal announced at the end of an over-long line', () => {
    const long = 'a LOGIN ' + 'x'.repeat(LIMITS.imap.lineBytesPreAuth) + ' {5+}';
    const ev = drive(chunked(b(`${long}\r\nhello\r\nb NOOP\r\n`), 100));
    expect(ev.map((e) => e.type)).toEqual(['error', 'command']);
  });

  it('never buffers a huge line (1 GB without LF)', () => {
    const p = new ImapParser({ authenticated: true });
    const chunk = Buffer.alloc(1 << 20, 0x41);
    const errors: ParseEvent[] = [];
    p.feed(b('a1 SELECT '));
    for (let i = 0; i < 1024; i++) {
      p.feed(chunk);
      for (let ev = p.next(); ev.type !== 'needMore'; ev = p.next()) errors.push(ev);
      expect(p.bufferedBytes).toBeLessThanOrEqual(LIMITS.imap.lineBytes);
    }
    p.feed(b('\r\na2 NOOP\r\n'));
    for (let ev = p.next(); ev.type !== 'needMore'; ev = p.next()) errors.push(ev);
    expect(errors).toEqual([
      { type: 'error', tag: 'a1', status: 'BAD', code: null, message: 'Line too long', fatal: false },
      { type: 'command', command: { tag: 'a2', kind: 'NOOP' } },
    ]);
  });

  it('bounds nesting of parentheses and search keys', () => {
    const depth = LIMITS.imap.nestingDepth;
    const ok = (n: number): string => `a SEARCH ${'('.repeat(n)}ALL${')'.repeat(n)}\r\n`;
    expect(drive([b(ok(depth))], { authenticated: true })[0]).toMatchObject({ type: 'command' });
    expect(drive([b(ok(depth + 1))], { authenticated: true })[0]).toMatchObject({ type: 'error', message: 'Too deeply nested' });
    expect(drive([b(`a SEARCH ${'NOT '.repeat(10000)}ALL\r\n`)], { authenticated: true })[0]).toMatchObject({
      type: 'error',
      tag: 'a',
      message: 'Too deeply nested',
    });
  });
});

describe('parser state', () => {
  it('hands over unread bytes after STARTTLS', () => {
    const p = new ImapParser();
    p.feed(b('a STARTTLS\r\nb LOGIN x'));
    p.feed(b(' y\r\n'));
    expect(p.next()).toMatchObject({ type: 'command', command: { kind: 'STARTTLS' } });
    expect(p.bufferedBytes).toBe(13);
    expect(p.takeBuffered().toString()).toBe('b LOGIN x y\r\n');
    expect(p.next()).toEqual({ type: 'needMore' });
  });

  it('includes a partial line in takeBuffered', () => {
    const p = new ImapParser();
    p.feed(b('a COMPRESS DEFLATE\r\nxy'));
    expect(p.next()).toMatchObject({ type: 'command' });
    expect(p.next()).toEqual({ type: 'needMore' });
    p.feed(b('z'));
    expect(p.next()).toEqual({ type: 'needMore' });
    expect(p.takeBuffered().toString()).toBe('xyz');
  });

  it('stays failed after a fatal error', () => {
    const p = new ImapParser();
    p.feed(b('a LOGIN {100000+}\r\n'));
    const ev = p.next();
    expect(ev).toMatchObject({ type: 'error', fatal: true });
    p.feed(b('b NOOP\r\n'));
    expect(p.next()).toBe(ev);
  });

  it('switches limits and UTF-8 on request', () => {
    const p = new ImapParser();
    p.feed(b('a SELECT "Entwürfe"\r\n'));
    expect(p.next()).toMatchObject({ type: 'error', tag: 'a' });
    p.setUtf8(true);
    p.setAuthenticated(true);
    p.feed(b('b SELECT "Entwürfe"\r\n'));
    expect(p.next()).toMatchObject({ type: 'command', command: { mailbox: 'Entwürfe' } });
    expect(p.getMode()).toBe('command');
  });

  it('reads an empty AUTHENTICATE response line', () => {
    const p = new ImapParser();
    p.setMode('authenticate');
    p.feed(b('\r\n'));
    expect(p.next()).toEqual({ type: 'authResponse', data: Buffer.alloc(0) });
    expect(p.getMode()).toBe('authenticate');
  });
});
