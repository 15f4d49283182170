/**
 * End to end: APPEND (MULTIAPPEND, literal8, UTF8 data, APPENDUID, TRYCREATE), COPY / MOVE (COPYUID, `$`,
 * what other sessions see) and REPLACE against the real server binary, driven by imapflow (compressed),
 * Python's imaplib and a raw client. COMPRESS/UNAUTHENTICATE and durability have their own files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ChildServer } from '../helpers/server.js';
import {
  address, appendArgs, appendCommand, code, existsIn, flow as flowAt, PASSWORD, raw as rawAt, send, testUsers,
} from './imap-messages-support.js';
import { corpus, PY_PRELUDE, pyLines, runPython, simpleMessage, type RawImap } from './imap-support.js';

const USERS = testUsers(['corpus', 'flags', 'multi', 'mover', 'saved', 'watcher', 'replacer', 'py']);
const user = address;

let srv: ChildServer;
let port = 0;

beforeAll(async () => {
  srv = await startServer({ users: USERS, listeners: ['imap'] });
  port = srv.ports.imap!;
});

afterAll(async () => {
  await srv?.stop();
});

const flow = (name: string, opts: { compress?: boolean; log?: string[] } = {}) => flowAt(port, name, opts);
const raw = (name?: string): Promise<RawImap> => rawAt(port, name);

/** EXISTS count of a mailbox, seen through EXAMINE on a fresh raw connection. */
async function countOf(name: string, mailbox: string): Promise<number> {
  const c = await raw(name);
  try {
    return existsIn((await send(c, `EXAMINE ${mailbox}`)).untagged);
  } finally {
    c.close();
  }
}

describe('APPEND', () => {
  it('stores every corpus message byte for byte over a compressed connection; APPENDUID matches UID FETCH (imapflow)', async () => {
    // imapflow turns on COMPRESS=DEFLATE by itself: the whole exchange runs compressed.
    const log: string[] = [];
    const c = await flow('corpus', { compress: true, log });
    try {
      expect(log.some((l) => /^s: \S+ OK DEFLATE active/.test(l))).toBe(true);
      const box = await c.mailboxOpen('Archive', { readOnly: true });
      const uids: number[] = [];
      const validities = new Set<bigint | undefined>();
      for (const m of corpus()) {
        const r = await c.append('INBOX', m.raw);
        if (r === false) throw new Error(`APPEND failed for ${m.name}`);
        validities.add(r.uidValidity);
        uids.push(r.uid ?? 0);
      }
      expect(uids).toEqual(uids.map((_, i) => i + 1));
      const inbox = await c.mailboxOpen('INBOX');
      expect(inbox.exists).toBe(uids.length);
      expect([...validities]).toEqual([inbox.uidValidity]);
      expect(box.uidValidity).not.toBe(inbox.uidValidity);
      const files = corpus();
      for (const [i, m] of files.entries()) {
        const got = await c.fetchOne(String(uids[i]), { source: true, uid: true }, { uid: true });
        expect(got && got.uid, m.name).toBe(uids[i]);
        expect(got && got.source?.equals(m.raw), m.name).toBe(true);
      }
    } finally {
      await c.logout();
    }
  });

  it('keeps flags, keywords and the internal date; ignores \\Recent (imapflow and imaplib)', async () => {
    const c = await flow('flags');
    const date = new Date(Date.UTC(2021, 4, 6, 7, 8, 9));
    try {
      const r = await c.append('Drafts', simpleMessage('flags'), ['\\Seen', '\\Draft', '$Forwarded', 'Custom_1'], date);
      if (r === false) throw new Error('APPEND failed');
      await c.mailboxOpen('Drafts');
      const m = await c.fetchOne(String(r.uid), { flags: true, internalDate: true, uid: true }, { uid: true });
      expect(m && [...(m.flags ?? [])].sort()).toEqual(['$Forwarded', 'Custom_1', '\\Draft', '\\Seen']);
      expect(m && new Date(m.internalDate!).getTime()).toBe(date.getTime());
    } finally {
      await c.logout();
    }
    const out = await runPython(`${PY_PRELUDE}
M = imaplib.IMAP4('127.0.0.1', A['port'])
M.login(A['user'], A['pw'])
msg = b'From: a@example.com\\r\\nSubject: py\\r\\n\\r\\nbody \\xe9\\r\\n'
typ, dat = M.append('Sent', r'(\\Flagged \\Recent $Label1)', '"17-Jul-1996 02:44:25 -0700"', msg)
out(typ=typ, dat=dat[0])
uid = dat[0].split(b']')[0].split()[-1].decode()
M.select('Sent')
typ, dat = M.uid('FETCH', uid, '(FLAGS INTERNALDATE BODY.PEEK[])')
out(typ=typ, meta=dat[0][0], body=dat[0][1], same=dat[0][1] == msg)
M.logout()
`, { port, user: user('flags'), pw: PASSWORD });
    const [app, fetched] = pyLines(out);
    expect(app).toMatchObject({ typ: 'OK' });
    expect(String(app!.dat)).toMatch(/^\[APPENDUID \d+ 1\] /);
    expect(fetched).toMatchObject({ typ: 'OK', same: true });
    expect(String(fetched!.meta)).toMatch(/FLAGS \(\\Flagged \$Label1\)/);
    expect(String(fetched!.meta)).toContain('INTERNALDATE "17-Jul-1996 09:44:25 +0000"');
  });

  it('MULTIAPPEND stores all messages in one step, or none when one is bad', async () => {
    const c = await raw('multi');
    try {
      const good = [simpleMessage('m1'), simpleMessage('m2'), simpleMessage('m3')];
      const ok = await send(c, appendCommand('Archive', good.map((data, i) => ({ data, flags: i === 1 ? '\\Seen' : '' }))));
      expect(ok.status).toMatch(/^OK \[APPENDUID \d+ 1:3\]/);
      const validity = code(ok.status).split(' ')[1];
      // A zero-length message cancels the whole APPEND (RFC 3502).
      const empty = await send(c, appendCommand('Archive', [{ data: simpleMessage('x1') }, { data: Buffer.alloc(0) }, { data: simpleMessage('x3') }]));
      expect(empty.status).toMatch(/^NO /);
      // An invalid flag on the last message: nothing from the first two is stored either.
      const badFlag = await send(c, appendCommand('Archive', [{ data: simpleMessage('y1') }, { data: simpleMessage('y2') }, { data: simpleMessage('y3'), flags: '\\Bogus' }]));
      expect(badFlag.status).toMatch(/^NO .*Message 3/);
      expect(await countOf('multi', 'Archive')).toBe(3);
      const sel = await send(c, 'SELECT Archive');
      expect(sel.untagged).toContain(`* OK [UIDVALIDITY ${validity}] UIDs valid`);
      const f = await send(c, 'UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])');
      expect(f.untagged.filter((u) => u.startsWith('* ')).length).toBe(3);
      expect(f.untagged.join('\n')).toMatch(/UID 2 FLAGS \(\\Seen\)/);
      // Appending to the selected mailbox: EXISTS arrives before the tagged OK.
      const more = await send(c, appendCommand('Archive', [{ data: simpleMessage('m4') }, { data: simpleMessage('m5') }]));
      expect(more.untagged).toEqual(['* 5 EXISTS']);
      expect(more.status).toMatch(new RegExp(`^OK \\[APPENDUID ${validity} 4:5\\]`));
    } finally {
      c.close();
    }
  });

  it('TRYCREATE for a missing mailbox, NONEXISTENT for an impossible name, NO for an empty message', async () => {
    const c = await flow('flags');
    try {
      await expect(c.append('No/Such/Box', simpleMessage('t'))).rejects.toMatchObject({ serverResponseCode: 'TRYCREATE' });
    } finally {
      await c.logout();
    }
    const r = await raw('flags');
    try {
      expect((await send(r, appendCommand('"Bad*Name"', [{ data: simpleMessage('t') }]))).status).toMatch(/^NO \[NONEXISTENT\]/);
      expect((await send(r, appendCommand('INBOX', [{ data: Buffer.alloc(0) }]))).status).toMatch(/^NO /);
      // RFC 7889: an announced literal above APPENDLIMIT is refused before it is sent.
      const tag = r.nextTag();
      r.write(`${tag} APPEND INBOX {${64 * 1024 * 1024 + 1}}\r\n`);
      expect((await r.result(tag)).status).toMatch(/^NO \[TOOBIG\]/);
    } finally {
      r.close();
    }
    const py = await runPython(`${PY_PRELUDE}
M = imaplib.IMAP4('127.0.0.1', A['port'])
M.login(A['user'], A['pw'])
out(r=M.append('Nowhere', None, None, b'Subject: x\\r\\n\\r\\nx\\r\\n'))
M.logout()
`, { port, user: user('flags'), pw: PASSWORD });
    expect(JSON.stringify(pyLines(py)[0])).toMatch(/"NO",\["\[TRYCREATE\]/);
  });

  it('accepts literal8 with NUL bytes (content stored in base64) and the UTF8 (...) data extension (stored as sent)', async () => {
    const c = await raw('py');
    try {
      const binary = Buffer.concat([Buffer.from('From: a@example.com\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n'), Buffer.from([0, 1, 2, 0xff, 0, 13, 10])]);
      const utf8 = Buffer.from('From: Jörg <jörg@example.com>\r\nSubject: Grüße\r\n\r\nHallo\r\n');
      const b = await send(c, appendCommand('Junk', [{ data: binary, prefix: '~' }]));
      expect(b.status).toMatch(/^OK \[APPENDUID \d+ 1\]/);
      await send(c, 'ENABLE UTF8=ACCEPT');
      const tag = c.nextTag();
      c.write(Buffer.concat([Buffer.from(`${tag} APPEND Junk (\\Seen) UTF8 (~{${utf8.length}+}\r\n`), utf8, Buffer.from(')\r\n')]));
      expect((await c.result(tag)).status).toMatch(/^OK \[APPENDUID \d+ 2\]/);
    } finally {
      c.close();
    }
    const f = await flow('py');
    try {
      await f.mailboxOpen('Junk');
      // No IMAP literal may carry NUL (RFC 9051 §4.3): the part is kept in base64 (RFC 3516 §4.4) and
      // decodes to the bytes sent (BINARY[1] gives them directly, see imap-compliance.test.ts).
      const one = await f.fetchOne('1', { source: true, bodyParts: ['1'] });
      expect(one && one.source?.includes(0)).toBe(false);
      expect(one && one.source?.toString('latin1')).toContain('Content-Transfer-Encoding: base64\r\n\r\nAAEC/wANCg==');
      const part = one && one.bodyParts?.get('1');
      expect(part && Buffer.from(part.toString('latin1'), 'base64')).toEqual(Buffer.from([0, 1, 2, 0xff, 0, 13, 10]));
      const two = await f.fetchOne('2', { source: true, flags: true });
      expect(one && two && two.source?.toString('utf8')).toBe('From: Jörg <jörg@example.com>\r\nSubject: Grüße\r\n\r\nHallo\r\n');
      expect(two && [...(two.flags ?? [])]).toEqual(['\\Seen']);
    } finally {
      await f.logout();
    }
  });
});


/** UID, FLAGS and INTERNALDATE of every message of a mailbox, by UID, through EXAMINE. */
async function snapshot(name: string, mailbox: string): Promise<Map<number, string>> {
  const c = await raw(name);
  try {
    await send(c, `EXAMINE ${mailbox}`);
    const r = await send(c, 'UID FETCH 1:* (FLAGS INTERNALDATE)');
    const out = new Map<number, string>();
    for (const u of r.untagged) {
      const uid = /UID (\d+)/.exec(u);
      const flags = /FLAGS \(([^)]*)\)/.exec(u);
      const date = /INTERNALDATE "([^"]*)"/.exec(u);
      if (uid !== null) out.set(Number(uid[1]), `${flags?.[1] ?? ''} | ${date?.[1] ?? ''}`);
    }
    return out;
  } finally {
    c.close();
  }
}

describe('COPY and MOVE', () => {
  const five = [
    { data: simpleMessage('c1'), flags: '\\Seen', date: '01-Feb-2001 10:00:00 +0000' },
    { data: simpleMessage('c2'), flags: '\\Flagged $Work', date: '02-Feb-2002 10:00:00 +0000' },
    { data: simpleMessage('c3'), flags: '', date: '03-Feb-2003 10:00:00 +0000' },
    { data: simpleMessage('c4'), flags: '\\Answered \\Deleted', date: '04-Feb-2004 10:00:00 +0000' },
    { data: simpleMessage('c5'), flags: 'Later', date: '05-Feb-2005 10:00:00 +0000' },
  ];

  it('COPY answers COPYUID and keeps flags and internal dates; empty sets and missing targets (raw client)', async () => {
    const c = await raw('mover');
    try {
      expect((await send(c, appendCommand('INBOX', five))).status).toMatch(/^OK \[APPENDUID \d+ 1:5\]/);
      await send(c, 'SELECT INBOX');
      const r = await send(c, 'COPY 2:4 Archive');
      const [name, validity, from, to] = code(r.status).split(' ');
      expect([name, from, to]).toEqual(['COPYUID', '2:4', '1:3']);
      expect(r.untagged).toEqual([]);
      const src = await snapshot('mover', 'INBOX');
      const dst = await snapshot('mover', 'Archive');
      expect([...dst.values()]).toEqual([src.get(2), src.get(3), src.get(4)]);
      const sel = await send(c, 'EXAMINE Archive');
      expect(sel.untagged).toContain(`* OK [UIDVALIDITY ${validity}] UIDs valid`);
      await send(c, 'SELECT INBOX');
      // Out-of-order set: COPYUID pairs source and destination UIDs in ascending source order.
      expect(code((await send(c, 'UID COPY 5,1 Archive')).status)).toBe(`COPYUID ${validity} 1,5 4:5`);
      // RFC 9051 §6.4.7: nothing matched, OK without COPYUID.
      const none = await send(c, 'UID COPY 100:200 Archive');
      expect(none.status).toMatch(/^OK /);
      expect(code(none.status)).toBe('');
      expect((await send(c, 'COPY 1 "No Such"')).status).toMatch(/^NO \[TRYCREATE\]/);
      // Copying into the selected mailbox itself: new UIDs, announced by EXISTS before the OK.
      const self = await send(c, 'COPY 1 INBOX');
      expect(self.untagged).toEqual(['* 6 EXISTS']);
      expect(code(self.status)).toMatch(/^COPYUID \d+ 1 6$/);
    } finally {
      c.close();
    }
  });

  it('MOVE sends COPYUID untagged, then EXPUNGE, then the tagged OK; read-only and same-mailbox cases', async () => {
    const c = await raw('mover');
    try {
      await send(c, 'SELECT INBOX');
      const before = await snapshot('mover', 'INBOX');
      const r = await send(c, 'MOVE 1,3 Trash');
      expect(r.untagged).toHaveLength(3);
      expect(r.untagged[0]).toMatch(/^\* OK \[COPYUID \d+ 1,3 1:2\] /);
      // Highest message number first, so each number is still right when the client applies it.
      expect(r.untagged.slice(1)).toEqual(['* 3 EXPUNGE', '* 1 EXPUNGE']);
      expect(r.status).toMatch(/^OK /);
      expect(code(r.status)).toBe('');
      const trash = await snapshot('mover', 'Trash');
      expect([...trash.values()]).toEqual([before.get(1), before.get(3)]);
      expect([...(await snapshot('mover', 'INBOX')).keys()]).toEqual([2, 4, 5, 6]);
      // UID MOVE into the mailbox itself: a new UID, the old one expunged (RFC 6851 §3.3).
      const same = await send(c, 'UID MOVE 4 INBOX');
      expect(same.untagged[0]).toMatch(/^\* OK \[COPYUID \d+ 4 7\] /);
      expect(same.untagged.slice(1)).toEqual(['* 2 EXPUNGE', '* 4 EXISTS']);
      expect((await snapshot('mover', 'INBOX')).get(7)).toBe(before.get(4));
      // MOVE with an empty result: OK, nothing sent.
      const none = await send(c, 'UID MOVE 1000 Trash');
      expect([none.untagged, code(none.status)]).toEqual([[], '']);
      expect((await send(c, 'MOVE 1 Nowhere')).status).toMatch(/^NO \[TRYCREATE\]/);
      // CONDSTORE: the tagged OK carries the source's new HIGHESTMODSEQ (RFC 6851 §4.4).
      await send(c, 'ENABLE CONDSTORE');
      const cs = await send(c, 'MOVE 1 Junk');
      expect(code(cs.status)).toMatch(/^HIGHESTMODSEQ \d+$/);
      // EXAMINE: COPY is allowed, MOVE is not.
      await send(c, 'EXAMINE INBOX');
      expect((await send(c, 'COPY 1 Junk')).status).toMatch(/^OK \[COPYUID/);
      expect((await send(c, 'MOVE 1 Junk')).status).toMatch(/^NO \[READ-ONLY\]/);
      expect(existsIn((await send(c, 'EXAMINE INBOX')).untagged)).toBe(3);
    } finally {
      c.close();
    }
  });

  it('COPY and MOVE take `$` (SEARCHRES) and refuse message numbers past the end', async () => {
    const c = await raw('saved');
    try {
      await send(c, appendCommand('INBOX', ['s1', 's2', 's3', 's4'].map((s, i) => ({ data: simpleMessage(s), flags: i % 2 === 1 ? '\\Flagged' : '' }))));
      await send(c, 'SELECT INBOX');
      expect((await send(c, 'SEARCH RETURN (SAVE) FLAGGED')).status).toMatch(/^OK /);
      expect(code((await send(c, 'UID COPY $ Archive')).status)).toMatch(/^COPYUID \d+ 2,4 1:2$/);
      const m = await send(c, 'MOVE $ Trash');
      expect(m.untagged[0]).toMatch(/^\* OK \[COPYUID \d+ 2,4 1:2\] /);
      expect(m.untagged.slice(1)).toEqual(['* 4 EXPUNGE', '* 2 EXPUNGE']);
      // The saved messages are gone now: `$` is empty (RFC 5182 §2.1), nothing to do.
      const again = await send(c, 'UID MOVE $ Trash');
      expect([again.untagged, code(again.status)]).toEqual([[], '']);
      expect((await send(c, 'COPY 3 Archive')).status).toMatch(/^BAD /);
      expect((await send(c, 'MOVE 1:5 Archive')).status).toMatch(/^BAD /);
      expect(existsIn((await send(c, 'SELECT INBOX')).untagged)).toBe(2);
    } finally {
      c.close();
    }
  });

  it('imapflow and imaplib read the COPYUID/MOVE results right', async () => {
    const c = await flow('py');
    try {
      for (const s of ['p1', 'p2', 'p3']) await c.append('INBOX', simpleMessage(s), ['\\Seen']);
      await c.mailboxOpen('INBOX');
      const copied = await c.messageCopy('1:3', 'Archive');
      expect(copied && [...(copied.uidMap ?? new Map<number, number>()).entries()]).toEqual([[1, 1], [2, 2], [3, 3]]);
      const moved = await c.messageMove('2', 'Trash', { uid: true });
      expect(moved && [...(moved.uidMap ?? new Map<number, number>()).entries()]).toEqual([[2, 1]]);
      expect((await c.mailboxOpen('INBOX')).exists).toBe(2);
    } finally {
      await c.logout();
    }
    const out = await runPython(`${PY_PRELUDE}
M = imaplib.IMAP4('127.0.0.1', A['port'])
M.login(A['user'], A['pw'])
M.select('INBOX')
typ, dat = M.copy('1:2', 'Sent')
out(what='copy', typ=typ, dat=dat[0])
typ, dat = M.uid('MOVE', '1', 'Sent')
out(what='move', typ=typ, dat=dat[0], untagged=M.untagged_responses.get('OK', [None])[-1])
typ, dat = M.copy('1', 'Missing')
out(what='trycreate', typ=typ, dat=dat[0])
M.logout()
`, { port, user: user('py'), pw: PASSWORD });
    const [cp, mv, tc] = pyLines(out);
    expect(cp).toMatchObject({ typ: 'OK' });
    expect(String(cp!.dat)).toMatch(/^\[COPYUID \d+ 1,3 1:2\]/);
    expect(mv).toMatchObject({ typ: 'OK' });
    expect(String(mv!.untagged)).toMatch(/^\[COPYUID \d+ 1 3\]/);
    expect(tc).toMatchObject({ typ: 'NO' });
    expect(String(tc!.dat)).toMatch(/^\[TRYCREATE\]/);
  });

  it('a MOVE is seen by other sessions: EXPUNGE in the source (IDLE and NOOP), EXISTS in the target', async () => {
    const a = await raw('watcher');
    const idler = await raw('watcher');
    const poller = await raw('watcher');
    const target = await raw('watcher');
    try {
      await send(a, appendCommand('INBOX', ['w1', 'w2', 'w3', 'w4'].map((s) => ({ data: simpleMessage(s) }))));
      for (const c of [a, idler, poller]) await send(c, 'SELECT INBOX');
      expect(existsIn((await send(target, 'SELECT Archive')).untagged)).toBe(0);
      const idleTag = idler.nextTag();
      idler.write(`${idleTag} IDLE\r\n`);
      expect(await idler.next()).toMatch(/^\+ /);
      const r = await send(a, 'MOVE 2:3 Archive');
      expect(r.untagged.slice(1)).toEqual(['* 3 EXPUNGE', '* 2 EXPUNGE']);
      // The idling session hears of it at once, with the same message numbers.
      expect(await idler.next()).toBe('* 3 EXPUNGE');
      expect(await idler.next()).toBe('* 2 EXPUNGE');
      idler.write('DONE\r\n');
      expect((await idler.result(idleTag)).status).toMatch(/^OK /);
      const p = await send(poller, 'NOOP');
      expect(p.untagged).toEqual(['* 3 EXPUNGE', '* 2 EXPUNGE']);
      // After the EXPUNGEs, message 2 is the former message 4 (UID 4) in every session.
      for (const c of [a, idler, poller]) expect((await send(c, 'FETCH 2 (UID)')).untagged).toEqual(['* 2 FETCH (UID 4)']);
      const t = await send(target, 'NOOP');
      expect(t.untagged).toEqual(['* 2 EXISTS']);
      expect((await send(target, 'FETCH 1:2 (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])')).untagged.join('\n')).toMatch(/Subject: w2[\s\S]*Subject: w3/);
    } finally {
      for (const c of [a, idler, poller, target]) c.close();
    }
  });
});

describe('REPLACE', () => {
  it('appends the new version and expunges the old one, APPENDUID first; errors change nothing', async () => {
    const c = await raw('replacer');
    const other = await raw('replacer');
    try {
      await send(c, appendCommand('Drafts', [{ data: simpleMessage('v1'), flags: '\\Seen' }, { data: simpleMessage('other') }]));
      const sel = await send(c, 'SELECT Drafts');
      const validity = /UIDVALIDITY (\d+)/.exec(sel.untagged.join('\n'))?.[1];
      await send(other, 'SELECT Drafts');
      const v2 = simpleMessage('v2');
      const r = await send(c, Buffer.concat([Buffer.from('REPLACE 1 Drafts'), appendArgs([{ data: v2, flags: '\\Draft' }])]));
      expect(r.untagged).toEqual([`* OK [APPENDUID ${validity} 3] Replacement message ready`, '* 1 EXPUNGE', '* 2 EXISTS']);
      expect(r.status).toMatch(/^OK /);
      // Nothing is inherited from the old message (RFC 8508 §1): \Seen is gone.
      const f = await send(c, 'UID FETCH 1:* (FLAGS BODY.PEEK[])');
      expect(f.untagged.map((u) => /UID (\d+) FLAGS \(([^)]*)\)/.exec(u)?.slice(1).join(' '))).toEqual(['2 ', '3 \\Draft']);
      expect(f.untagged[1]).toContain(v2.toString('latin1'));
      // Another session with the mailbox selected sees the same change.
      expect((await send(other, 'NOOP')).untagged).toEqual(['* 1 EXPUNGE', '* 2 EXISTS']);
      // UID REPLACE into another mailbox (the draft becomes the sent message).
      const sent = await send(c, Buffer.concat([Buffer.from('UID REPLACE 3 Sent'), appendArgs([{ data: simpleMessage('final'), flags: '\\Seen' }])]));
      expect(sent.untagged).toHaveLength(2);
      expect(sent.untagged[0]).toMatch(/^\* OK \[APPENDUID \d+ 1\] /);
      expect(sent.untagged[1]).toBe('* 2 EXPUNGE');
      expect(await countOf('replacer', 'Sent')).toBe(1);
      // Errors: the old message stays where it is.
      const arg = appendArgs([{ data: simpleMessage('nope') }]);
      expect((await send(c, Buffer.concat([Buffer.from('UID REPLACE 99 Drafts'), arg]))).status).toMatch(/^NO \[NONEXISTENT\]/);
      expect((await send(c, Buffer.concat([Buffer.from('REPLACE 7 Drafts'), arg]))).status).toMatch(/^BAD /);
      expect((await send(c, Buffer.concat([Buffer.from('REPLACE 1 Missing'), arg]))).status).toMatch(/^NO \[TRYCREATE\]/);
      expect((await send(c, Buffer.concat([Buffer.from('REPLACE 1 Drafts'), appendArgs([{ data: Buffer.alloc(0) }])]))).status).toMatch(/^NO /);
      await send(c, 'EXAMINE Drafts');
      expect((await send(c, Buffer.concat([Buffer.from('REPLACE 1 Drafts'), arg]))).status).toMatch(/^NO \[READ-ONLY\]/);
      expect([...(await snapshot('replacer', 'Drafts')).keys()]).toEqual([2]);
    } finally {
      c.close();
      other.close();
    }
    // imaplib has no REPLACE method; its generic command with a literal does it.
    const out = await runPython(`${PY_PRELUDE}
imaplib.Commands['REPLACE'] = ('SELECTED',)
M = imaplib.IMAP4('127.0.0.1', A['port'])
M.login(A['user'], A['pw'])
M.select('Drafts')
M.literal = b'From: a@example.com\\r\\nSubject: py-replaced\\r\\n\\r\\nnew\\r\\n'
typ, dat = M._simple_command('REPLACE', '1', 'Drafts', r'(\\Draft)')
out(typ=typ, dat=dat, ok=M.untagged_responses.get('OK', [None])[-1])
typ, dat = M.uid('FETCH', '1:*', '(BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
out(subjects=[d[1] for d in dat if isinstance(d, tuple)])
M.logout()
`, { port, user: user('replacer'), pw: PASSWORD });
    const [rep, subjects] = pyLines(out);
    expect(rep).toMatchObject({ typ: 'OK' });
    expect(String(rep!.ok)).toMatch(/^\[APPENDUID \d+ 4\]/);
    expect(JSON.stringify(subjects)).toContain('Subject: py-replaced');
  });
});
