/**
 * The SQLite engine's search paths that an index answers (schema migration 2: the trigram index over
 * folded header columns, lower(message_id)) must give exactly what the scan gives, stay in step with
 * deletes, and UID criteria of any size must compile.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEngine } from '../../src/engines/sqlite/engine.js';
import type { Criterion } from '../../src/store/search.js';
import { MailStore } from '../../src/store/store.js';
import { FLAG_BITS } from '../../src/store/types.js';

function msg(n: number, subject: string, extra = ''): Buffer {
  return Buffer.from(
    `From: Zoë Sender <zoe${n}@example.com>\r\nTo: bob@example.org\r\nCc: Carol <carol@example.net>\r\nSubject: ${subject}\r\n` +
      `Message-ID: <Part${n}.ABC@Example.COM>\r\n${extra}\r\nbody ${n}\r\n`,
  );
}

describe('sqlite search indexes', () => {
  let dir: string;
  let store: MailStore;
  let accountId: number;
  let mailboxId: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roost-search-'));
    store = new MailStore(SqliteEngine.open(dir));
    accountId = (await store.createAccount('a@example.com', 'x')).id;
    mailboxId = (await store.findMailbox(accountId, 'INBOX'))!.id;
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const search = (c: Criterion) => store.search(mailboxId, c);

  it('finds header substrings through the index exactly as the scan would, quotes and all', async () => {
    await store.append(accountId, mailboxId, [
      { raw: msg(1, 'Quarterly "Budget" review') },
      { raw: msg(2, 'Über Straße') },
      { raw: msg(3, '=?utf-8?B?w5xiZXIgYWxsZXM=?=') },
      { raw: msg(4, 'no match here') },
    ]);
    // Three characters or more: the trigram index; fewer: the scan. Case-insensitive both ways.
    expect(await search({ op: 'header', name: 'subject', value: '"budget"' })).toEqual([1]);
    expect(await search({ op: 'header', name: 'subject', value: 'BUDGET" REV' })).toEqual([1]);
    expect(await search({ op: 'header', name: 'subject', value: 'über' })).toEqual([2, 3]);
    expect(await search({ op: 'header', name: 'subject', value: 'ÜB' })).toEqual([2, 3]);
    expect(await search({ op: 'header', name: 'subject', value: 'straße' })).toEqual([2]);
    expect(await search({ op: 'header', name: 'from', value: 'zoë sender <zoe4@' })).toEqual([4]);
    expect(await search({ op: 'header', name: 'cc', value: 'carol' })).toEqual([1, 2, 3, 4]);
    expect(await search({ op: 'header', name: 'to', value: 'nobody' })).toEqual([]);
    expect(await search({ op: 'or', of: [{ op: 'header', name: 'subject', value: 'match' }, { op: 'flag', flag: '\\Seen', set: true }] })).toEqual([4]);
    expect(await search({ op: 'not', of: { op: 'header', name: 'subject', value: 'budget' } })).toEqual([2, 3, 4]);
    // Message-ID: a whole "<id>" is an exact, case-insensitive match; a part of one is a substring.
    expect(await search({ op: 'header', name: 'message-id', value: '<part2.abc@example.com>' })).toEqual([2]);
    expect(await search({ op: 'header', name: 'message-id', value: '<PART3.ABC@EXAMPLE.COM>' })).toEqual([3]);
    expect(await search({ op: 'header', name: 'message-id', value: '<part3' })).toEqual([3]);
    expect(await search({ op: 'header', name: 'message-id', value: '<part3.abc@example.co>' })).toEqual([]);
  });

  /** Waits until the engine's background indexer has caught up with every message row. */
  async function indexed(): Promise<void> {
    const db = new Database(join(dir, 'roost.db'), { readonly: true });
    try {
      for (let i = 0; i < 200; i++) {
        const upto = db.prepare('SELECT upto FROM text_index_state').pluck().get() as number;
        const max = (db.prepare('SELECT max(id) FROM messages').pluck().get() as number | null) ?? 0;
        if (upto >= max) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('the text index did not catch up');
    } finally {
      db.close();
    }
  }

  it('indexes behind the writes: answers are the same before and after, and after expunges', async () => {
    const subjects = ['Quarterly budget', 'Budget draft', 'lunch', 'BUDGETS and more', 'nothing'];
    await store.append(accountId, mailboxId, subjects.map((sub, i) => ({ raw: msg(i + 1, sub), flags: i === 1 ? FLAG_BITS['\\Deleted'] : 0 })));
    const q: Criterion = { op: 'header', name: 'subject', value: 'budget' };
    expect(await search(q)).toEqual([1, 2, 4]);
    await indexed();
    expect(await search(q)).toEqual([1, 2, 4]);
    // Some indexed, some not yet: both halves answer.
    await store.append(accountId, mailboxId, [{ raw: msg(6, 'budget six') }]);
    expect(await search(q)).toEqual([1, 2, 4, 6]);
    await store.expunge(accountId, mailboxId);
    expect(await search(q)).toEqual([1, 4, 6]);
    await indexed();
    expect(await search(q)).toEqual([1, 4, 6]);
    expect(await search({ op: 'header', name: 'from', value: 'zoe2@' })).toEqual([]);
  });

  it('keeps the index in step when messages go away, and answers common needles by scanning', async () => {
    await store.append(accountId, mailboxId, [{ raw: msg(1, 'alpha one'), flags: FLAG_BITS['\\Deleted'] }, { raw: msg(2, 'alpha two') }]);
    expect(await search({ op: 'header', name: 'subject', value: 'alpha' })).toEqual([1, 2]);
    await store.expunge(accountId, mailboxId);
    expect(await search({ op: 'header', name: 'subject', value: 'alpha' })).toEqual([2]);
    // More candidates than the index is worth: the scan answers, with the same result.
    const many = Array.from({ length: 20_001 }, (_, i) => ({ raw: msg(10 + i, `common ${i}`) }));
    await store.append(accountId, mailboxId, many);
    const found = await search({ op: 'header', name: 'subject', value: 'common' });
    expect(found.length).toBe(20_001);
    expect(await search({ op: 'header', name: 'subject', value: 'common 19999' })).toEqual([3 + 19_999]);
    await store.close();
    const db = new Database(join(dir, 'roost.db'));
    try {
      expect(() => db.exec("INSERT INTO message_text (message_text) VALUES ('integrity-check')")).not.toThrow();
      expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(20_002);
    } finally {
      db.close();
    }
    store = new MailStore(SqliteEngine.open(dir));
  });

  it('compiles UID criteria of any size: few ranges, long lists, and absurdly wide ranges', async () => {
    await store.append(accountId, mailboxId, Array.from({ length: 40 }, (_, i) => ({ raw: msg(i + 1, `m ${i + 1}`) })));
    const odd: Array<[number, number]> = Array.from({ length: 20 }, (_, i) => [2 * i + 1, 2 * i + 1]);
    expect(await search({ op: 'uids', ranges: odd })).toEqual(odd.map(([a]) => a));
    expect(await search({ op: 'not', of: { op: 'uids', ranges: odd } })).toEqual(odd.map(([a]) => a + 1));
    const wide: Array<[number, number]> = Array.from({ length: 3000 }, (_, i) => [i * 1_000_000 + 5, i * 1_000_000 + 999_999]);
    wide.push([1, 2], [38, 39]);
    expect(await search({ op: 'uids', ranges: wide })).toEqual([1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
      21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40]);
    expect(await search({ op: 'and', of: [{ op: 'not', of: { op: 'uids', ranges: wide } }] })).toEqual([3, 4]);
  });

  it('compiles thousands of ANDed or ORed criteria (SQLite refuses expressions deeper than 1000)', async () => {
    await store.append(accountId, mailboxId, [{ raw: msg(1, 'one') }, { raw: msg(2, 'two'), flags: FLAG_BITS['\\Seen'] }]);
    const many = Array.from({ length: 5000 }, (): Criterion => ({ op: 'flag', flag: '\\Seen', set: false }));
    expect(await search({ op: 'and', of: many })).toEqual([1]);
    expect(await search({ op: 'or', of: [...many, { op: 'uids', ranges: [[2, 2]] }] })).toEqual([1, 2]);
  });

  it('reads sort keys of the asked entries, all fields or only the asked ones', async () => {
    await store.append(accountId, mailboxId, [
      { raw: msg(1, 'Re: [list] Hello', 'Date: Tue, 1 Feb 2000 10:00:00 +0000\r\nIn-Reply-To: <x@y>\r\nReferences: <a@b> <x@y>\r\n'), internalDate: 5000 },
      { raw: msg(2, 'second') },
      { raw: msg(3, 'third') },
    ]);
    const full = await store.sortRows(mailboxId, null);
    expect(full.map((r) => r.uid)).toEqual([1, 2, 3]);
    expect(full[0]).toMatchObject({
      internalDate: 5000, date: Date.UTC(2000, 1, 1, 10), baseSubject: 'Hello', subject: 're: [list] hello', sortFrom: 'zoe1',
      sortTo: 'bob', sortCc: 'carol', displayFrom: 'zoë sender', displayTo: 'bob@example.org', messageIdHeader: 'Part1.ABC@Example.COM',
      inReplyTo: 'x@y', references: 'a@b x@y',
    });
    const some = await store.sortRows(mailboxId, [3, 1, 99], ['baseSubject']);
    expect(some.map((r) => [r.uid, r.baseSubject, r.size, r.references])).toEqual([[1, 'Hello', 0, null], [3, 'third', 0, null]]);
    expect(await store.sortRows(mailboxId, [])).toEqual([]);
  });
});
