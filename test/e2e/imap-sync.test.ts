/**
 * Two-way sync, the point of the product: several sessions on one account (raw client, imapflow and
 * imaplib mixed) see each other's changes at once under IDLE and at NOOP, with sequence numbers that
 * stay right through expunges, EXPUNGE held where RFC 9051 §7.5.1 forbids it, and CONDSTORE/QRESYNC
 * resynchronisation after a reconnect. Changes never cross accounts.
 */
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailStore } from '../../src/store/store.js';
import { startServerInProcess, type InProcessServer } from '../helpers/server.js';
import { populate, PY_PRELUDE, pyLines, RawImap, runPython, simpleMessage, sleep } from './imap-support.js';

const ALICE = { address: 'alice@example.com', password: 'alice-secret' };
const BOB = { address: 'bob@example.com', password: 'bob-secret' };

let srv: InProcessServer;
let port: number;
let store: MailStore;

beforeAll(async () => {
  srv = await startServerInProcess({ users: [ALICE, BOB], listeners: ['imap'] });
  port = srv.ports.imap!;
  store = srv.running.store;
});

afterAll(async () => {
  await srv?.stop();
});

let boxN = 0;
/** A fresh mailbox with `n` messages; returns its name and UIDs. */
async function freshBox(n: number, user = ALICE.address): Promise<{ name: string; uids: number[] }> {
  const name = `Sync${++boxN}`;
  const uids = await populate(store, user, name, Array.from({ length: n }, (_, i) => simpleMessage(`${name} message ${i + 1}`)));
  return { name, uids };
}

async function session(box: string, opts: { user?: typeof ALICE; enable?: string } = {}): Promise<RawImap> {
  const c = await RawImap.connect(port);
  await c.next();
  const u = opts.user ?? ALICE;
  await c.login(u.address, u.password);
  if (opts.enable !== undefined) await c.command(`ENABLE ${opts.enable}`);
  const r = await c.command(`SELECT ${box}`);
  if (!r.status.startsWith('OK')) throw new Error(`SELECT ${box}: ${r.status}`);
  return c;
}

async function idle(c: RawImap): Promise<void> {
  c.write('idle IDLE\r\n');
  expect(await c.next()).toBe('+ idling');
}

async function done(c: RawImap): Promise<string[]> {
  c.write('DONE\r\n');
  return (await c.result('idle')).untagged;
}

function flow(): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1', port, secure: false, auth: { user: ALICE.address, pass: ALICE.password },
    tls: { rejectUnauthorized: false }, logger: false, disableAutoIdle: true,
  });
}

/** A client's model of the sequence map: applies EXPUNGE n / EXISTS as the client would. */
function applyExpunges(uids: number[], responses: readonly string[]): number[] {
  const out = [...uids];
  for (const r of responses) {
    const m = /^\* (\d+) EXPUNGE$/.exec(r);
    if (m !== null) out.splice(Number(m[1]) - 1, 1);
  }
  return out;
}

async function uidsBySeq(c: RawImap): Promise<number[]> {
  const r = await c.command('FETCH 1:* (UID)');
  return r.untagged.filter((l) => / FETCH /.test(l)).map((l) => Number(/UID (\d+)/.exec(l)![1]));
}

describe('flag changes', () => {
  it('reach a session in IDLE at once (UID, FLAGS, and MODSEQ with CONDSTORE), and one at NOOP', async () => {
    const { name, uids } = await freshBox(5);
    const a = await session(name);
    const b = await session(name, { enable: 'CONDSTORE' });
    const c = await session(name);
    await idle(b);
    const t0 = Date.now();
    expect((await a.command('STORE 2 +FLAGS (\\Flagged)')).status).toMatch(/^OK/);
    const got = await b.next(2000);
    const latency = Date.now() - t0;
    expect(got).toMatch(new RegExp(`^\\* 2 FETCH \\(UID ${uids[1]} FLAGS \\(\\\\Flagged\\) MODSEQ \\(\\d+\\)\\)$`));
    expect(latency).toBeLessThan(500);
    // Several changes in a burst arrive together, each message once with its final state.
    await a.command('STORE 3:4 +FLAGS (\\Seen)');
    await a.command('STORE 4 +FLAGS (\\Answered)');
    const burst = await b.until(/^\* 4 FETCH .*\\Answered/, 2000);
    expect(burst.some((l) => l.startsWith('* 3 FETCH') && l.includes('\\Seen'))).toBe(true);
    expect(await done(b)).toEqual([]);
    // c was not idling: it hears everything at its NOOP, without MODSEQ (CONDSTORE not on).
    const n = await c.command('NOOP');
    expect(n.untagged).toEqual([
      `* 2 FETCH (UID ${uids[1]} FLAGS (\\Flagged))`,
      `* 3 FETCH (UID ${uids[2]} FLAGS (\\Seen))`,
      `* 4 FETCH (UID ${uids[3]} FLAGS (\\Seen \\Answered))`,
    ]);
    expect((await c.command('NOOP')).untagged).toEqual([]);
    for (const s of [a, b, c]) s.close();
  });

  it('imapflow in IDLE hears imaplib`s changes; imaplib hears imapflow`s', async () => {
    const { name, uids } = await freshBox(4);
    const client = flow();
    await client.connect();
    await client.mailboxOpen(name);
    const flags: Array<{ uid?: number; flags: Set<string> }> = [];
    client.on('flags', (ev: { uid?: number; flags: Set<string> }) => flags.push(ev));
    const idling = client.idle();
    await sleep(100);
    const out = pyLines(await runPython(PY_PRELUDE + `
M = imaplib.IMAP4('127.0.0.1', A['port'])
M.login(A['user'], A['pw'])
M.select(A['box'])
out(r=M.store('3', '+FLAGS', '(\\\\Flagged $Todo)')[0])
M.logout()
`, { port, user: ALICE.address, pw: ALICE.password, box: name }));
    expect(out[0]!['r']).toBe('OK');
    for (let i = 0; i < 50 && flags.length === 0; i++) await sleep(20);
    expect(flags[0]!.uid).toBe(uids[2]);
    expect([...flags[0]!.flags].sort()).toEqual(['$Todo', '\\Flagged']);
    await client.messageFlagsAdd(String(uids[0]), ['\\Seen'], { uid: true });
    await idling;
    await client.logout();
    const seen = pyLines(await runPython(PY_PRELUDE + `
M = imaplib.IMAP4('127.0.0.1', A['port'])
M.login(A['user'], A['pw'])
M.select(A['box'])
typ, data = M.fetch('1:*', '(UID FLAGS)')
out(data=data)
M.logout()
`, { port, user: ALICE.address, pw: ALICE.password, box: name }));
    expect(String(seen[0]!['data'])).toContain(`1 (UID ${uids[0]} FLAGS (\\Seen))`);
  });
});

describe('new messages', () => {
  it('give EXISTS under IDLE, from the store (delivery) and from APPEND in another session', async () => {
    const { name } = await freshBox(2);
    const b = await session(name);
    await idle(b);
    await populate(store, ALICE.address, name, [simpleMessage('delivered 1'), simpleMessage('delivered 2')]);
    expect(await b.next(2000)).toBe('* 4 EXISTS');
    const client = flow();
    await client.connect();
    const appended = await client.append(name, simpleMessage('appended by imapflow'), ['\\Seen']);
    expect(appended).toBeTruthy();
    expect(await b.next(2000)).toBe('* 5 EXISTS');
    await client.logout();
    expect(await done(b)).toEqual([]);
    const r = await b.command('FETCH 5 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])');
    expect(r.untagged[0]).toContain('FLAGS (\\Seen)');
    expect(r.untagged[0]).toContain('Subject: appended by imapflow');
    b.close();
  });

  it('imapflow hears EXISTS under IDLE', async () => {
    const { name } = await freshBox(1);
    const client = flow();
    await client.connect();
    await client.mailboxOpen(name);
    const counts: number[] = [];
    client.on('exists', (ev: { count: number }) => counts.push(ev.count));
    const idling = client.idle();
    await sleep(100);
    await populate(store, ALICE.address, name, [simpleMessage('for imapflow')]);
    for (let i = 0; i < 50 && counts.length === 0; i++) await sleep(20);
    expect(counts).toEqual([2]);
    await client.noop();
    await idling;
    await client.logout();
  });
});

describe('expunges', () => {
  it('several at once in the middle: EXPUNGE numbers that keep the map right, under IDLE and at NOOP', async () => {
    const { name, uids } = await freshBox(10);
    const a = await session(name);
    const b = await session(name);
    const c = await session(name);
    await idle(b);
    await a.command(`UID STORE ${uids[2]},${uids[3]},${uids[6]},${uids[8]} +FLAGS.SILENT (\\Deleted)`);
    const ex = await a.command('EXPUNGE');
    const expected = uids.filter((_, i) => ![2, 3, 6, 8].includes(i));
    expect(applyExpunges(uids, ex.untagged)).toEqual(expected);
    const heard = await b.until(/^\* 3 EXPUNGE$/, 2000);
    expect(heard.filter((l) => l.endsWith('EXPUNGE'))).toHaveLength(4);
    expect(applyExpunges(uids, heard)).toEqual(expected);
    expect(await done(b)).toEqual([]);
    // The following FETCH by number returns the right messages.
    expect(await uidsBySeq(b)).toEqual(expected);
    const n = await c.command('NOOP');
    expect(applyExpunges(uids, n.untagged)).toEqual(expected);
    expect(await uidsBySeq(c)).toEqual(expected);
    const r = await c.command('FETCH 3 (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])');
    expect(r.untagged[0]).toContain(`UID ${expected[2]}`);
    expect(r.untagged[0]).toContain(`Subject: ${name} message 5`);
    for (const s of [a, b, c]) s.close();
  });

  it('are held during FETCH, STORE and SEARCH by number, and sent with UID FETCH', async () => {
    const { name, uids } = await freshBox(6);
    const a = await session(name);
    const b = await session(name);
    await a.command(`UID STORE ${uids[1]} +FLAGS.SILENT (\\Deleted)`);
    await a.command('EXPUNGE');
    // b still sees 6 messages: message 2 is expunged but not yet announced to it.
    const f = await b.command('FETCH 1:6 (UID)');
    expect(f.untagged.some((l) => /EXPUNGE/.test(l))).toBe(false);
    expect(f.untagged.filter((l) => / FETCH /.test(l)).map((l) => Number(/UID (\d+)/.exec(l)![1]))).toEqual(uids.filter((_, i) => i !== 1));
    // The expunged message itself has no data any more: nothing for it, and the OK says why.
    const body = await b.command('FETCH 2 (BODY.PEEK[] FLAGS)');
    expect(body.untagged).toEqual([]);
    expect(body.status).toMatch(/^OK \[EXPUNGEISSUED\]/);
    // Message 3 is still number 3 for b.
    const s = await b.command('STORE 3 +FLAGS (\\Flagged)');
    expect(s.untagged.some((l) => /EXPUNGE/.test(l))).toBe(false);
    expect(s.untagged).toContain('* 3 FETCH (FLAGS (\\Flagged))');
    const search = await b.command('SEARCH ALL');
    // Numbers of b's view, where the expunged message 2 still holds its place.
    expect(search.untagged).toEqual(['* SEARCH 1 3 4 5 6']);
    // A UID command may carry it: sent after the FETCH data.
    const u = await b.command(`UID FETCH ${uids[2]} (FLAGS)`);
    expect(u.untagged).toEqual([`* 3 FETCH (UID ${uids[2]} FLAGS (\\Flagged))`, '* 2 EXPUNGE']);
    expect(await uidsBySeq(b)).toEqual(uids.filter((_, i) => i !== 1));
    a.close();
    b.close();
  });

  it('UID EXPUNGE removes only the named \\Deleted messages; imapflow`s delete reaches the others', async () => {
    const { name, uids } = await freshBox(5);
    const a = await session(name, { enable: 'CONDSTORE' });
    const b = await session(name);
    await a.command('STORE 1:3 +FLAGS.SILENT (\\Deleted)');
    const r = await a.command(`UID EXPUNGE ${uids[1]}:${uids[4]}`);
    expect(r.untagged).toEqual(['* 3 EXPUNGE', '* 2 EXPUNGE']);
    expect(r.status).toMatch(/^OK \[HIGHESTMODSEQ \d+\]/);
    expect(applyExpunges(uids, (await b.command('NOOP')).untagged)).toEqual([uids[0], uids[3], uids[4]]);
    const client = flow();
    await client.connect();
    await client.mailboxOpen(name);
    expect(await client.messageDelete(String(uids[4]), { uid: true })).toBe(true);
    await client.logout();
    const n = await b.command('NOOP');
    expect(n.untagged).toContain('* 3 EXPUNGE');
    expect(await uidsBySeq(b)).toEqual([uids[0], uids[3]]);
    a.close();
    b.close();
  });

  it('added and expunged while held: EXISTS counts it, the EXPUNGE follows', async () => {
    const { name, uids } = await freshBox(3);
    const a = await session(name);
    const b = await session(name);
    const [extra] = await populate(store, ALICE.address, name, [simpleMessage('short-lived')]);
    // a learns of it (a UID command never reaches a message the client was not told exists) and removes it.
    expect((await a.command('NOOP')).untagged).toEqual(['* 4 EXISTS']);
    await a.command(`UID STORE ${extra} +FLAGS.SILENT (\\Deleted)`);
    await a.command('EXPUNGE');
    const f = await b.command('FETCH 1 (UID)');
    expect(f.untagged).toEqual([`* 1 FETCH (UID ${uids[0]})`, '* 4 EXISTS']);
    const n = await b.command('NOOP');
    expect(n.untagged).toEqual(['* 4 EXPUNGE']);
    expect(await uidsBySeq(b)).toEqual(uids);
    a.close();
    b.close();
  });

  it('QRESYNC sessions hear VANISHED instead, and imapflow tracks them', async () => {
    const { name, uids } = await freshBox(6);
    const a = await session(name);
    const b = await session(name, { enable: 'QRESYNC' });
    const client = flow();
    await client.connect();
    await client.mailboxOpen(name);
    const gone: number[] = [];
    client.on('expunge', (ev: { seq?: number; uid?: number }) => gone.push(ev.seq ?? -1));
    const idling = client.idle();
    await idle(b);
    await sleep(100);
    await a.command(`UID STORE ${uids[1]}:${uids[3]} +FLAGS.SILENT (\\Deleted)`);
    await a.command('EXPUNGE');
    const heard = await b.until(/VANISHED/, 2000);
    expect(heard.at(-1)).toBe(`* VANISHED ${uids[1]}:${uids[3]}`);
    expect(await done(b)).toEqual([]);
    for (let i = 0; i < 50 && gone.length < 3; i++) await sleep(20);
    expect(gone).toEqual([4, 3, 2]);
    await client.noop();
    await idling;
    expect(client.mailbox && client.mailbox.exists).toBe(3);
    await client.logout();
    a.close();
    b.close();
  });
});

describe('resynchronisation', () => {
  it('SELECT (QRESYNC (uidvalidity modseq)) after a reconnect: VANISHED (EARLIER) and the changed flags', async () => {
    const { name, uids } = await freshBox(8);
    const first = await session(name, { enable: 'QRESYNC' });
    const sel = await first.command('NOOP');
    expect(sel.status).toMatch(/^OK/);
    const st = await first.command(`STATUS ${name} (HIGHESTMODSEQ UIDVALIDITY)`);
    const status = st.untagged.join(' ');
    const modseq = Number(/HIGHESTMODSEQ (\d+)/.exec(status)?.[1] ?? NaN);
    const uidValidity = Number(/UIDVALIDITY (\d+)/.exec(status)?.[1] ?? NaN);
    first.close();
    // While the client is away: flags change, two messages go, one arrives.
    const other = await session(name);
    await other.command(`UID STORE ${uids[0]} +FLAGS (\\Seen)`);
    await other.command(`UID STORE ${uids[4]} +FLAGS ($Later)`);
    await other.command(`UID STORE ${uids[2]},${uids[5]} +FLAGS.SILENT (\\Deleted)`);
    await other.command('EXPUNGE');
    const [added] = await populate(store, ALICE.address, name, [simpleMessage('while away')]);
    other.close();

    const back = await RawImap.connect(port);
    await back.next();
    await back.login();
    await back.command('ENABLE QRESYNC');
    const r = await back.command(`SELECT ${name} (QRESYNC (${uidValidity} ${modseq}))`);
    expect(r.status).toMatch(/^OK \[READ-WRITE\]/);
    expect(r.untagged).toContain('* 7 EXISTS');
    expect(r.untagged).toContain(`* VANISHED (EARLIER) ${uids[2]},${uids[5]}`);
    const fetches = r.untagged.filter((l) => / FETCH /.test(l));
    expect(fetches).toContainEqual(expect.stringMatching(new RegExp(`^\\* 1 FETCH \\(UID ${uids[0]} FLAGS \\(\\\\Seen\\) MODSEQ \\(\\d+\\)\\)$`)));
    expect(fetches).toContainEqual(expect.stringMatching(new RegExp(`^\\* 4 FETCH \\(UID ${uids[4]} FLAGS \\(\\$Later\\) MODSEQ`)));
    expect(fetches).toContainEqual(expect.stringMatching(new RegExp(`^\\* 7 FETCH \\(UID ${added} `)));
    expect(fetches).toHaveLength(3);
    // VANISHED before the FETCHes (RFC 7162 §3.2.5.1).
    expect(r.untagged.findIndex((l) => l.startsWith('* VANISHED'))).toBeLessThan(r.untagged.findIndex((l) => / FETCH /.test(l)));
    // Known UIDs narrow VANISHED; a stale UIDVALIDITY gets nothing but the plain SELECT.
    const narrowed = await back.command(`SELECT ${name} (QRESYNC (${uidValidity} ${modseq} ${uids[5]}:${uids[7]}))`);
    expect(narrowed.untagged).toContain(`* VANISHED (EARLIER) ${uids[5]}`);
    const stale = await back.command(`SELECT ${name} (QRESYNC (${uidValidity + 1} ${modseq}))`);
    expect(stale.untagged.some((l) => /VANISHED| FETCH /.test(l))).toBe(false);
    back.close();
  });

  it('imapflow with qresync reopens a mailbox and learns what vanished', async () => {
    const { name, uids } = await freshBox(4);
    const client = new ImapFlow({
      host: '127.0.0.1', port, secure: false, auth: { user: ALICE.address, pass: ALICE.password },
      logger: false, disableAutoIdle: true, qresync: true, tls: { rejectUnauthorized: false },
    });
    await client.connect();
    const box = await client.mailboxOpen(name);
    expect(box.highestModseq).toBeTruthy();
    const vanished: number[] = [];
    client.on('expunge', (ev: { uid?: number; vanished?: boolean }) => {
      if (ev.uid !== undefined) vanished.push(ev.uid);
    });
    const a = await session(name);
    await a.command(`UID STORE ${uids[1]} +FLAGS.SILENT (\\Deleted)`);
    await a.command('EXPUNGE');
    a.close();
    await client.noop();
    expect(vanished).toEqual([uids[1]]);
    await client.logout();
  });
});

describe('isolation', () => {
  it('a session never sees another account`s changes, even in a mailbox of the same name', async () => {
    const aliceBox = await freshBox(3, ALICE.address);
    await populate(store, BOB.address, aliceBox.name, [simpleMessage('bob 1'), simpleMessage('bob 2'), simpleMessage('bob 3')]);
    const bob = await session(aliceBox.name, { user: BOB });
    const bobInbox = await session('INBOX', { user: BOB });
    await idle(bob);
    await idle(bobInbox);
    const alice = await session(aliceBox.name);
    await alice.command('STORE 1:3 +FLAGS (\\Flagged)');
    await alice.command('STORE 2 +FLAGS.SILENT (\\Deleted)');
    await alice.command('EXPUNGE');
    await populate(store, ALICE.address, aliceBox.name, [simpleMessage('alice new')]);
    await populate(store, ALICE.address, 'INBOX', [simpleMessage('alice inbox')]);
    expect(await bob.drainFor(300)).toEqual([]);
    expect(await bobInbox.drainFor(10)).toEqual([]);
    expect(await done(bob)).toEqual([]);
    expect((await bob.command('FETCH 1:* (FLAGS)')).untagged).toEqual(['* 1 FETCH (FLAGS ())', '* 2 FETCH (FLAGS ())', '* 3 FETCH (FLAGS ())']);
    for (const s of [bob, bobInbox, alice]) s.close();
  });
});
