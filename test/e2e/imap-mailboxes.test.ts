/**
 * IMAP mailbox-level commands end to end: LIST (basic, LIST-EXTENDED, LIST-STATUS, SPECIAL-USE),
 * LSUB, CREATE (USE), DELETE, RENAME, SUBSCRIBE/UNSUBSCRIBE, STATUS, NAMESPACE and QUOTA, against the
 * server started in-process by the e2e helper (its store is used to add messages and set quotas).
 * Clients: imapflow (which enables UTF8=ACCEPT and IMAP4rev2), Python's imaplib (IMAP4rev1, modified
 * UTF-7 names on the wire) and a raw socket for exact responses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAG_BITS } from '../../src/store/types.js';
import { startServerInProcess, type InProcessServer } from '../helpers/server.js';
import {
  account, addr, append, code, flow, mailbox, message, PASSWORD, python, Raw, statusOf, store, storeNames, useServer,
} from './imap-mailboxes-support.js';

const NAMES = ['hier', 'pyhier', 'utf7', 'utf8', 'ext', 'special', 'subs', 'status', 'quota', 'errors', 'two', 'del', 'inbox', 'many'];

let srv: InProcessServer;

beforeAll(async () => {
  srv = await startServerInProcess({ users: NAMES.map((n) => ({ address: addr(n), password: PASSWORD })), listeners: ['imap'] });
  useServer(srv);
});

afterAll(async () => {
  await srv?.stop();
});

describe('hierarchy: create, list, rename with children, delete', () => {
  it('works through imapflow', async () => {
    const c = await flow('hier');
    try {
      const created = await c.mailboxCreate('Projects/Roost/Design');
      expect(created.created).toBe(true);
      // RFC 8474 §4.1: the tagged OK names the new mailbox's id.
      expect(created.mailboxId).toMatch(/^M\d+$/);
      expect(await storeNames('hier')).toEqual(expect.arrayContaining(['Projects', 'Projects/Roost', 'Projects/Roost/Design']));
      const tree = await c.listTree();
      const projects = (tree.folders ?? []).find((f) => f.path === 'Projects');
      expect(projects?.folders?.map((f) => f.path)).toEqual(['Projects/Roost']);
      expect(projects?.folders?.[0]?.folders?.map((f) => f.path)).toEqual(['Projects/Roost/Design']);
      const flags = new Map((await c.list()).map((f) => [f.path, [...f.flags]]));
      expect(flags.get('Projects')).toContain('\\HasChildren');
      expect(flags.get('Projects/Roost/Design')).toContain('\\HasNoChildren');

      await c.mailboxSubscribe('Projects/Roost');
      await c.mailboxRename('Projects', 'Work/Old');
      const after = await c.list();
      const paths = after.map((f) => f.path);
      expect(paths).toEqual(expect.arrayContaining(['Work', 'Work/Old', 'Work/Old/Roost', 'Work/Old/Roost/Design']));
      expect(paths.filter((p) => p.startsWith('Projects'))).toEqual([]);
      // The subscription moved with the mailbox.
      expect(after.find((f) => f.path === 'Work/Old/Roost')?.subscribed).toBe(true);

      await expect(c.mailboxDelete('Work/Old')).rejects.toMatchObject({ serverResponseCode: 'HASCHILDREN' });
      await c.mailboxDelete('Work/Old/Roost/Design');
      await c.mailboxDelete('Work/Old/Roost');
      await c.mailboxDelete('Work/Old');
      await c.mailboxDelete('Work');
      expect((await c.list()).map((f) => f.path).sort()).toEqual(['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);
    } finally {
      await c.logout();
    }
  });

  it('works through imaplib', async () => {
    const r = await python('pyhier', `
out(create=res(M.create('a/b/c')))
out(trailing=res(M.create('folder/')))
out(list=res(M.list('""', '*')))
out(pct=res(M.list('a/', '%')))
out(rename=res(M.rename('a', 'z/y')))
out(list2=res(M.list('""', 'z*')))
out(delparent=res(M.delete('z/y')))
out(delleaf=res(M.delete('z/y/b/c')))
out(exists=res(M.create('folder')))
`);
    const by = Object.assign({}, ...r) as Record<string, [string, string[]]>;
    expect(by.create![0]).toBe('OK');
    expect(by.trailing![0]).toBe('OK');
    expect(by.list![1]).toEqual(expect.arrayContaining([
      '(\\HasChildren) "/" "a"', '(\\HasChildren) "/" "a/b"', '(\\HasNoChildren) "/" "a/b/c"', '(\\HasNoChildren) "/" "folder"',
      '(\\HasNoChildren) "/" "INBOX"', '(\\HasNoChildren \\Drafts) "/" "Drafts"',
    ]));
    expect(by.list![1][0]).toBe('(\\HasNoChildren) "/" "INBOX"');
    expect(by.pct![1]).toEqual(['(\\HasChildren) "/" "a/b"']);
    expect(by.rename![0]).toBe('OK');
    expect(by.list2![1]).toEqual([
      '(\\HasChildren) "/" "z"', '(\\HasChildren) "/" "z/y"', '(\\HasChildren) "/" "z/y/b"', '(\\HasNoChildren) "/" "z/y/b/c"',
    ]);
    expect(by.delparent![0]).toBe('NO');
    expect(by.delparent![1][0]).toMatch(/^\[HASCHILDREN\]/);
    expect(by.delleaf![0]).toBe('OK');
    expect(by.exists![0]).toBe('NO');
    expect(by.exists![1][0]).toMatch(/^\[ALREADYEXISTS\]/);
    expect(await storeNames('pyhier')).toEqual(['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash', 'folder', 'z', 'z/y', 'z/y/b']);
  });
});

describe('international names', () => {
  it('travels as modified UTF-7 with imaplib and is stored as Unicode', async () => {
    const r = await python('utf7', `
out(c1=res(M.create('Entw&APw-rfe')))
out(c2=res(M.create('&ZeVnLIqe-/&W1A-')))
out(list=res(M.list('""', '*')))
out(pattern=res(M.list('""', '&ZeVnLIqe-/%')))
out(status=res(M.status('Entw&APw-rfe', '(MESSAGES)')))
out(rename=res(M.rename('Entw&APw-rfe', '&ZeVnLIqe-/Entw&APw-rfe')))
out(after=res(M.list('&ZeVnLIqe-/', '*')))
out(bad=call(M.create, '&Jjo'))
`);
    const by = Object.assign({}, ...r) as Record<string, [string, string[]]>;
    expect(by.c1![0]).toBe('OK');
    expect(by.c2![0]).toBe('OK');
    expect(by.list![1]).toEqual(expect.arrayContaining([
      '(\\HasNoChildren) "/" "Entw&APw-rfe"', '(\\HasChildren) "/" "&ZeVnLIqe-"', '(\\HasNoChildren) "/" "&ZeVnLIqe-/&W1A-"',
    ]));
    expect(by.pattern![1]).toEqual(['(\\HasNoChildren) "/" "&ZeVnLIqe-/&W1A-"']);
    expect(by.status![1]).toEqual(['"Entw&APw-rfe" (MESSAGES 0)']);
    expect(by.rename![0]).toBe('OK');
    expect(by.after![1]).toEqual(['(\\HasNoChildren) "/" "&ZeVnLIqe-/Entw&APw-rfe"', '(\\HasNoChildren) "/" "&ZeVnLIqe-/&W1A-"']);
    // Invalid modified UTF-7 names nothing we can have: NO (the syntax is fine).
    expect(by.bad![0]).toBe('NO');
    expect(await storeNames('utf7')).toEqual(['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash', '日本語', '日本語/Entwürfe', '日本語/子']);
  });

  it('travels as UTF-8 after ENABLE UTF8=ACCEPT (imapflow), and as modified UTF-7 to a client without it', async () => {
    const c = await flow('utf8');
    try {
      expect(c.enabled.has('UTF8=ACCEPT')).toBe(true);
      await c.mailboxCreate('Entwürfe/日本語');
      const list = await c.list();
      const entry = list.find((f) => f.path === 'Entwürfe/日本語');
      expect(entry?.pathAsListed).toBe('Entwürfe/日本語');
      expect((await statusOf(c, 'Entwürfe/日本語', { messages: true })).messages).toBe(0);
      await c.mailboxRename('Entwürfe/日本語', 'Brouillons/Été');
      expect((await c.list()).map((f) => f.path)).toEqual(expect.arrayContaining(['Brouillons', 'Brouillons/Été', 'Entwürfe']));
    } finally {
      await c.logout();
    }
    // The same names reach a client that did not enable UTF-8 in modified UTF-7, and back.
    const raw = await Raw.open('utf8');
    try {
      expect((await raw.cmd('LIST "" "Brouillons/*"')).untagged).toEqual(['* LIST (\\HasNoChildren) "/" "Brouillons/&AMk-t&AOk-"']);
      expect((await raw.cmd('ENABLE UTF8=ACCEPT')).untagged).toEqual(['* ENABLED UTF8=ACCEPT']);
      expect((await raw.cmd('LIST "" "Brouillons/*"')).untagged).toEqual(['* LIST (\\HasNoChildren) "/" "Brouillons/Été"']);
      expect((await raw.cmd('STATUS "Entwürfe" (MESSAGES)')).untagged).toEqual(['* STATUS "Entwürfe" (MESSAGES 0)']);
    } finally {
      raw.close();
    }
  });
});

describe('normalised names', () => {
  it('announces the stored name with OLDNAME to an IMAP4rev2 client (RFC 9051 §6.3.4), and only to it', async () => {
    const raw = await Raw.open('utf7');
    try {
      // "u" + COMBINING DIAERESIS in modified UTF-7 is stored in NFC as "ü".
      expect((await raw.cmd('CREATE "Mu&Awg-ll"')).untagged).toEqual([]);
      expect((await raw.cmd('LIST "" "M*"')).untagged).toEqual(['* LIST (\\HasNoChildren) "/" "M&APw-ll"']);
      await raw.cmd('ENABLE IMAP4rev2');
      const r = await raw.cmd('CREATE "inbox/Sub"');
      expect(r.status).toMatch(/^OK \[MAILBOXID \(M\d+\)\]/);
      expect(r.untagged).toEqual(['* LIST () "/" "INBOX/Sub" ("OLDNAME" ("inbox/Sub"))']);
      expect((await raw.cmd('CREATE "Plain"')).untagged).toEqual([]);
    } finally {
      raw.close();
    }
    expect(await storeNames('utf7')).toEqual(expect.arrayContaining(['Müll', 'INBOX/Sub']));
  });
});

describe('LIST-EXTENDED, LIST-STATUS and basic LIST forms', () => {
  let raw: Raw;

  beforeAll(async () => {
    const st = store();
    const id = await account('ext');
    await st.createMailbox(id, 'Foo/Bar');
    await st.createMailbox(id, 'Foo/Baz');
    await st.createMailbox(id, 'Moo');
    await st.setSubscribed(id, (await mailbox('ext', 'Foo/Baz')).id, true);
    await st.setSubscribed(id, (await mailbox('ext', 'Junk')).id, false);
    await append('ext', 'INBOX', [{ raw: message(1) }, { raw: message(2), flags: FLAG_BITS['\\Seen'] }, { raw: message(3), flags: FLAG_BITS['\\Deleted'] }]);
    raw = await Raw.open('ext');
  });

  afterAll(() => raw.close());

  it('answers the delimiter for an empty basic pattern, and INBOX in any case', async () => {
    expect((await raw.cmd('LIST "" ""')).untagged).toEqual(['* LIST (\\Noselect) "/" ""']);
    expect((await raw.cmd('LIST "Foo/" ""')).untagged).toEqual(['* LIST (\\Noselect) "/" ""']);
    expect((await raw.cmd('LIST "" "inbox"')).untagged).toEqual(['* LIST (\\HasNoChildren) "/" "INBOX"']);
    expect((await raw.cmd('LIST "" "In%"')).untagged).toEqual(['* LIST (\\HasNoChildren) "/" "INBOX"']);
    expect((await raw.cmd('LIST "Foo/" "%"')).untagged).toEqual(['* LIST (\\HasNoChildren) "/" "Foo/Bar"', '* LIST (\\HasNoChildren) "/" "Foo/Baz"']);
    // Extended syntax: empty patterns are ignored (RFC 5258 §3).
    expect((await raw.cmd('LIST "" ("")')).untagged).toEqual([]);
  });

  it('takes several patterns and answers once per name', async () => {
    const r = await raw.cmd('LIST "" ("INBOX" "Foo/%" "*Baz")');
    expect(r.status).toMatch(/^OK/);
    expect(r.untagged).toEqual(['* LIST (\\HasNoChildren) "/" "INBOX"', '* LIST (\\HasNoChildren) "/" "Foo/Bar"', '* LIST (\\HasNoChildren) "/" "Foo/Baz"']);
  });

  it('selects subscribed names and marks them (RETURN SUBSCRIBED / SUBSCRIBED selection)', async () => {
    expect((await raw.cmd('LIST (SUBSCRIBED) "" "*"')).untagged).toEqual([
      '* LIST (\\HasNoChildren \\Subscribed) "/" "INBOX"',
      '* LIST (\\HasNoChildren \\Subscribed \\Archive) "/" "Archive"',
      '* LIST (\\HasNoChildren \\Subscribed \\Drafts) "/" "Drafts"',
      '* LIST (\\HasNoChildren \\Subscribed) "/" "Foo/Baz"',
      '* LIST (\\HasNoChildren \\Subscribed \\Sent) "/" "Sent"',
      '* LIST (\\HasNoChildren \\Subscribed \\Trash) "/" "Trash"',
    ]);
    expect((await raw.cmd('LIST "" "%" RETURN (SUBSCRIBED)')).untagged).toEqual(expect.arrayContaining([
      '* LIST (\\HasNoChildren \\Junk) "/" "Junk"', '* LIST (\\HasChildren) "/" "Foo"', '* LIST (\\HasNoChildren) "/" "Moo"',
    ]));
    // RFC 5258 example 7A: without RECURSIVEMATCH, parents of subscribed names are not listed.
    expect((await raw.cmd('LIST (SUBSCRIBED) "" "Foo"')).untagged).toEqual([]);
    // RECURSIVEMATCH: "Foo" has a subscribed child the pattern leaves out (RFC 5258 §3.5 CHILDINFO).
    expect((await raw.cmd('LIST (SUBSCRIBED RECURSIVEMATCH) "" "Foo" RETURN (CHILDREN)')).untagged)
      .toEqual(['* LIST (\\HasChildren) "/" "Foo" ("CHILDINFO" ("SUBSCRIBED"))']);
    // REMOTE changes nothing on a server without remote mailboxes.
    expect((await raw.cmd('LIST (REMOTE) "" "Moo"')).untagged).toEqual(['* LIST (\\HasNoChildren) "/" "Moo"']);
  });

  it('selects special-use mailboxes (RFC 6154 §5.2)', async () => {
    expect((await raw.cmd('LIST (SPECIAL-USE) "" "*" RETURN (SPECIAL-USE)')).untagged).toEqual([
      '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
      '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
      '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
      '* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
      '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
    ]);
  });

  it('returns STATUS after each selectable mailbox (RFC 5819), from the counters', async () => {
    const inbox = await mailbox('ext', 'INBOX');
    const r = await raw.cmd('LIST "" ("INBOX" "Foo" "Foo/Baz") RETURN (STATUS (MESSAGES UNSEEN SIZE DELETED UIDNEXT))');
    const size = message(1).length + message(2).length + message(3).length;
    expect(r.untagged).toEqual([
      '* LIST (\\HasNoChildren) "/" "INBOX"',
      `* STATUS "INBOX" (MESSAGES 3 UIDNEXT 4 UNSEEN 2 DELETED 1 SIZE ${size})`,
      '* LIST (\\HasChildren) "/" "Foo"',
      '* STATUS "Foo" (MESSAGES 0 UIDNEXT 1 UNSEEN 0 DELETED 0 SIZE 0)',
      '* LIST (\\HasNoChildren) "/" "Foo/Baz"',
      '* STATUS "Foo/Baz" (MESSAGES 0 UIDNEXT 1 UNSEEN 0 DELETED 0 SIZE 0)',
    ]);
    expect(inbox.uidNext).toBe(4);
    // A parent listed only for CHILDINFO gets no STATUS (RFC 5819 §3).
    expect((await raw.cmd('LIST (SUBSCRIBED RECURSIVEMATCH) "" "%" RETURN (STATUS (MESSAGES))')).untagged).toEqual([
      '* LIST (\\HasNoChildren \\Subscribed) "/" "INBOX"',
      '* STATUS "INBOX" (MESSAGES 3)',
      '* LIST (\\HasNoChildren \\Subscribed \\Archive) "/" "Archive"',
      '* STATUS "Archive" (MESSAGES 0)',
      '* LIST (\\HasNoChildren \\Subscribed \\Drafts) "/" "Drafts"',
      '* STATUS "Drafts" (MESSAGES 0)',
      '* LIST (\\HasChildren) "/" "Foo" ("CHILDINFO" ("SUBSCRIBED"))',
      '* LIST (\\HasNoChildren \\Subscribed \\Sent) "/" "Sent"',
      '* STATUS "Sent" (MESSAGES 0)',
      '* LIST (\\HasNoChildren \\Subscribed \\Trash) "/" "Trash"',
      '* STATUS "Trash" (MESSAGES 0)',
    ]);
  });

  it('gives imapflow the status, special uses and subscriptions it asks for in one LIST', async () => {
    const c = await flow('ext');
    try {
      const list = await c.list({ statusQuery: { messages: true, unseen: true } });
      const inbox = list.find((f) => f.path === 'INBOX');
      expect(inbox?.status).toMatchObject({ messages: 3, unseen: 2 });
      expect(inbox?.subscribed).toBe(true);
      expect(list.find((f) => f.path === 'Junk')?.subscribed).toBeFalsy();
      expect(list.find((f) => f.path === 'Junk')?.specialUse).toBe('\\Junk');
      expect(list.find((f) => f.path === 'Foo/Baz')?.status).toMatchObject({ messages: 0, unseen: 0 });
    } finally {
      await c.logout();
    }
  });

  it('marks \\Subscribed on every LIST once IMAP4rev2 is enabled', async () => {
    const r2 = await Raw.open('ext');
    try {
      await r2.cmd('ENABLE IMAP4rev2');
      expect((await r2.cmd('LIST "" "Foo*"')).untagged).toEqual([
        '* LIST (\\HasChildren) "/" "Foo"', '* LIST (\\HasNoChildren) "/" "Foo/Bar"', '* LIST (\\HasNoChildren \\Subscribed) "/" "Foo/Baz"',
      ]);
    } finally {
      r2.close();
    }
  });

  it('refuses unknown options and RECURSIVEMATCH alone with BAD (RFC 5258 §3)', async () => {
    expect((await raw.cmd('LIST (RECURSIVEMATCH) "" "*"')).status).toMatch(/^BAD/);
    expect((await raw.cmd('LIST (FOO) "" "*"')).status).toMatch(/^BAD/);
    expect((await raw.cmd('LIST "" "*" RETURN (BAR)')).status).toMatch(/^BAD/);
    expect((await raw.cmd('LIST "" "*" RETURN (STATUS (NOPE))')).status).toMatch(/^BAD/);
  });
});

describe('special-use mailboxes', () => {
  it('marks the default folders on a plain LIST (RFC 6154 §2), seen by imapflow and imaplib', async () => {
    const c = await flow('special');
    try {
      const uses = Object.fromEntries((await c.list()).map((f) => [f.path, f.specialUse ?? null]));
      expect(uses).toEqual({ INBOX: '\\Inbox', Drafts: '\\Drafts', Sent: '\\Sent', Trash: '\\Trash', Junk: '\\Junk', Archive: '\\Archive' });
    } finally {
      await c.logout();
    }
    const r = await python('special', `out(list=res(M.list()))`);
    expect((r[0]!.list as [string, string[]])[1]).toEqual([
      '(\\HasNoChildren) "/" "INBOX"',
      '(\\HasNoChildren \\Archive) "/" "Archive"',
      '(\\HasNoChildren \\Drafts) "/" "Drafts"',
      '(\\HasNoChildren \\Junk) "/" "Junk"',
      '(\\HasNoChildren \\Sent) "/" "Sent"',
      '(\\HasNoChildren \\Trash) "/" "Trash"',
    ]);
  });

  it('creates a special-use mailbox with CREATE ... (USE (...)) and refuses what it cannot do with USEATTR', async () => {
    const raw = await Raw.open('special');
    try {
      // One mailbox per use: Junk exists.
      const taken = await raw.cmd('CREATE Spam (USE (\\Junk))');
      expect(taken.status).toMatch(/^NO \[USEATTR\]/);
      expect((await raw.cmd('CREATE Virtual (USE (\\All))')).status).toMatch(/^NO \[USEATTR\]/);
      expect((await raw.cmd('CREATE Starred (USE (\\Flagged))')).status).toMatch(/^NO \[USEATTR\]/);
      expect((await raw.cmd('CREATE Two (USE (\\Sent \\Archive))')).status).toMatch(/^NO \[USEATTR\]/);
      // RFC 6154 §3: a refused CREATE creates nothing.
      expect(await storeNames('special')).toEqual(['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);
      expect((await raw.cmd('DELETE Junk')).status).toMatch(/^OK/);
      const made = await raw.cmd('CREATE "Spam Folder" (USE (\\Junk))');
      expect(made.status).toMatch(/^OK \[MAILBOXID \(M\d+\)\]/);
      expect((await raw.cmd('LIST (SPECIAL-USE) "" "Spam*"')).untagged).toEqual(['* LIST (\\HasNoChildren \\Junk) "/" "Spam Folder"']);
      expect((await raw.cmd('CREATE Plain (USE ())')).status).toMatch(/^OK/);
      expect((await raw.cmd('LIST "" Plain')).untagged).toEqual(['* LIST (\\HasNoChildren) "/" "Plain"']);
    } finally {
      raw.close();
    }
    // imaplib sends the USE parameter as arguments of CREATE.
    const r = await python('special', `
out(drop=res(M.delete('"Spam Folder"')))
out(create=res(M._simple_command('CREATE', 'Junk2', '(USE (\\\\Junk))')))
out(list=res(M.list('""', 'Junk2')))
`);
    const by = Object.assign({}, ...r) as Record<string, [string, string[]]>;
    expect(by.create![0]).toBe('OK');
    expect(by.list![1]).toEqual(['(\\HasNoChildren \\Junk) "/" "Junk2"']);
  });
});

describe('subscriptions and LSUB', () => {
  it('subscribes, unsubscribes and lists with LSUB (imaplib)', async () => {
    const r = await python('subs', `
out(c=res(M.create('Lists/Dev')))
out(c2=res(M.create('Lists/Ops/Alerts')))
out(sub=res(M.subscribe('Lists/Dev')))
out(sub2=res(M.subscribe('Lists/Ops/Alerts')))
out(again=res(M.subscribe('Lists/Dev')))
out(unsub=res(M.unsubscribe('Trash')))
out(unsub_none=res(M.unsubscribe('Nowhere')))
out(sub_none=res(M.subscribe('Nowhere')))
out(all=res(M.lsub('""', '*')))
out(top=res(M.lsub('""', '%')))
out(lists=res(M.lsub('Lists/', '%')))
out(delim=res(M.lsub('""', '""')))
`);
    const by = Object.assign({}, ...r) as Record<string, [string, string[]]>;
    for (const k of ['c', 'c2', 'sub', 'sub2', 'again', 'unsub', 'unsub_none']) expect(by[k]![0]).toBe('OK');
    expect(by.sub_none![0]).toBe('NO');
    expect(by.sub_none![1][0]).toMatch(/^\[NONEXISTENT\]/);
    expect(by.all![1]).toEqual([
      '() "/" "INBOX"', '() "/" "Archive"', '() "/" "Drafts"', '() "/" "Junk"', '() "/" "Lists/Dev"', '() "/" "Lists/Ops/Alerts"', '() "/" "Sent"',
    ]);
    // RFC 3501 §6.3.9: "%" returns the unsubscribed parent, flagged \Noselect, instead of its children.
    expect(by.top![1]).toEqual(['() "/" "INBOX"', '() "/" "Archive"', '() "/" "Drafts"', '() "/" "Junk"', '(\\Noselect) "/" "Lists"', '() "/" "Sent"']);
    expect(by.lists![1]).toEqual(['() "/" "Lists/Dev"', '(\\Noselect) "/" "Lists/Ops"']);
    expect(by.delim![1]).toEqual(['(\\Noselect) "/" ""']);
  });

  it('shows subscriptions to imapflow and to LIST (SUBSCRIBED)', async () => {
    const c = await flow('subs');
    try {
      await c.mailboxUnsubscribe('Lists/Dev');
      const subscribed = (await c.list()).filter((f) => f.subscribed).map((f) => f.path).sort();
      expect(subscribed).toEqual(['Archive', 'Drafts', 'INBOX', 'Junk', 'Lists/Ops/Alerts', 'Sent']);
    } finally {
      await c.logout();
    }
    const raw = await Raw.open('subs');
    try {
      expect((await raw.cmd('LIST (SUBSCRIBED) "" "Lists/*"')).untagged).toEqual(['* LIST (\\HasNoChildren \\Subscribed) "/" "Lists/Ops/Alerts"']);
      expect((await raw.cmd('LIST (SUBSCRIBED RECURSIVEMATCH) "" "Lists/%"')).untagged)
        .toEqual(['* LIST (\\HasChildren) "/" "Lists/Ops" ("CHILDINFO" ("SUBSCRIBED"))']);
    } finally {
      raw.close();
    }
  });
});

describe('STATUS', () => {
  beforeAll(async () => {
    const SEEN = FLAG_BITS['\\Seen'];
    const DELETED = FLAG_BITS['\\Deleted'];
    await append('status', 'INBOX', [
      { raw: message(1) }, { raw: message(2), flags: SEEN }, { raw: message(3, 'x'.repeat(500)), flags: DELETED | SEEN }, { raw: message(4), flags: DELETED },
    ]);
  });

  it('reports every item from the store (raw)', async () => {
    const mb = await mailbox('status', 'INBOX');
    const raw = await Raw.open('status');
    try {
      const r = await raw.cmd('STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE DELETED-STORAGE HIGHESTMODSEQ APPENDLIMIT MAILBOXID)');
      expect(r.status).toMatch(/^OK/);
      const deletedBytes = message(3, 'x'.repeat(500)).length + message(4).length;
      expect(r.untagged).toEqual([
        `* STATUS "INBOX" (MESSAGES 4 RECENT 0 UIDNEXT 5 UIDVALIDITY ${mb.uidValidity} UNSEEN 2 DELETED 2 SIZE ${mb.size} ` +
        `DELETED-STORAGE ${deletedBytes} HIGHESTMODSEQ ${mb.highestModseq} APPENDLIMIT 67108864 MAILBOXID (M${mb.id}))`,
      ]);
      expect(mb.size).toBe([message(1), message(2), message(3, 'x'.repeat(500)), message(4)].reduce((n, b) => n + b.length, 0));
      // Allowed on the selected mailbox too (RFC 9051 §6.3.11), and the session stays selected.
      expect((await raw.cmd('SELECT INBOX')).status).toMatch(/^OK/);
      expect((await raw.cmd('STATUS inbox (MESSAGES UNSEEN)')).untagged).toEqual(['* STATUS "INBOX" (MESSAGES 4 UNSEEN 2)']);
      expect((await raw.cmd('FETCH 1 (UID)')).untagged).toEqual(['* 1 FETCH (UID 1)']);
      expect((await raw.cmd('STATUS Nowhere (MESSAGES)')).status).toMatch(/^NO \[NONEXISTENT\]/);
      expect((await raw.cmd('STATUS INBOX (BOGUS)')).status).toMatch(/^BAD/);
    } finally {
      raw.close();
    }
  });

  it('follows appends and flag changes, seen by imapflow and imaplib', async () => {
    const c = await flow('status');
    try {
      const before = await statusOf(c, 'INBOX', { messages: true, unseen: true, uidNext: true, size: true, highestModseq: true });
      expect(before).toMatchObject({ messages: 4, unseen: 2, uidNext: 5 });
      await append('status', 'INBOX', [{ raw: message(5) }, { raw: message(6), flags: FLAG_BITS['\\Seen'] }]);
      const after = await statusOf(c, 'INBOX', { messages: true, unseen: true, uidNext: true, size: true, highestModseq: true });
      expect(after).toMatchObject({ messages: 6, unseen: 3, uidNext: 7, size: (before.size ?? 0) + message(5).length + message(6).length });
      expect(after.highestModseq! > before.highestModseq!).toBe(true);
      const drafts = await statusOf(c, 'Drafts', { messages: true, unseen: true });
      expect(drafts).toMatchObject({ messages: 0, unseen: 0 });
    } finally {
      await c.logout();
    }
    const r = await python('status', `
out(s=res(M.status('INBOX', '(MESSAGES UNSEEN UIDNEXT DELETED)')))
out(t=res(M.status('Trash', '(MESSAGES)')))
`);
    expect((r[0]!.s as [string, string[]])[1]).toEqual(['"INBOX" (MESSAGES 6 UIDNEXT 7 UNSEEN 3 DELETED 2)']);
    expect((r[1]!.t as [string, string[]])[1]).toEqual(['"Trash" (MESSAGES 0)']);
  });
});

describe('QUOTA (RFC 9208)', () => {
  it('reports the account root with no limit, then the STORAGE usage and limit in KiB', async () => {
    const raw = await Raw.open('quota');
    try {
      expect((await raw.cmd('GETQUOTAROOT INBOX')).untagged).toEqual(['* QUOTAROOT "INBOX" ""', '* QUOTA "" ()']);
      expect((await raw.cmd('GETQUOTA ""')).untagged).toEqual(['* QUOTA "" ()']);
      await append('quota', 'INBOX', [{ raw: message(1, 'y'.repeat(3000)) }]);
      const id = await account('quota');
      await store().setQuota(id, 10 * 1024 + 500);
      const used = (await store().getAccount(id))!.usedBytes;
      expect(used).toBeGreaterThan(3000);
      const usage = Math.ceil(used / 1024);
      expect((await raw.cmd('GETQUOTAROOT "Does not exist yet"')).untagged)
        .toEqual(['* QUOTAROOT "Does not exist yet" ""', `* QUOTA "" (STORAGE ${usage} 10)`]);
      expect((await raw.cmd('GETQUOTA ""')).untagged).toEqual([`* QUOTA "" (STORAGE ${usage} 10)`]);
      expect((await raw.cmd('GETQUOTA "other"')).status).toMatch(/^NO \[NONEXISTENT\]/);
      expect((await raw.cmd('SETQUOTA "" (STORAGE 100000)')).status).toMatch(/^NO \[NOPERM\]/);
    } finally {
      raw.close();
    }
  });

  it('refuses an APPEND over the quota with NO [OVERQUOTA] (RFC 9208 §4.3.1)', async () => {
    const raw = await Raw.open('quota');
    try {
      const big = message(2, 'z'.repeat(9000));
      const appended = await raw.cmd(`APPEND INBOX {${big.length}+}\r\n${big.toString('latin1')}`);
      expect(appended.status).toMatch(/^NO \[OVERQUOTA\]/);
      expect((await raw.cmd('STATUS INBOX (MESSAGES)')).untagged).toEqual(['* STATUS "INBOX" (MESSAGES 1)']);
    } finally {
      raw.close();
    }
  });

  it('is what imapflow and imaplib read', async () => {
    const c = await flow('quota');
    try {
      const q = await c.getQuota('INBOX');
      expect(q).not.toBe(false);
      if (q === false || q === undefined) return;
      expect(q.storage?.limit).toBe(10 * 1024);
      expect(q.storage?.usage).toBeGreaterThan(3000);
    } finally {
      await c.logout();
    }
    const r = await python('quota', `out(q=res(M.getquotaroot('INBOX')))`);
    const data = (r[0]!.q as [string, unknown[]])[1];
    expect(JSON.stringify(data)).toContain('STORAGE');
    expect(JSON.stringify(data)).toContain(' 10)');
  });
});

describe('errors', () => {
  it('answers bad names, missing and existing mailboxes with the right codes', async () => {
    const raw = await Raw.open('errors');
    try {
      const expectNo = async (command: string, responseCode: string): Promise<void> => {
        const r = await raw.cmd(command);
        expect(r.status, command).toMatch(/^NO /);
        expect(code(r.status), command).toBe(responseCode);
      };
      await expectNo('CREATE Drafts', 'ALREADYEXISTS');
      await expectNo('CREATE inbox', 'ALREADYEXISTS');
      await expectNo('CREATE "Drafts/"', 'ALREADYEXISTS');
      await expectNo('CREATE "a//b"', 'CANNOT');
      await expectNo('CREATE "bad*name"', 'CANNOT');
      await expectNo('CREATE "bad%name"', 'CANNOT');
      await expectNo('CREATE ""', 'CANNOT');
      await expectNo(`CREATE "${Array(40).fill('deep').join('/')}"`, 'LIMIT');
      // Longer than any mailbox name may be: refused by the parser.
      expect((await raw.cmd(`CREATE "${'x'.repeat(1100)}"`)).status).toMatch(/^BAD/);
      await expectNo('DELETE Nowhere', 'NONEXISTENT');
      await expectNo('DELETE INBOX', 'CANNOT');
      await expectNo('RENAME Nowhere Elsewhere', 'NONEXISTENT');
      await expectNo('RENAME Drafts Sent', 'ALREADYEXISTS');
      await expectNo('RENAME Drafts inbox', 'ALREADYEXISTS');
      await expectNo('RENAME Drafts Drafts/Inner', 'CANNOT');
      await expectNo('STATUS Nowhere (MESSAGES)', 'NONEXISTENT');
      await expectNo('SUBSCRIBE Nowhere', 'NONEXISTENT');
      // Syntax errors are BAD.
      expect((await raw.cmd('CREATE')).status).toMatch(/^BAD/);
      expect((await raw.cmd('RENAME Drafts')).status).toMatch(/^BAD/);
      expect((await raw.cmd('CREATE Foo (FOO)')).status).toMatch(/^BAD/);
      expect((await raw.cmd('LIST ""')).status).toMatch(/^BAD/);
      // A pattern that matches nothing is simply an empty answer.
      expect(await raw.cmd('LIST "" "no-such-*"')).toEqual({ status: 'OK LIST completed', untagged: [] });
      expect(await storeNames('errors')).toEqual(['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);
    } finally {
      raw.close();
    }
  });

  it('refuses mailbox commands before login with BAD', async () => {
    const raw = await Raw.open();
    try {
      for (const command of ['LIST "" "*"', 'LSUB "" "*"', 'CREATE X', 'DELETE X', 'RENAME X Y', 'SUBSCRIBE X', 'UNSUBSCRIBE X',
        'STATUS INBOX (MESSAGES)', 'NAMESPACE', 'GETQUOTAROOT INBOX', 'GETQUOTA ""', 'SETQUOTA "" (STORAGE 1)']) {
        expect((await raw.cmd(command)).status, command).toMatch(/^BAD/);
      }
    } finally {
      raw.close();
    }
  });

  it('answers NAMESPACE with one personal namespace', async () => {
    const raw = await Raw.open('errors');
    try {
      expect((await raw.cmd('NAMESPACE')).untagged).toEqual(['* NAMESPACE (("" "/")) NIL NIL']);
    } finally {
      raw.close();
    }
    const c = await flow('errors');
    try {
      expect(c.namespace).toMatchObject({ delimiter: '/', prefix: '' });
    } finally {
      await c.logout();
    }
  });
});

describe('two sessions', () => {
  it('a mailbox created, renamed or deleted in one session shows in the LIST of the other', async () => {
    const a = await flow('two');
    const b = await flow('two');
    try {
      await a.mailboxCreate('Shared/Notes');
      expect((await b.list()).map((f) => f.path)).toEqual(expect.arrayContaining(['Shared', 'Shared/Notes']));
      const r = await python('two', `out(l=res(M.list('""', 'Shared*')))`);
      expect((r[0]!.l as [string, string[]])[1]).toEqual(['(\\HasChildren) "/" "Shared"', '(\\HasNoChildren) "/" "Shared/Notes"']);
      await b.mailboxRename('Shared', 'Common');
      expect((await a.list()).map((f) => f.path)).toEqual(expect.arrayContaining(['Common', 'Common/Notes']));
      await a.mailboxDelete('Common/Notes');
      expect((await b.list()).map((f) => f.path).filter((p) => p.startsWith('Common'))).toEqual(['Common']);
      expect((await statusOf(b, 'Common', { messages: true })).messages).toBe(0);
    } finally {
      await a.logout();
      await b.logout();
    }
  });
});

describe('DELETE of a selected mailbox', () => {
  it('in the same session: deletes it, leaves the selected state with OK [CLOSED], and the session goes on', async () => {
    await store().createMailbox(await account('del'), 'Temp');
    await append('del', 'Temp', [{ raw: message(1) }, { raw: message(2) }]);
    const raw = await Raw.open('del');
    try {
      expect((await raw.cmd('SELECT Temp')).status).toMatch(/^OK/);
      const d = await raw.cmd('DELETE Temp');
      expect(d.status).toMatch(/^OK/);
      expect(d.untagged).toEqual(['* OK [CLOSED] The selected mailbox was deleted']);
      // Authenticated state now: selected-state commands are BAD, the rest work.
      expect((await raw.cmd('FETCH 1 (UID)')).status).toMatch(/^BAD/);
      expect((await raw.cmd('NOOP')).status).toMatch(/^OK/);
      expect((await raw.cmd('SELECT Temp')).status).toMatch(/^NO \[NONEXISTENT\]/);
      expect((await raw.cmd('SELECT INBOX')).status).toMatch(/^OK/);
      expect((await raw.cmd('LIST "" "Temp"')).untagged).toEqual([]);
    } finally {
      raw.close();
    }
  });

  it('from another session: the session that had it selected is told BYE, the others go on', async () => {
    await store().createMailbox(await account('del'), 'Temp2');
    await append('del', 'Temp2', [{ raw: message(3) }]);
    const viewer = await Raw.open('del');
    const deleter = await Raw.open('del');
    try {
      expect((await viewer.cmd('SELECT Temp2')).status).toMatch(/^OK/);
      expect((await deleter.cmd('DELETE Temp2')).status).toMatch(/^OK/);
      // Nothing in the viewer's view is valid any more: the session ends (the client reconnects).
      expect(await viewer.linesUntilClosed('m99 NOOP')).toContain('* BYE Selected mailbox was deleted');
      expect((await deleter.cmd('LIST "" "Temp*"')).untagged).toEqual([]);
      expect((await deleter.cmd('SELECT INBOX')).status).toMatch(/^OK/);
    } finally {
      viewer.close();
      deleter.close();
    }
  });
});

describe('RENAME INBOX', () => {
  it('moves the messages into the new mailbox and leaves INBOX empty, its inferiors in place', async () => {
    await append('inbox', 'INBOX', [{ raw: message(1) }, { raw: message(2) }]);
    await store().createMailbox(await account('inbox'), 'INBOX/Child');
    const raw = await Raw.open('inbox');
    try {
      expect((await raw.cmd('RENAME inbox "Old Mail"')).status).toMatch(/^OK/);
      expect((await raw.cmd('STATUS INBOX (MESSAGES)')).untagged).toEqual(['* STATUS "INBOX" (MESSAGES 0)']);
      expect((await raw.cmd('STATUS "Old Mail" (MESSAGES UIDNEXT)')).untagged).toEqual(['* STATUS "Old Mail" (MESSAGES 2 UIDNEXT 3)']);
      expect((await raw.cmd('LIST "" "INBOX*"')).untagged).toEqual(['* LIST (\\HasChildren) "/" "INBOX"', '* LIST (\\HasNoChildren) "/" "INBOX/Child"']);
      // Into one of its own inferiors works too (INBOX's inferiors are not moved).
      await append('inbox', 'INBOX', [{ raw: message(3) }]);
      expect((await raw.cmd('RENAME INBOX INBOX/Saved')).status).toMatch(/^OK/);
      expect((await raw.cmd('STATUS INBOX/Saved (MESSAGES)')).untagged).toEqual(['* STATUS "INBOX/Saved" (MESSAGES 1)']);
    } finally {
      raw.close();
    }
  });
});

describe('many mailboxes', () => {
  it('lists a thousand mailboxes with STATUS in one LIST, streamed, hierarchy intact', async () => {
    const st = store();
    const id = await account('many');
    for (let i = 0; i < 20; i++) {
      await st.createMailbox(id, `Folder ${String(i).padStart(2, '0')}`);
      // Concurrent creates share commits (the store groups them): quicker set-up.
      await Promise.all(Array.from({ length: 50 }, (_, j) => st.createMailbox(id, `Folder ${String(i).padStart(2, '0')}/Sub ${String(j).padStart(2, '0')}`)));
    }
    const raw = await Raw.open('many');
    try {
      const r = await raw.cmd('LIST "" "*" RETURN (CHILDREN STATUS (MESSAGES UNSEEN DELETED))');
      expect(r.status).toMatch(/^OK/);
      const lists = r.untagged.filter((l) => l.startsWith('* LIST'));
      const statuses = r.untagged.filter((l) => l.startsWith('* STATUS'));
      expect(lists).toHaveLength(6 + 20 + 1000);
      expect(statuses).toHaveLength(lists.length);
      expect(lists[1]).toBe('* LIST (\\HasNoChildren \\Archive) "/" "Archive"');
      const f07 = lists.findIndex((l) => l.endsWith('"Folder 07"'));
      expect(lists[f07]).toBe('* LIST (\\HasChildren) "/" "Folder 07"');
      expect(lists[f07 + 1]).toBe('* LIST (\\HasNoChildren) "/" "Folder 07/Sub 00"');
      expect(statuses).toContain('* STATUS "Folder 19/Sub 49" (MESSAGES 0 UNSEEN 0 DELETED 0)');
      expect((await raw.cmd('LIST "" "%"')).untagged).toHaveLength(6 + 20);
      expect((await raw.cmd('LIST "" "Folder 1%/Sub 4%"')).untagged).toHaveLength(10 * 10);
    } finally {
      raw.close();
    }
  }, 120_000);
});
