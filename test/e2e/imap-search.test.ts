/**
 * SEARCH end to end on a real server: every search key (RFC 9051 §6.4.4, RFC 3501 NEW/OLD/RECENT,
 * RFC 5032, RFC 8514, RFC 7162, RFC 8474), combinations, CHARSET, ESEARCH (RFC 4731), SEARCHRES
 * (RFC 5182) with "$" in FETCH/STORE/UID commands, and sequence numbers while other sessions expunge
 * and deliver. Driven with a raw client (exact responses), imapflow and Python's imaplib.
 */
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailStore } from '../../src/store/store.js';
import { FLAG_BITS } from '../../src/store/types.js';
import { startServerInProcess, type InProcessServer } from '../helpers/server.js';
import { fill, searchMessages } from './imap-search-support.js';
import { PY_PRELUDE, pyLines, RawImap, runPython, simpleMessage } from './imap-support.js';

const ALICE = { address: 'alice@example.com', password: 'alice-secret' };

let srv: InProcessServer;
let port: number;
let store: MailStore;
/** UIDs of the SEARCH mailbox messages 1..7 (sequence numbers are 1..7). */
let uids: number[];
const sizes = searchMessages().map((m) => m.raw.length);

beforeAll(async () => {
  srv = await startServerInProcess({ users: [ALICE], listeners: ['imap'] });
  port = srv.ports.imap!;
  store = srv.running.store;
  // Three messages first, expunged at once: UIDs (4..10) differ from sequence numbers (1..7).
  const junk = Array.from({ length: 3 }, (_, i) => ({ raw: simpleMessage(`junk ${i}`), flags: FLAG_BITS['\\Deleted'] }));
  await fill(store, ALICE.address, 'Search', junk);
  const account = (await store.getAccountByAddress(ALICE.address))!;
  await store.expunge(account.id, (await store.findMailbox(account.id, 'Search'))!.id);
  uids = await fill(store, ALICE.address, 'Search', searchMessages());
});

afterAll(async () => {
  await srv?.stop();
});

async function session(box = 'Search', enable?: string): Promise<RawImap> {
  const c = await RawImap.connect(port);
  await c.next();
  await c.login(ALICE.address, ALICE.password);
  if (enable !== undefined) await c.command(`ENABLE ${enable}`);
  const r = await c.command(`SELECT ${box}`);
  if (!r.status.startsWith('OK')) throw new Error(`SELECT ${box}: ${r.status}`);
  return c;
}

/** A literal+ (RFC 7888) of UTF-8 text. */
const lit = (s: string): string => `{${Buffer.byteLength(s)}+}\r\n${s}`;

/** Numbers of the one SEARCH response of a command; the tagged status must be OK. */
async function searchNumbers(c: RawImap, command: string): Promise<number[]> {
  const r = await c.command(command);
  expect(r.status, command).toMatch(/^OK/);
  const lines = r.untagged.filter((l) => l.startsWith('* SEARCH'));
  expect(lines, command).toHaveLength(1);
  return lines[0]!.slice('* SEARCH'.length).trim().split(' ').filter((x) => x !== '').map(Number);
}

/** UIDs 1, 3, 5, ... 41: twenty-one ranges. */
const ODD_UIDS = Array.from({ length: 21 }, (_, i) => 2 * i + 1).join(',');

const utcDay = (ms: number): string => {
  const d = new Date(ms);
  const m = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()]!;
  return `${d.getUTCDate()}-${m}-${d.getUTCFullYear()}`;
};

describe('SEARCH keys (messages 1..7 of imap-search-support.ts)', () => {
  const all = [1, 2, 3, 4, 5, 6, 7];
  const not = (xs: number[]) => all.filter((x) => !xs.includes(x));
  const big = () => [1, 2, 3, 4, 5, 6, 7].filter((n) => sizes[n - 1]! > 2000);
  const table: Array<[string, () => number[]]> = [
    ['ALL', () => all],
    ['ANSWERED', () => [2]], ['UNANSWERED', () => not([2])],
    ['DELETED', () => [3]], ['UNDELETED', () => not([3])],
    ['DRAFT', () => [4]], ['UNDRAFT', () => not([4])],
    ['FLAGGED', () => [3]], ['UNFLAGGED', () => not([3])],
    ['SEEN', () => [1]], ['UNSEEN', () => not([1])],
    // No \Recent in Roost.
    ['NEW', () => []], ['RECENT', () => []], ['OLD', () => all],
    ['KEYWORD $Important', () => [1]], ['KEYWORD $important', () => [1]], ['UNKEYWORD $Important', () => not([1])],
    ['KEYWORD $Nothing', () => []],
    // INTERNALDATE by UTC calendar day: 2 is at 00:00:00 on the 11th, 4 at 23:59:59.
    ['BEFORE 11-Jan-2024', () => [1, 6]], ['ON 11-Jan-2024', () => [2, 4]], ['SINCE 1-Feb-2024', () => [3, 5, 7]],
    ['ON 1-Mar-2024', () => [5]], ['NOT ON 11-Jan-2024', () => not([2, 4])],
    // Date: header by the day it names in its own zone (1 was written 7 Feb 1994 21:52 -0800, 8 Feb in
    // UTC); 3 has none: INTERNALDATE.
    ['SENTBEFORE 1-Jan-2024', () => [1]], ['SENTON 7-Feb-1994', () => [1]], ['SENTON 8-Feb-1994', () => []],
    ['SENTON 12-Jan-2024', () => [4]], ['SENTSINCE 1-Feb-2024', () => [3, 5, 7]], ['SENTON 1-Feb-2024', () => [3]],
    ['SAVEDATESUPPORTED', () => all], ['SAVEDBEFORE 1-Jan-2000', () => []], ['SAVEDSINCE 1-Jan-2000', () => all],
    [`SAVEDBEFORE ${utcDay(Date.now() + 2 * 86_400_000)}`, () => all], [`SAVEDSINCE ${utcDay(Date.now() + 2 * 86_400_000)}`, () => []],
    // RFC 5032: 7 was appended just now, the others in 2024.
    ['OLDER 3600', () => not([7])], ['YOUNGER 3600', () => [7]],
    ['LARGER 2000', big], ['SMALLER 2000', () => not(big())], [`LARGER ${sizes[0]! - 1}`, () => all.filter((n) => sizes[n - 1]! >= sizes[0]!)],
    [`SMALLER ${sizes[0]}`, () => all.filter((n) => sizes[n - 1]! < sizes[0]!)],
    ['HEADER X-Priority 1', () => [1]], ['HEADER X-PRIORITY ""', () => [1]], ['HEADER Message-ID <kickoff@example.com>', () => [1]],
    ['HEADER Message-ID KICKOFF', () => [1]], ['HEADER In-Reply-To "<kickoff@example.com>"', () => [2]],
    ['HEADER References kickoff', () => [2, 4]], ['HEADER Subject ""', () => all], ['HEADER Date ""', () => not([3, 7])],
    ['SUBJECT kickoff', () => [1, 2, 4]], ['SUBJECT BUDGET', () => [3, 6]], [`SUBJECT ${lit('über')}`, () => [3]],
    ['SUBJECT "[list]"', () => [3]], ['SUBJECT ""', () => all],
    ['FROM "alice smith"', () => [1]], [`FROM ${lit('jürgen')}`, () => [3]], [`FROM ${lit('MÜLLER')}`, () => [3]],
    ['FROM juergen@example.de', () => [3]], ['TO carol', () => [3]], ['TO bob', () => [1, 4]], ['CC carol', () => [1]],
    ['BCC dave', () => [1]], ['BCC nobody', () => []],
    // Bodies are decoded: base64 (2, multipart) and quoted-printable (5); BODY never matches headers.
    ['BODY zebra', () => [2]], [`BODY ${lit('ünïcödé')}`, () => [2]], [`BODY ${lit('café')}`, () => [5]],
    ['BODY x-priority', () => []], ['TEXT x-priority', () => [1]], ['TEXT "let us start"', () => [1]], ['BODY "forwarded budget"', () => [3]],
    ['UID 1:*', () => all], ['UID @2:@4', () => [2, 3, 4]], ['UID @6:99999', () => [6, 7]], ['UID 99999:*', () => [7]],
    ['UID 1:3', () => []], ['1:3', () => [1, 2, 3]], ['2,4:5', () => [2, 4, 5]], ['5:*', () => [5, 6, 7]], ['*', () => [7]],
    // Combinations.
    ['OR SEEN FLAGGED', () => [1, 3]], ['NOT OR SEEN FLAGGED', () => [2, 4, 5, 6, 7]], ['(SEEN KEYWORD $Important)', () => [1]],
    ['OR (FROM bob SUBJECT kickoff) DRAFT', () => [2, 4]], ['NOT (SUBJECT kickoff)', () => [3, 5, 6, 7]],
    ['OR SUBJECT budget NOT OLD', () => [3, 6]], ['UNSEEN SINCE 1-Jan-2024 NOT FROM eve', () => [2, 3, 4, 5, 7]],
    ['OR OR ANSWERED DRAFT OR FLAGGED SEEN', () => [1, 2, 3, 4]], ['NOT NOT NOT DELETED', () => not([3])],
    // More than 16 ranges: filtered after the store search at the top level, an IN-list under OR.
    [`UID ${ODD_UIDS}`, () => all.filter((n) => uids[n - 1]! % 2 === 1)],
    [`OR UID ${ODD_UIDS} FLAGGED`, () => all.filter((n) => uids[n - 1]! % 2 === 1 || n === 3)],
    [`NOT UID ${ODD_UIDS}`, () => all.filter((n) => uids[n - 1]! % 2 === 0)],
    ['OR 1 UID @7', () => [1, 7]], ['OR 7 UID 1:@2', () => [1, 2, 7]], ['CHARSET UTF-8 SUBJECT kickoff', () => [1, 2, 4]], ['CHARSET US-ASCII TO carol', () => [3]],
  ];

  let c: RawImap;
  beforeAll(async () => {
    c = await session();
  });
  afterAll(() => c.close());

  it.each(table)('UID SEARCH and SEARCH %s', async (text, expected) => {
    // "@n" stands for the UID of message n.
    const criteria = text.replace(/@(\d)/g, (_, n: string) => String(uids[Number(n) - 1]));
    const want = expected();
    expect(await searchNumbers(c, `UID SEARCH ${criteria}`)).toEqual(want.map((n) => uids[n - 1]));
    expect(await searchNumbers(c, `SEARCH ${criteria}`)).toEqual(want);
  });

  it('finds by sequence set exactly as by the matching UID set', async () => {
    expect(await searchNumbers(c, 'SEARCH 2:4')).toEqual([2, 3, 4]);
    expect(await searchNumbers(c, `SEARCH UID ${uids[1]}:${uids[3]}`)).toEqual([2, 3, 4]);
    expect(await searchNumbers(c, `UID SEARCH 2:4`)).toEqual([uids[1], uids[2], uids[3]]);
  });

  it('MODSEQ: changed messages and the highest modseq among them (RFC 7162 §3.1.5); CONDSTORE turns on', async () => {
    const s = await session();
    const before = await s.command('STATUS Search (HIGHESTMODSEQ)');
    const highest = Number(/HIGHESTMODSEQ (\d+)/.exec(before.untagged.join(' '))![1]);
    await s.command('STORE 5 +FLAGS (\\Flagged)');
    await s.command('STORE 6 +FLAGS ($Later)');
    const r = await s.command(`SEARCH MODSEQ ${highest + 1}`);
    const m = /^\* SEARCH 5 6 \(MODSEQ (\d+)\)$/.exec(r.untagged.find((l) => l.startsWith('* SEARCH'))!);
    expect(m).not.toBeNull();
    const f = await s.command('FETCH 5:6 (MODSEQ)');
    const modseqs = f.untagged.map((l) => Number(/MODSEQ \((\d+)\)/.exec(l)![1]));
    expect(Number(m![1])).toBe(Math.max(...modseqs));
    expect((await s.command(`UID SEARCH MODSEQ "/flags/\\\\flagged" all ${highest + 1}`)).untagged).toContain(`* SEARCH ${uids[4]} ${uids[5]} (MODSEQ ${m![1]})`);
    expect((await s.command(`SEARCH MODSEQ ${highest + 1000}`)).untagged).toEqual(['* SEARCH']);
    expect((await s.command(`SEARCH RETURN (MIN) MODSEQ ${highest + 1}`)).untagged[0]).toMatch(new RegExp(`^\\* ESEARCH \\(TAG "t\\d+"\\) MIN 5 MODSEQ ${modseqs[0]}$`));
    // CONDSTORE is now on for the session: flag changes from others carry MODSEQ.
    await c.command('STORE 6 -FLAGS ($Later)');
    const n = await s.command('NOOP');
    expect(n.untagged.join('\n')).toMatch(/\* 6 FETCH \(UID \d+ FLAGS \(.*\) MODSEQ \(\d+\)\)/);
    await s.command('STORE 5 -FLAGS (\\Flagged)');
    s.close();
  });

  it('EMAILID and THREADID (RFC 8474) find a message and its thread', async () => {
    const r = await c.command('FETCH 2 (EMAILID THREADID)');
    const [, emailId, threadId] = /EMAILID \(([\w-]+)\) THREADID \(([\w-]+)\)/.exec(r.untagged[0]!)!;
    expect(await searchNumbers(c, `SEARCH EMAILID ${emailId}`)).toEqual([2]);
    // 2 answers 1 and 4 answers 2: one thread.
    expect(await searchNumbers(c, `SEARCH THREADID ${threadId}`)).toEqual([1, 2, 4]);
    expect(await searchNumbers(c, 'SEARCH EMAILID E999999')).toEqual([]);
    expect(await searchNumbers(c, 'SEARCH THREADID not-ours')).toEqual([]);
  });

  it('answers a search of thousands of keys', async () => {
    expect(await searchNumbers(c, `SEARCH ${'UNDELETED '.repeat(3000)}ALL`)).toEqual([1, 2, 4, 5, 6, 7]);
    expect(await searchNumbers(c, `SEARCH ${'OR DELETED '.repeat(30)}SEEN`)).toEqual([1, 3]);
  });

  it('decodes other charsets, and answers NO [BADCHARSET] for unknown ones (RFC 9051 §6.4.4)', async () => {
    const tag = c.nextTag();
    c.write(Buffer.concat([Buffer.from(`${tag} UID SEARCH CHARSET ISO-8859-1 SUBJECT {4+}\r\n`), Buffer.from([0xfc, 0x62, 0x65, 0x72]), Buffer.from('\r\n')]));
    const r = await c.result(tag);
    expect(r.untagged).toEqual([`* SEARCH ${uids[2]}`]);
    const bad = await c.command('SEARCH CHARSET X-NO-SUCH-CHARSET SUBJECT x');
    expect(bad.status).toMatch(/^NO \[BADCHARSET/);
    expect((await c.command('SEARCH NOSUCHKEY')).status).toMatch(/^BAD/);
  });
});

describe('ESEARCH (RFC 4731, RFC 9051)', () => {
  it('answers RETURN options with one ESEARCH response and the TAG correlator', async () => {
    const c = await session();
    const es = async (cmd: string) => {
      const tag = c.nextTag();
      c.write(`${tag} ${cmd}\r\n`);
      const r = await c.result(tag);
      expect(r.status).toMatch(/^OK/);
      return r.untagged.map((l) => l.replace(`(TAG "${tag}")`, '(TAG)'));
    };
    const [u1, u2, u3, u4, , , u7] = uids as [number, number, number, number, number, number, number];
    expect(await es('SEARCH RETURN (MIN MAX COUNT) UNSEEN')).toEqual(['* ESEARCH (TAG) MIN 2 MAX 7 COUNT 6']);
    expect(await es('SEARCH RETURN () UNDELETED')).toEqual(['* ESEARCH (TAG) ALL 1:2,4:7']);
    expect(await es('SEARCH RETURN (ALL) SUBJECT kickoff')).toEqual(['* ESEARCH (TAG) ALL 1:2,4']);
    expect(await es('UID SEARCH RETURN (ALL) SUBJECT kickoff')).toEqual([`* ESEARCH (TAG) UID ALL ${u1}:${u2},${u4}`]);
    expect(await es('UID SEARCH RETURN (MIN MAX) ALL')).toEqual([`* ESEARCH (TAG) UID MIN ${u1} MAX ${u7}`]);
    expect(await es('SEARCH RETURN (COUNT) SUBJECT "not in mailbox"')).toEqual(['* ESEARCH (TAG) COUNT 0']);
    expect(await es('SEARCH RETURN (MIN MAX ALL) SUBJECT "not in mailbox"')).toEqual(['* ESEARCH (TAG)']);
    expect(await es('UID SEARCH RETURN (COUNT ALL) OR FLAGGED ANSWERED')).toEqual([`* ESEARCH (TAG) UID ALL ${u2}:${u3} COUNT 2`]);
    expect((await c.command('SEARCH RETURN (BOGUS) ALL')).status).toMatch(/^BAD/);
    c.close();
  });

  it('answers plain SEARCH with ESEARCH once IMAP4rev2 is enabled (RFC 9051 §6.4.4)', async () => {
    const c = await session('Search', 'IMAP4rev2');
    const r = await c.command('SEARCH SUBJECT kickoff');
    expect(r.untagged.filter((l) => l.includes('SEARCH'))).toEqual([expect.stringMatching(/^\* ESEARCH \(TAG "t\d+"\) ALL 1:2,4$/)]);
    const none = await c.command('UID SEARCH SUBJECT nothing-like-this');
    expect(none.untagged.filter((l) => l.includes('SEARCH'))).toEqual([expect.stringMatching(/^\* ESEARCH \(TAG "t\d+"\) UID$/)]);
    c.close();
  });

  it('imapflow: searches by object query, with and without UIDs, and with ESEARCH return options', async () => {
    const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user: ALICE.address, pass: ALICE.password },
      tls: { rejectUnauthorized: false }, logger: false });
    await client.connect();
    await client.mailboxOpen('Search');
    expect(await client.search({ subject: 'kickoff' })).toEqual([1, 2, 4]);
    expect(await client.search({ subject: 'kickoff' }, { uid: true })).toEqual([uids[0], uids[1], uids[3]]);
    expect(await client.search({ seen: false, flagged: true })).toEqual([3]);
    expect(await client.search({ or: [{ answered: true }, { draft: true }] })).toEqual([2, 4]);
    expect(await client.search({ not: { from: 'alice' } })).toEqual([2, 3, 4, 5, 6, 7]);
    expect(await client.search({ header: { 'x-priority': '1' } })).toEqual([1]);
    expect(await client.search({ body: 'zebra' })).toEqual([2]);
    expect(await client.search({ subject: 'über' })).toEqual([3]);
    expect(await client.search({ since: new Date(Date.UTC(2024, 1, 1)), before: new Date(Date.UTC(2024, 2, 1)) })).toEqual([3]);
    expect(await client.search({ sentOn: new Date(Date.UTC(2024, 0, 12)) })).toEqual([4]);
    expect(await client.search({ keyword: '$Important' })).toEqual([1]);
    expect(await client.search({ larger: 2000 })).toEqual([3]);
    expect(await client.search({ uid: `${uids[4]}:*` })).toEqual([5, 6, 7]);
    const es = await client.search({ subject: 'kickoff' }, { returnOptions: ['MIN', 'MAX', 'COUNT'] });
    expect(es).toMatchObject({ min: 1, max: 4, count: 3 });
    await client.logout();
  });

  it('imaplib: SEARCH, UID SEARCH, CHARSET with a literal, and ESEARCH', async () => {
    const out = pyLines(await runPython(PY_PRELUDE + `
M = imaplib.IMAP4('127.0.0.1', A['port'])
M.login(A['user'], A['pw'])
M.select('Search')
out(k='flagged', r=M.search(None, 'FLAGGED')[1][0])
out(k='or', r=M.search(None, 'OR', 'SEEN', 'DRAFT')[1][0])
out(k='uid', r=M.uid('SEARCH', 'SUBJECT', 'kickoff')[1][0])
M.literal = 'über'.encode('utf-8')
out(k='charset', r=M.search('UTF-8', 'SUBJECT')[1][0])
typ, data = M._simple_command('SEARCH', 'RETURN', '(COUNT)', 'UNSEEN')
out(k='esearch', r=M.untagged_responses.get('ESEARCH', [b''])[0])
M.logout()
`, { port, user: ALICE.address, pw: ALICE.password }));
    const by = Object.fromEntries(out.map((o) => [o['k'], o['r']]));
    expect(by['flagged']).toBe('3');
    expect(by['or']).toBe('1 4');
    expect(by['uid']).toBe(`${uids[0]} ${uids[1]} ${uids[3]}`);
    expect(by['charset']).toBe('3');
    expect(String(by['esearch'])).toMatch(/^\(TAG "\w+"\) COUNT 6$/);
  });
});

describe('SEARCHRES (RFC 5182)', () => {
  it('SAVE then $ in FETCH, UID FETCH, STORE, UID STORE, SEARCH and UID SEARCH', async () => {
    const c = await session();
    // SAVE alone: no ESEARCH response at all.
    const s = await c.command('SEARCH RETURN (SAVE) OR ANSWERED DRAFT');
    expect(s.untagged.filter((l) => l.includes('SEARCH'))).toEqual([]);
    const f = await c.command('FETCH $ (UID)');
    expect(f.untagged).toEqual([`* 2 FETCH (UID ${uids[1]})`, `* 4 FETCH (UID ${uids[3]})`]);
    const uf = await c.command('UID FETCH $ (FLAGS)');
    expect(uf.untagged.map((l) => /^\* (\d+) FETCH/.exec(l)![1])).toEqual(['2', '4']);
    await c.command('STORE $ +FLAGS.SILENT ($Saved)');
    expect(await searchNumbers(c, 'SEARCH KEYWORD $Saved')).toEqual([2, 4]);
    await c.command('UID STORE $ -FLAGS.SILENT ($Saved)');
    expect(await searchNumbers(c, 'SEARCH KEYWORD $Saved')).toEqual([]);
    expect(await searchNumbers(c, 'SEARCH $')).toEqual([2, 4]);
    expect(await searchNumbers(c, 'UID SEARCH UID $ SMALLER 100000')).toEqual([uids[1], uids[3]]);
    expect(await searchNumbers(c, 'SEARCH OR $ 7')).toEqual([2, 4, 7]);
    expect(await searchNumbers(c, 'SEARCH NOT $')).toEqual([1, 3, 5, 6, 7]);
    // SAVE with MIN / MAX only keeps those (RFC 9051 §6.4.4.1 table 4); with COUNT, everything.
    const mm = await c.command('SEARCH RETURN (SAVE MIN MAX) SUBJECT kickoff');
    expect(mm.untagged[0]).toMatch(/MIN 1 MAX 4$/);
    expect(await searchNumbers(c, 'SEARCH $')).toEqual([1, 4]);
    await c.command('UID SEARCH RETURN (SAVE MIN) SUBJECT kickoff');
    expect(await searchNumbers(c, 'SEARCH $')).toEqual([1]);
    await c.command('SEARCH RETURN (SAVE COUNT MIN) SUBJECT kickoff');
    expect(await searchNumbers(c, 'SEARCH $')).toEqual([1, 2, 4]);
    // A search without SAVE, and a failed one without SAVE, leave $ alone.
    await c.command('SEARCH RETURN (ALL) SEEN');
    await c.command('SEARCH CHARSET X-NOPE SUBJECT x');
    await c.command('SEARCH 99');
    expect(await searchNumbers(c, 'SEARCH $')).toEqual([1, 2, 4]);
    // Pipelined: SAVE then commands using $ (RFC 5182 §2.3).
    const t1 = c.nextTag();
    const t2 = c.nextTag();
    const t3 = c.nextTag();
    c.write(`${t1} UID SEARCH RETURN (SAVE) FLAGGED\r\n${t2} FETCH $ (UID)\r\n${t3} UID COPY $ Search\r\n`);
    expect((await c.result(t1)).status).toMatch(/^OK/);
    expect((await c.result(t2)).untagged).toEqual([`* 3 FETCH (UID ${uids[2]})`]);
    const copied = /^OK \[COPYUID \d+ (\d+) (\d+)\]/.exec((await c.result(t3)).status);
    expect(copied?.[1]).toBe(String(uids[2]));
    // A new SELECT empties $.
    await c.command('SELECT Search');
    expect((await c.command('FETCH $ (UID)')).untagged).toEqual([]);
    // Remove the copy made above.
    await c.command(`UID STORE ${copied![2]} +FLAGS.SILENT (\\Deleted)`);
    expect((await c.command(`UID EXPUNGE ${copied![2]}`)).untagged).toEqual(['* 8 EXPUNGE']);
    c.close();
  });

  it('drops expunged messages from $, and maps $ to current sequence numbers', async () => {
    const raws = Array.from({ length: 6 }, (_, i) => simpleMessage(`res ${i + 1}`));
    const u = await fill(store, ALICE.address, 'Res', raws.map((raw) => ({ raw })));
    const a = await session('Res');
    const b = await session('Res');
    await a.command('SEARCH RETURN (SAVE) 2,4,6');
    await b.command('STORE 1:2 +FLAGS.SILENT (\\Deleted)');
    await b.command('EXPUNGE');
    // a still holds the old map until told (SEARCH by number holds EXPUNGE back); FETCH $ shows 4 and 6.
    expect((await a.command('UID FETCH $ (UID)')).untagged.filter((l) => l.includes('FETCH'))).toEqual([
      `* 4 FETCH (UID ${u[3]})`, `* 6 FETCH (UID ${u[5]})`,
    ]);
    // After the EXPUNGEs reached a (the UID FETCH above may send them), numbers are the new ones.
    await a.command('NOOP');
    expect(await searchNumbers(a, 'SEARCH $')).toEqual([2, 4]);
    a.close();
    b.close();
  });
});

describe('results follow the session view', () => {
  it('non-UID results use this session`s numbers while another session expunges, and match UID results', async () => {
    const raws = Array.from({ length: 8 }, (_, i) => simpleMessage(i % 2 === 0 ? `even ${i + 1}` : `odd ${i + 1}`));
    const u = await fill(store, ALICE.address, 'View', raws.map((raw) => ({ raw })));
    const a = await session('View');
    const b = await session('View');
    await b.command(`UID STORE ${u[0]},${u[2]} +FLAGS.SILENT (\\Deleted)`);
    await b.command('EXPUNGE');
    // a has not been told: SEARCH by number keeps its numbers (EXPUNGE is held back during SEARCH).
    const r = await a.command('SEARCH SUBJECT even');
    expect(r.untagged).toEqual(['* SEARCH 5 7']);
    expect((await a.command('UID SEARCH SUBJECT even')).untagged.filter((l) => l.startsWith('* SEARCH'))).toEqual([`* SEARCH ${u[4]} ${u[6]}`]);
    // Now the EXPUNGEs have been sent (UID SEARCH may send them): numbers shift by two.
    await a.command('NOOP');
    expect(await searchNumbers(a, 'SEARCH SUBJECT even')).toEqual([3, 5]);
    const seqs = await searchNumbers(a, 'SEARCH SUBJECT odd');
    const uidsOdd = await searchNumbers(a, 'UID SEARCH SUBJECT odd');
    const map = await a.command(`FETCH ${seqs.join(',')} (UID)`);
    expect(map.untagged.map((l) => Number(/UID (\d+)/.exec(l)![1]))).toEqual(uidsOdd);
    a.close();
    b.close();
  });

  it('never returns a message the session has not been told about', async () => {
    const u = await fill(store, ALICE.address, 'Late', [{ raw: simpleMessage('late 1') }, { raw: simpleMessage('late 2') }]);
    const a = await session('Late');
    const [late] = await fill(store, ALICE.address, 'Late', [{ raw: simpleMessage('late 3') }]);
    const r = await a.command('SEARCH ALL');
    // The SEARCH answer comes before the EXISTS that announces message 3.
    expect(r.untagged).toEqual(['* SEARCH 1 2', '* 3 EXISTS']);
    expect((await a.command('UID SEARCH ALL')).untagged).toEqual([`* SEARCH ${u[0]} ${u[1]} ${late}`]);
    a.close();
  });
});
