/**
 * SORT (RFC 5256 §3, RFC 5957 DISPLAYFROM/DISPLAYTO) and THREAD (ORDEREDSUBJECT, REFERENCES) end to
 * end, with the raw client and Python's imaplib. Every expected order and tree is worked out by hand
 * in the comments from the messages below (UIDs differ from sequence numbers on purpose).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailStore } from '../../src/store/store.js';
import { FLAG_BITS } from '../../src/store/types.js';
import { startServerInProcess, type InProcessServer } from '../helpers/server.js';
import { fill, sortMessage, threadMessage, type TestMessage } from './imap-search-support.js';
import { PY_PRELUDE, pyLines, RawImap, runPython, simpleMessage } from './imap-support.js';

const ALICE = { address: 'alice@example.com', password: 'alice-secret' };
const day = (d: number, h = 0) => Date.UTC(2024, 0, d, h);

/** Sequence numbers 1..6. */
const SORT_MESSAGES: TestMessage[] = [
  sortMessage({ from: 'Zed <zed@x.com>', to: 'amy@x.com', cc: 'mike@x.com', subject: 'Re: banana', date: 'Mon, 1 Jan 2024 10:00:00 +0000', internalDate: day(5), pad: 300 }),
  sortMessage({ from: 'amy@x.com', to: 'Bob Brown <bob@x.com>', subject: 'apple', date: 'Mon, 1 Jan 2024 09:00:00 -0200', internalDate: day(3), pad: 100 }),
  sortMessage({ from: '"Émile" <emile@x.com>', to: 'carl@x.com', cc: 'ann@x.com', subject: '[list] Apple', date: null, internalDate: day(1, 12), pad: 500 }),
  sortMessage({ from: 'bob <Bob@x.com>', to: '', subject: 'Cherry', date: 'Sun, 31 Dec 2023 23:00:00 +0000', internalDate: day(4), pad: 100 }),
  sortMessage({ from: '=?utf-8?q?=C3=81lvaro?= <alvaro@x.com>', to: 'Zoe <zoe@x.com>', cc: 'Mike <mike@x.com>', subject: 'Fwd: banana', date: 'Tue, 2 Jan 2024 00:00:00 +0000', internalDate: day(2), pad: 300 }),
  sortMessage({ from: 'Carl <carl@x.com>', to: 'amy@x.com', subject: '', date: 'Mon, 1 Jan 2024 10:00:00 +0000', internalDate: day(5) }),
];

const d = (n: number, h: number) => `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(Date.UTC(2024, 0, n)).getUTCDay()]}, ${n} Jan 2024 ${String(h).padStart(2, '0')}:00:00 +0000`;

/** Sequence numbers 1..11. */
const THREAD_MESSAGES: TestMessage[] = [
  threadMessage({ id: 'a1@x', subject: 'Plans', date: d(1, 10) }),
  threadMessage({ id: 'a2@x', refs: '<a1@x>', subject: 'Re: Plans', date: d(1, 11) }),
  threadMessage({ id: 'a3@x', refs: '<a1@x> <a2@x>', subject: 'Re: Plans', date: d(1, 12) }),
  threadMessage({ id: 'a4@x', refs: '<a1@x>', subject: 'Re: Plans', date: d(1, 13) }),
  threadMessage({ id: 'b1@x', refs: '<missing@x>', subject: 'Re: Ghost', date: d(2, 10) }),
  threadMessage({ id: 'b2@x', refs: '<missing@x>', subject: 'Re: Ghost', date: d(2, 9) }),
  threadMessage({ id: 'c1@x', subject: 'Plans', date: d(3, 10) }),
  threadMessage({ id: 'd1@x', subject: 'Re: Lone', date: 'Sun, 31 Dec 2023 10:00:00 +0000' }),
  threadMessage({ id: 'e1@x', irt: '<a3@x>', subject: 'Re: Plans', date: d(4, 10) }),
  threadMessage({ id: '"q1"@x', subject: 'Quote', date: d(5, 10) }),
  threadMessage({ id: 'q2@x', refs: '<q1@x>', subject: 'Re: Quote', date: d(6, 10) }),
];

let srv: InProcessServer;
let port: number;
let store: MailStore;
let sortUids: number[];
let threadUids: number[];

/** Fills a mailbox after two expunged messages, so that UIDs are not sequence numbers. */
async function fillShifted(name: string, messages: readonly TestMessage[]): Promise<number[]> {
  await fill(store, ALICE.address, name, [1, 2].map((i) => ({ raw: simpleMessage(`gone ${i}`), flags: FLAG_BITS['\\Deleted'] })));
  const account = (await store.getAccountByAddress(ALICE.address))!;
  await store.expunge(account.id, (await store.findMailbox(account.id, name))!.id);
  return fill(store, ALICE.address, name, messages);
}

beforeAll(async () => {
  srv = await startServerInProcess({ users: [ALICE], listeners: ['imap'] });
  port = srv.ports.imap!;
  store = srv.running.store;
  sortUids = await fillShifted('Sorting', SORT_MESSAGES);
  threadUids = await fillShifted('Threads', THREAD_MESSAGES);
});

afterAll(async () => {
  await srv?.stop();
});

async function session(box: string): Promise<RawImap> {
  const c = await RawImap.connect(port);
  await c.next();
  await c.login(ALICE.address, ALICE.password);
  const r = await c.command(`SELECT ${box}`);
  if (!r.status.startsWith('OK')) throw new Error(`SELECT ${box}: ${r.status}`);
  return c;
}

async function one(c: RawImap, command: string, kind: 'SORT' | 'THREAD'): Promise<string> {
  const r = await c.command(command);
  expect(r.status, command).toMatch(/^OK/);
  const lines = r.untagged.filter((l) => l.startsWith(`* ${kind}`));
  expect(lines, command).toHaveLength(1);
  return lines[0]!.slice(`* ${kind}`.length).trim();
}

describe('SORT', () => {
  const bySize = (): number[] => {
    const sizes = SORT_MESSAGES.map((m) => m.raw.length);
    return [1, 2, 3, 4, 5, 6].sort((a, b) => sizes[a - 1]! - sizes[b - 1]! || a - b);
  };
  const table: Array<[string, () => number[]]> = [
    // INTERNALDATE: 3 (1st), 5, 2, 4, then 1 and 6 (both the 5th: sequence order).
    ['(ARRIVAL)', () => [3, 5, 2, 4, 1, 6]],
    ['(REVERSE ARRIVAL)', () => [1, 6, 4, 2, 5, 3]],
    // Sent dates in UTC: 4 (Dec 31), 1 and 6 (Jan 1 10:00), 2 (09:00 -0200 = 11:00), 3 (no Date: its
    // INTERNALDATE, 12:00), 5 (Jan 2).
    ['(DATE)', () => [4, 1, 6, 2, 3, 5]],
    ['(REVERSE DATE)', () => [5, 3, 2, 1, 6, 4]],
    ['(SIZE)', bySize],
    ['(REVERSE SIZE)', () => {
      const sizes = SORT_MESSAGES.map((m) => m.raw.length);
      return [1, 2, 3, 4, 5, 6].sort((a, b) => sizes[b - 1]! - sizes[a - 1]! || a - b);
    }],
    // Base subjects: "" (6), apple (2) = Apple (3, blob removed), banana (1, 5), Cherry (4).
    ['(SUBJECT)', () => [6, 2, 3, 1, 5, 4]],
    ['(SUBJECT REVERSE DATE)', () => [6, 3, 2, 5, 1, 4]],
    ['(REVERSE SUBJECT DATE)', () => [4, 1, 5, 2, 3, 6]],
    // First From mailbox: alvaro 5, amy 2, bob 4 (Bob), carl 6, emile 3, zed 1.
    ['(FROM)', () => [5, 2, 4, 6, 3, 1]],
    ['(REVERSE FROM)', () => [1, 3, 6, 4, 2, 5]],
    // First To mailbox: none (4), amy (1, 6), bob 2, carl 3, zoe 5.
    ['(TO)', () => [4, 1, 6, 2, 3, 5]],
    ['(REVERSE TO)', () => [5, 3, 2, 1, 6, 4]],
    // First Cc mailbox: none (2, 4, 6), ann 3, mike (1, 5).
    ['(CC)', () => [2, 4, 6, 3, 1, 5]],
    ['(CC REVERSE ARRIVAL)', () => [6, 4, 2, 3, 1, 5]],
    // RFC 5957 display names, i;unicode-casemap: titlecase then NFKD, so "Álvaro" is "A" + U+0301 and
    // sorts after "amy@x.com" (U+0301 > "M"): amy@x.com 2, Álvaro 5, bob 4, Carl 6, Émile 3, Zed 1.
    ['(DISPLAYFROM)', () => [2, 5, 4, 6, 3, 1]],
    ['(REVERSE DISPLAYFROM)', () => [1, 3, 6, 4, 5, 2]],
    // To display: none 4, amy@x.com (1, 6), Bob Brown 2, carl@x.com 3, Zoe 5.
    ['(DISPLAYTO)', () => [4, 1, 6, 2, 3, 5]],
  ];
  let c: RawImap;
  beforeAll(async () => {
    c = await session('Sorting');
  });
  afterAll(() => c.close());

  it.each(table)('SORT and UID SORT %s UTF-8 ALL', async (criteria, expected) => {
    const want = expected();
    expect(await one(c, `SORT ${criteria} UTF-8 ALL`, 'SORT')).toBe(want.join(' '));
    expect(await one(c, `UID SORT ${criteria} UTF-8 ALL`, 'SORT')).toBe(want.map((n) => sortUids[n - 1]).join(' '));
  });

  it('sorts only the searched messages', async () => {
    expect(await one(c, 'SORT (DATE) UTF-8 SUBJECT banana', 'SORT')).toBe('1 5');
    expect(await one(c, 'SORT (ARRIVAL) US-ASCII NOT FROM zed', 'SORT')).toBe('3 5 2 4 6');
    expect(await one(c, 'SORT (SUBJECT) US-ASCII TEXT "not in mailbox"', 'SORT')).toBe('');
    expect(await one(c, `SORT (REVERSE ARRIVAL) UTF-8 UID ${sortUids[1]}:${sortUids[3]}`, 'SORT')).toBe('4 2 3');
    expect((await c.command('SORT (NOSUCH) UTF-8 ALL')).status).toMatch(/^BAD/);
    expect((await c.command('SORT (DATE) X-NO-SUCH ALL')).status).toMatch(/^NO \[BADCHARSET/);
  });

  it('keeps this session`s numbers while another session expunges, then shifts them', async () => {
    await fill(store, ALICE.address, 'SortExp', [0, 1, 2].map((i) => ({ raw: simpleMessage(`s${i}`), internalDate: day(10 - i) })));
    const a = await session('SortExp');
    const b = await session('SortExp');
    await b.command('STORE 2 +FLAGS.SILENT (\\Deleted)');
    await b.command('EXPUNGE');
    // Message 2 is gone; 1 and 3 keep their numbers (no EXPUNGE while answering SORT).
    const r = await a.command('SORT (ARRIVAL) UTF-8 ALL');
    expect(r.untagged).toEqual(['* SORT 3 1']);
    await a.command('NOOP');
    expect(await one(a, 'SORT (ARRIVAL) UTF-8 ALL', 'SORT')).toBe('2 1');
    a.close();
    b.close();
  });

  it('imaplib: sort and uid sort', async () => {
    const out = pyLines(await runPython(PY_PRELUDE + `
M = imaplib.IMAP4('127.0.0.1', A['port'])
M.login(A['user'], A['pw'])
M.select('Sorting')
out(k='date', r=M.sort('(REVERSE DATE)', 'UTF-8', 'ALL')[1][0])
out(k='uid', r=M.uid('SORT', '(SUBJECT REVERSE DATE)', 'UTF-8', 'ALL')[1][0])
out(k='displayfrom', r=M.sort('(DISPLAYFROM)', 'UTF-8', 'ALL')[1][0])
M.logout()
`, { port, user: ALICE.address, pw: ALICE.password }));
    const by = Object.fromEntries(out.map((o) => [o['k'], o['r']]));
    expect(by['date']).toBe('5 3 2 1 6 4');
    expect(by['uid']).toBe([6, 3, 2, 5, 1, 4].map((n) => sortUids[n - 1]).join(' '));
    expect(by['displayfrom']).toBe('2 5 4 6 3 1');
  });
});

describe('THREAD', () => {
  // REFERENCES, step by step:
  // (1) 1 <- 2 <- 3 <- 9 (In-Reply-To), 1 <- 4; dummy <missing@x> <- 5, 6; 11 <- 10 (<"q1"@x> is <q1@x>).
  // (2)(3) root: 1, dummy (two children: kept), 7, 8, 10. (4) by date: 8 (Dec 31), 1, dummy (first
  // child 6, Jan 2 09:00), 7, 10. (5) "Plans": 1 in the table; 7 is not a reply: a new dummy holds 1
  // and 7. (6) 1's children 2 (11:00), 4 (13:00); the ghost dummy's 6 (09:00), 5 (10:00).
  const REFERENCES = '(8)((1 (2 3 9)(4))(7))((6)(5))(10 11)';
  // ORDEREDSUBJECT: Ghost 6, 5; Lone 8; Plans 1, 2, 3, 4, 7, 9; Quote 10, 11; threads by first date.
  const ORDERED = '(8)(1 (2)(3)(4)(7)(9))(6 5)(10 11)';
  const asUids = (tree: string) => tree.replace(/\d+/g, (n) => String(threadUids[Number(n) - 1]));

  let c: RawImap;
  beforeAll(async () => {
    c = await session('Threads');
  });
  afterAll(() => c.close());

  it('REFERENCES: by message number and by UID', async () => {
    expect(await one(c, 'THREAD REFERENCES UTF-8 ALL', 'THREAD')).toBe(REFERENCES);
    expect(await one(c, 'UID THREAD REFERENCES UTF-8 ALL', 'THREAD')).toBe(asUids(REFERENCES));
  });

  it('ORDEREDSUBJECT: by message number and by UID', async () => {
    expect(await one(c, 'THREAD ORDEREDSUBJECT UTF-8 ALL', 'THREAD')).toBe(ORDERED);
    expect(await one(c, 'UID THREAD ORDEREDSUBJECT US-ASCII ALL', 'THREAD')).toBe(asUids(ORDERED));
  });

  it('threads only the searched messages; an absent parent becomes a dummy and is pruned', async () => {
    expect(await one(c, 'THREAD REFERENCES UTF-8 SUBJECT ghost', 'THREAD')).toBe('((6)(5))');
    // Without 2, 3's References still name 2: a dummy with one child, not at the root, promoted:
    // 3 becomes a child of 1 next to 4.
    expect(await one(c, 'THREAD REFERENCES UTF-8 NOT 2', 'THREAD')).toBe('(8)((1 (3 9)(4))(7))((6)(5))(10 11)');
    // Only 3 and 9: 3's ancestors are dummies (a chain of one child each), so 3 leads.
    expect(await one(c, 'THREAD REFERENCES UTF-8 OR 3 9', 'THREAD')).toBe('(3 9)');
    expect(await one(c, 'THREAD ORDEREDSUBJECT UTF-8 SUBJECT quote', 'THREAD')).toBe('(10 11)');
    expect(await one(c, 'THREAD REFERENCES UTF-8 SUBJECT "not there"', 'THREAD')).toBe('');
    expect((await c.command('THREAD XYZ UTF-8 ALL')).status).toMatch(/^BAD/);
  });

  it('imaplib: thread and uid thread', async () => {
    const out = pyLines(await runPython(PY_PRELUDE + `
M = imaplib.IMAP4('127.0.0.1', A['port'])
M.login(A['user'], A['pw'])
M.select('Threads')
out(k='refs', r=M.thread('REFERENCES', 'UTF-8', 'ALL')[1][0])
out(k='ordered', r=M.uid('THREAD', 'ORDEREDSUBJECT', 'UTF-8', 'ALL')[1][0])
M.logout()
`, { port, user: ALICE.address, pw: ALICE.password }));
    const by = Object.fromEntries(out.map((o) => [o['k'], o['r']]));
    expect(by['refs']).toBe(REFERENCES);
    expect(by['ordered']).toBe(asUids(ORDERED));
  });
});
