/**
 * The store conformance suite: every engine runs these same tests (DESIGN principle 7).
 * `makeEngine` gives a fresh, empty engine for each test.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/store/engine.js';
import { MailStore } from '../../src/store/store.js';
import { StoreError } from '../../src/store/errors.js';
import type { Change } from '../../src/store/types.js';
import { FLAG_BITS } from '../../src/store/types.js';
import { DEFAULT_POP_SETTINGS, popOffers, popSettings } from '../../src/store/pop.js';

const SEEN = FLAG_BITS['\\Seen'];
const DELETED = FLAG_BITS['\\Deleted'];
const FLAGGED = FLAG_BITS['\\Flagged'];

export function message(n: number, extra = ''): Buffer {
  return Buffer.from(
    `From: Alice Example <alice@example.com>\r\nTo: bob@example.org\r\nSubject: Test message ${n}\r\n` +
      `Message-ID: <m${n}@example.com>\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\n${extra}\r\nHello number ${n}.\r\n`,
  );
}

export function storeContract(name: string, makeEngine: () => Promise<Engine>): void {
  describe(`store contract: ${name}`, () => {
    let store: MailStore;
    let changes: Change[];
    let accountId: number;

    beforeEach(async () => {
      store = new MailStore(await makeEngine());
      const a = await store.createAccount('Alice@Example.COM', 'hash');
      accountId = a.id;
      changes = [];
      store.bus.subscribe(accountId, (c) => changes.push(c));
    });

    afterEach(async () => {
      await store.close();
    });

    async function inbox() {
      const mb = await store.findMailbox(accountId, 'inbox');
      if (mb === null) throw new Error('no INBOX');
      return mb;
    }

    it('creates the account with its domain and default special-use folders', async () => {
      expect((await store.getAccountByAddress('Alice@example.com'))?.id).toBe(accountId);
      expect((await store.listDomains()).map((d) => d.name)).toEqual(['example.com']);
      const boxes = await store.listMailboxes(accountId);
      const byName = Object.fromEntries(boxes.map((b) => [b.name, b.specialUse]));
      expect(byName).toEqual({
        INBOX: null, Drafts: '\\Drafts', Sent: '\\Sent', Archive: '\\Archive', Junk: '\\Junk', Trash: '\\Trash',
      });
      expect(boxes.every((b) => b.subscribed)).toBe(true);
      const validities = new Set(boxes.map((b) => b.uidValidity));
      expect(validities.size).toBe(boxes.length);
      await expect(store.createAccount('alice@example.com', 'x')).rejects.toThrow(StoreError);
    });

    it('appends with increasing UIDs, counters and modseqs, and publishes after commit', async () => {
      const mb = await inbox();
      const r1 = await store.append(accountId, mb.id, [{ raw: message(1) }, { raw: message(2), flags: SEEN, keywords: ['$Work'] }]);
      expect(r1.uids).toEqual([1, 2]);
      expect(r1.uidValidity).toBe(mb.uidValidity);
      const r2 = await store.append(accountId, mb.id, [{ raw: message(3) }]);
      expect(r2.uids).toEqual([3]);
      const after = await store.getMailbox(accountId, mb.id);
      expect(after?.messages).toBe(3);
      expect(after?.unseen).toBe(2);
      expect(after?.uidNext).toBe(4);
      expect(after?.size).toBe(message(1).length + message(2).length + message(3).length);
      expect(after?.keywords).toEqual(['$Work']);
      expect(after!.highestModseq).toBeGreaterThan(mb.highestModseq);
      expect(Array.from(await store.listUids(mb.id))).toEqual([1, 2, 3]);
      expect(changes.map((c) => c.kind)).toEqual(['added', 'added']);
      const entries = await store.getEntries(mb.id, [[1, 3]], ['envelope', 'bodyStructure', 'preview']);
      expect(entries.map((e) => e.uid)).toEqual([1, 2, 3]);
      expect(entries[1]?.keywords).toEqual(['$Work']);
      expect(entries[0]?.envelope).toContain('"Test message 1"');
      expect(entries[0]?.bodyStructure).toMatch(/^\("text" "plain"/i);
      expect(entries[0]?.preview).toBe('Hello number 1.');
      const raw = await store.readBlob(entries[0]!.blob);
      expect(raw.equals(message(1))).toBe(true);
    });

    it('deduplicates identical content and keeps bytes exact, large ones too', async () => {
      const mb = await inbox();
      const big = Buffer.concat([message(9), Buffer.alloc(600 * 1024, 'a')]);
      await store.append(accountId, mb.id, [{ raw: message(1) }, { raw: message(1) }, { raw: big }]);
      const e = await store.getEntries(mb.id, [[1, 3]], []);
      expect(e[0]?.blob).toBe(e[1]?.blob);
      expect((await store.readBlob(e[2]!.blob)).equals(big)).toBe(true);
      await store.destroy(accountId, mb.id, [1, 2, 3]);
      await expect(store.readBlob(e[2]!.blob)).rejects.toThrow();
    });

    it('stores flags with set/add/remove, UNCHANGEDSINCE and unseen counts', async () => {
      const mb = await inbox();
      await store.append(accountId, mb.id, [{ raw: message(1) }, { raw: message(2) }, { raw: message(3) }]);
      changes.length = 0;
      const r = await store.storeFlags(accountId, mb.id, [[1, 2]], 'add', SEEN | FLAGGED, ['Important']);
      expect([...r.changed]).toEqual([1, 2]);
      expect(r.entries.map((e) => e.flags)).toEqual([SEEN | FLAGGED, SEEN | FLAGGED]);
      expect((await store.getMailbox(accountId, mb.id))?.unseen).toBe(1);
      const modseq = r.entries[0]!.modseq;
      const same = await store.storeFlags(accountId, mb.id, [[1, 1]], 'add', SEEN, []);
      expect(same.changed.size).toBe(0);
      expect(same.entries[0]?.modseq).toBe(modseq);
      const cond = await store.storeFlags(accountId, mb.id, [[1, 3]], 'remove', FLAGGED, ['important'], modseq - 1);
      expect(cond.modified).toEqual([1, 2]);
      expect([...cond.changed]).toEqual([]);
      const set = await store.storeFlags(accountId, mb.id, [[1, 3]], 'set', DELETED, []);
      expect(set.entries.every((e) => e.flags === DELETED && e.keywords.length === 0)).toBe(true);
      expect((await store.getMailbox(accountId, mb.id))?.unseen).toBe(3);
      expect(changes.filter((c) => c.kind === 'flags').length).toBe(2);
      expect(await store.countDeleted(mb.id)).toBe(3);
      const changed = await store.getFlags(mb.id, [[1, 3]], modseq);
      expect(changed.map((e) => e.uid)).toEqual([1, 2, 3]);
    });

    it('counts \\Deleted messages and their sizes for many mailboxes in one read', async () => {
      const mb = await inbox();
      const trash = (await store.findMailbox(accountId, 'Trash'))!;
      const drafts = (await store.findMailbox(accountId, 'Drafts'))!;
      await store.append(accountId, mb.id, [{ raw: message(1), flags: DELETED }, { raw: message(22) }, { raw: message(333), flags: DELETED | SEEN }]);
      await store.append(accountId, trash.id, [{ raw: message(4), flags: DELETED }]);
      await store.append(accountId, drafts.id, [{ raw: message(5) }]);
      const stats = await store.deletedStats([mb.id, trash.id, drafts.id, 999_999]);
      expect(stats.get(mb.id)).toEqual({ messages: 2, bytes: message(1).length + message(333).length });
      expect(stats.get(trash.id)).toEqual({ messages: 1, bytes: message(4).length });
      expect(stats.has(drafts.id)).toBe(false);
      expect(stats.has(999_999)).toBe(false);
      expect((await store.deletedStats([])).size).toBe(0);
      await store.storeFlags(accountId, mb.id, [[1, 1]], 'remove', DELETED, []);
      expect((await store.deletedStats([mb.id])).get(mb.id)).toEqual({ messages: 1, bytes: message(333).length });
    });

    it('expunges only \\Deleted (within a UID set when given) and leaves tombstones', async () => {
      const mb = await inbox();
      await store.append(accountId, mb.id, [1, 2, 3, 4].map((n) => ({ raw: message(n) })));
      await store.storeFlags(accountId, mb.id, [[1, 1], [3, 4]], 'add', DELETED, []);
      const before = (await store.getMailbox(accountId, mb.id))!.highestModseq;
      expect(await store.expunge(accountId, mb.id, [[3, 3]])).toEqual([3]);
      expect(await store.expunge(accountId, mb.id)).toEqual([1, 4]);
      expect(Array.from(await store.listUids(mb.id))).toEqual([2]);
      expect(await store.expungedSince(mb.id, before)).toEqual([1, 3, 4]);
      const after = await store.getMailbox(accountId, mb.id);
      expect(after?.messages).toBe(1);
      expect(after?.size).toBe(message(2).length);
      expect(changes.filter((c) => c.kind === 'expunged').map((c) => (c.kind === 'expunged' ? c.uids : []))).toEqual([[3], [1, 4]]);
    });

    it('copies and moves with new UIDs in the target, keeping flags and content', async () => {
      const mb = await inbox();
      const archive = (await store.findMailbox(accountId, 'Archive'))!;
      await store.append(accountId, mb.id, [{ raw: message(1), flags: SEEN }, { raw: message(2) }, { raw: message(3) }]);
      const c = await store.copy(accountId, mb.id, [[1, 2]], archive.id);
      expect(c).toEqual({ uidValidity: archive.uidValidity, sourceUids: [1, 2], targetUids: [1, 2] });
      const m = await store.move(accountId, mb.id, [[2, 3]], archive.id);
      expect(m.targetUids).toEqual([3, 4]);
      expect(Array.from(await store.listUids(mb.id))).toEqual([1]);
      const a = await store.getEntries(archive.id, [[1, 10]], []);
      expect(a.map((e) => e.flags)).toEqual([SEEN, 0, 0, 0]);
      const src = await store.getEntries(mb.id, [[1, 1]], []);
      expect(a[0]?.messageId).toBe(src[0]?.messageId);
      const box = await store.getMailbox(accountId, archive.id);
      expect([box?.messages, box?.unseen]).toEqual([4, 3]);
      const ib = await store.getMailbox(accountId, mb.id);
      expect([ib?.messages, ib?.unseen]).toEqual([1, 0]);
    });

    it('copy and move keep flags, keywords and internal dates; new UIDs ascend in source order; same-mailbox move', async () => {
      const mb = await inbox();
      const archive = (await store.findMailbox(accountId, 'Archive'))!;
      await store.append(accountId, archive.id, [{ raw: message(9) }]);
      const dates = [Date.UTC(2001, 1, 3, 4, 5, 6), Date.UTC(1999, 11, 31), Date.UTC(2020, 5, 6)];
      await store.append(accountId, mb.id, [
        { raw: message(1), flags: SEEN | FLAGGED, keywords: ['$Label1'], internalDate: dates[0] },
        { raw: message(2), internalDate: dates[1] },
        { raw: message(3), flags: DELETED, keywords: ['Work', '$Junk'], internalDate: dates[2] },
      ]);
      changes.length = 0;
      const c = await store.copy(accountId, mb.id, [[3, 3], [1, 2]], archive.id);
      expect(c.sourceUids).toEqual([1, 2, 3]);
      expect(c.targetUids).toEqual([2, 3, 4]);
      const copied = await store.getEntries(archive.id, [[2, 4]], []);
      expect(copied.map((e) => [e.flags, e.keywords, e.internalDate])).toEqual([
        [SEEN | FLAGGED, ['$Label1'], dates[0]], [0, [], dates[1]], [DELETED, ['Work', '$Junk'], dates[2]],
      ]);
      expect((await store.getMailbox(accountId, archive.id))?.keywords).toEqual(expect.arrayContaining(['$Label1', 'Work', '$Junk']));
      // Nothing in the set: nothing happens, nothing is published.
      expect(await store.copy(accountId, mb.id, [[50, 60]], archive.id)).toEqual({ uidValidity: archive.uidValidity, sourceUids: [], targetUids: [] });
      expect(changes.map((c) => c.kind)).toEqual(['added']);
      // MOVE into the mailbox itself: new UIDs, the old ones expunged, counters unchanged.
      const before = (await store.getMailbox(accountId, mb.id))!;
      const m = await store.move(accountId, mb.id, [[1, 2]], mb.id);
      expect(m).toEqual({ uidValidity: mb.uidValidity, sourceUids: [1, 2], targetUids: [4, 5] });
      expect(Array.from(await store.listUids(mb.id))).toEqual([3, 4, 5]);
      const after = (await store.getMailbox(accountId, mb.id))!;
      expect([after.messages, after.unseen, after.size]).toEqual([before.messages, before.unseen, before.size]);
      const moved = await store.getEntries(mb.id, [[4, 5]], []);
      expect(moved.map((e) => [e.flags, e.internalDate])).toEqual([[SEEN | FLAGGED, dates[0]], [0, dates[1]]]);
      expect(changes.slice(1).map((c) => c.kind)).toEqual(['added', 'expunged']);
    });

    it('replace appends the new message and removes the old one in one transaction', async () => {
      const mb = await inbox();
      const drafts = (await store.findMailbox(accountId, 'Drafts'))!;
      await store.append(accountId, drafts.id, [{ raw: message(1), flags: SEEN }, { raw: message(2) }]);
      changes.length = 0;
      const date = Date.UTC(2015, 0, 1, 5, 5);
      // Same mailbox (the usual draft update); nothing is inherited from the old message.
      const r = await store.replace(accountId, drafts.id, 1, drafts.id, { raw: message(3), flags: FLAGGED, keywords: ['$Draft2'], internalDate: date });
      expect(r.uidValidity).toBe(drafts.uidValidity);
      expect([r.entry.uid, r.removedUid]).toEqual([3, 1]);
      expect(Array.from(await store.listUids(drafts.id))).toEqual([2, 3]);
      const [e] = await store.getEntries(drafts.id, [[3, 3]], []);
      expect([e?.flags, e?.keywords, e?.internalDate]).toEqual([FLAGGED, ['$Draft2'], date]);
      expect((await store.readBlob(e!.blob)).equals(message(3))).toBe(true);
      let box = (await store.getMailbox(accountId, drafts.id))!;
      expect([box.messages, box.unseen, box.size]).toEqual([2, 2, message(2).length + message(3).length]);
      expect(changes.map((c) => [c.kind, c.mailboxId])).toEqual([['added', drafts.id], ['expunged', drafts.id]]);
      expect(await store.expungedSince(drafts.id, 0)).toEqual([1]);
      // Into another mailbox, with identical content (same blob): the content survives the removal.
      const r2 = await store.replace(accountId, drafts.id, 2, mb.id, { raw: message(2) });
      expect(r2.entry.uid).toBe(1);
      const [moved] = await store.getEntries(mb.id, [[1, 1]], []);
      expect((await store.readBlob(moved!.blob)).equals(message(2))).toBe(true);
      box = (await store.getMailbox(accountId, drafts.id))!;
      expect([box.messages, box.unseen]).toEqual([1, 1]);
      // The old message must exist; otherwise nothing is appended.
      await expect(store.replace(accountId, drafts.id, 2, mb.id, { raw: message(4) })).rejects.toMatchObject({ code: 'NONEXISTENT' });
      expect(Array.from(await store.listUids(mb.id))).toEqual([1]);
      const account = await store.getAccount(accountId);
      expect(account?.usedBytes).toBe(message(3).length + message(2).length);
      // The same with content large enough to live outside the database.
      const large = message(5, `X-Pad: ${'q'.repeat(300 * 1024)}\r\n`);
      const [uid] = (await store.append(accountId, drafts.id, [{ raw: large }])).uids;
      const r3 = await store.replace(accountId, drafts.id, uid!, drafts.id, { raw: large });
      const [again] = await store.getEntries(drafts.id, [[r3.entry.uid, r3.entry.uid]], []);
      expect((await store.readBlob(again!.blob)).equals(large)).toBe(true);
    });

    it('content released and stored again in the same commit survives (expunge and append of the same large message at once)', async () => {
      const mb = await inbox();
      const big = message(7, `X-Pad: ${'z'.repeat(400 * 1024)}\r\n`);
      await store.append(accountId, mb.id, [{ raw: big, flags: DELETED }]);
      await Promise.all([store.expunge(accountId, mb.id), store.append(accountId, mb.id, [{ raw: big }])]);
      const [e] = await store.getEntries(mb.id, [[1, 10]], []);
      expect(e?.uid).toBe(2);
      expect((await store.readBlob(e!.blob)).equals(big)).toBe(true);
    });

    it('replace counts only the net quota use, and changes nothing when over quota', async () => {
      const drafts = (await store.findMailbox(accountId, 'Drafts'))!;
      const big = message(1, `X-Pad: ${'x'.repeat(200)}\r\n`);
      await store.setQuota(accountId, big.length + 20);
      await store.append(accountId, drafts.id, [{ raw: big }]);
      // APPEND of a same-size message would exceed the quota; REPLACE frees the old one in the same step.
      await expect(store.append(accountId, drafts.id, [{ raw: message(2, `X-Pad: ${'y'.repeat(200)}\r\n`) }])).rejects.toMatchObject({ code: 'OVERQUOTA' });
      const r = await store.replace(accountId, drafts.id, 1, drafts.id, { raw: message(2, `X-Pad: ${'y'.repeat(200)}\r\n`) });
      expect(r.entry.uid).toBe(2);
      const huge = message(3, `X-Pad: ${'z'.repeat(400)}\r\n`);
      changes.length = 0;
      await expect(store.replace(accountId, drafts.id, 2, drafts.id, { raw: huge })).rejects.toMatchObject({ code: 'OVERQUOTA' });
      expect(Array.from(await store.listUids(drafts.id))).toEqual([2]);
      expect(changes).toEqual([]);
    });

    it('searches indexed headers, flags, dates, sizes and body text', async () => {
      const mb = await inbox();
      await store.append(accountId, mb.id, [
        { raw: message(1), internalDate: Date.UTC(2020, 0, 1) },
        { raw: message(2, 'X-Custom: Blue Sky\r\n'), flags: SEEN, internalDate: Date.UTC(2021, 0, 1) },
        { raw: Buffer.from('Subject: =?UTF-8?B?w5xiZXIgR3LDvMOfZQ==?=\r\n\r\nStraße body\r\n') },
      ]);
      const s = (c: Parameters<MailStore['search']>[1]) => store.search(mb.id, c);
      expect(await s({ op: 'header', name: 'subject', value: 'MESSAGE 2' })).toEqual([2]);
      expect(await s({ op: 'header', name: 'subject', value: 'über' })).toEqual([3]);
      expect(await s({ op: 'header', name: 'from', value: 'alice@' })).toEqual([1, 2]);
      expect(await s({ op: 'header', name: 'message-id', value: '<m2@example.com>' })).toEqual([2]);
      expect(await s({ op: 'header', name: 'x-custom', value: 'blue sky' })).toEqual([2]);
      expect(await s({ op: 'flag', flag: '\\Seen', set: false })).toEqual([1, 3]);
      expect(await s({ op: 'date', field: 'internal', cmp: 'lt', ms: Date.UTC(2020, 6, 1) })).toEqual([1]);
      expect(await s({ op: 'text', where: 'body', value: 'number 2' })).toEqual([2]);
      expect(await s({ op: 'text', where: 'body', value: 'STRASSE' })).toEqual([]);
      expect(await s({ op: 'text', where: 'body', value: 'straße' })).toEqual([3]);
      expect(await s({ op: 'not', of: { op: 'uids', ranges: [[2, 3]] } })).toEqual([1]);
      expect(await s({ op: 'or', of: [{ op: 'uids', ranges: [[1, 1]] }, { op: 'size', cmp: 'lt', bytes: 60 }] })).toEqual([1, 3]);
    });

    it('creates parents, renames with children, refuses deleting a parent, deletes leaves', async () => {
      await store.createMailbox(accountId, 'Projects/Roost/Design');
      const names = (await store.listMailboxes(accountId)).map((m) => m.name);
      expect(names).toEqual(expect.arrayContaining(['Projects', 'Projects/Roost', 'Projects/Roost/Design']));
      const p = (await store.findMailbox(accountId, 'Projects'))!;
      await store.renameMailbox(accountId, p.id, 'Work/Old');
      const after = (await store.listMailboxes(accountId)).map((m) => m.name);
      expect(after).toEqual(expect.arrayContaining(['Work', 'Work/Old', 'Work/Old/Roost', 'Work/Old/Roost/Design']));
      expect(after).not.toContain('Projects');
      const work = (await store.findMailbox(accountId, 'Work/Old'))!;
      await expect(store.deleteMailbox(accountId, work.id)).rejects.toMatchObject({ code: 'HASCHILDREN' });
      const leaf = (await store.findMailbox(accountId, 'Work/Old/Roost/Design'))!;
      await store.deleteMailbox(accountId, leaf.id);
      expect(await store.findMailbox(accountId, 'Work/Old/Roost/Design')).toBeNull();
      await expect(store.createMailbox(accountId, 'inbox')).rejects.toMatchObject({ code: 'ALREADYEXISTS' });
      await expect(store.createMailbox(accountId, 'a//b')).rejects.toMatchObject({ code: 'INVALID' });
    });

    it('keeps the subscription of a deleted mailbox until unsubscribed, and gives it back to a new one of that name', async () => {
      const a = await store.createMailbox(accountId, 'Alerts');
      const b = await store.createMailbox(accountId, 'Plain');
      await store.setSubscribed(accountId, a.id, true);
      await store.deleteMailbox(accountId, a.id);
      await store.deleteMailbox(accountId, b.id);
      // RFC 9051 §6.3.7: only the subscribed one is remembered.
      expect(await store.listLostSubscriptions(accountId)).toEqual(['Alerts']);
      const again = await store.createMailbox(accountId, 'Alerts');
      expect(again.subscribed).toBe(true);
      expect(await store.listLostSubscriptions(accountId)).toEqual([]);
      // Renaming onto a remembered name takes its subscription too; unsubscribing a name forgets it.
      await store.deleteMailbox(accountId, again.id);
      const c = await store.createMailbox(accountId, 'Other');
      await store.renameMailbox(accountId, c.id, 'Alerts');
      expect((await store.findMailbox(accountId, 'Alerts'))?.subscribed).toBe(true);
      await store.setSubscribed(accountId, c.id, true);
      await store.deleteMailbox(accountId, c.id);
      expect(await store.listLostSubscriptions(accountId)).toEqual(['Alerts']);
      await store.unsubscribeName(accountId, 'Alerts');
      expect(await store.listLostSubscriptions(accountId)).toEqual([]);
    });

    it('renaming INBOX moves its messages into a new mailbox and leaves INBOX empty', async () => {
      const mb = await inbox();
      await store.append(accountId, mb.id, [{ raw: message(1) }, { raw: message(2) }]);
      await store.renameMailbox(accountId, mb.id, 'Old Inbox');
      const old = (await store.findMailbox(accountId, 'Old Inbox'))!;
      expect(old.messages).toBe(2);
      expect(Array.from(await store.listUids(old.id))).toEqual([1, 2]);
      expect((await store.getMailbox(accountId, mb.id))?.messages).toBe(0);
      expect(Array.from(await store.listUids(mb.id))).toEqual([]);
      // Into one of its own inferiors: INBOX's inferiors stay where they are (RFC 9051 §6.3.6).
      await store.append(accountId, mb.id, [{ raw: message(3) }]);
      await store.renameMailbox(accountId, mb.id, 'INBOX/Saved');
      expect((await store.findMailbox(accountId, 'inbox/Saved'))?.messages).toBe(1);
      expect((await store.getMailbox(accountId, mb.id))?.name).toBe('INBOX');
      const other = await store.createMailbox(accountId, 'Box');
      await expect(store.renameMailbox(accountId, other.id, 'Box/Inner')).rejects.toMatchObject({ code: 'CANNOT' });
    });

    it('never lets one account reach another account\'s mailbox', async () => {
      const bob = await store.createAccount('bob@example.org', 'h');
      const bobInbox = (await store.findMailbox(bob.id, 'INBOX'))!;
      expect(await store.getMailbox(accountId, bobInbox.id)).toBeNull();
      await expect(store.append(accountId, bobInbox.id, [{ raw: message(1) }])).rejects.toMatchObject({ code: 'NONEXISTENT' });
      await expect(store.storeFlags(accountId, bobInbox.id, [[1, 1]], 'add', SEEN, [])).rejects.toMatchObject({ code: 'NONEXISTENT' });
      await expect(store.expunge(accountId, bobInbox.id)).rejects.toMatchObject({ code: 'NONEXISTENT' });
      const mine = await inbox();
      await expect(store.copy(accountId, mine.id, [[1, 1]], bobInbox.id)).rejects.toMatchObject({ code: 'NONEXISTENT' });
      await expect(store.deleteMailbox(accountId, bobInbox.id)).rejects.toMatchObject({ code: 'NONEXISTENT' });
    });

    it('commits concurrent writes together while a failing one rolls back alone', async () => {
      const mb = await inbox();
      const results = await Promise.allSettled([
        store.append(accountId, mb.id, [{ raw: message(1) }]),
        store.append(accountId, 999999, [{ raw: message(2) }]),
        store.createMailbox(accountId, 'Concurrent'),
        store.createMailbox(accountId, 'Concurrent'),
        store.append(accountId, mb.id, [{ raw: message(3) }]),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
      expect(Array.from(await store.listUids(mb.id))).toEqual([1, 2]);
      const raw = await store.readBlob((await store.getEntries(mb.id, [[2, 2]], []))[0]!.blob);
      expect(raw.equals(message(3))).toBe(true);
      expect((await store.listMailboxes(accountId)).filter((m) => m.name === 'Concurrent')).toHaveLength(1);
      const flags = await Promise.all([1, 2].map((uid) => store.storeFlags(accountId, mb.id, [[uid, uid]], 'add', SEEN, [])));
      expect(flags.map((f) => [...f.changed])).toEqual([[1], [2]]);
      expect((await store.getMailbox(accountId, mb.id))?.unseen).toBe(0);
    });

    it('reads and updates long disjoint UID sets exactly', async () => {
      const mb = await inbox();
      await store.append(accountId, mb.id, Array.from({ length: 120 }, (_, i) => ({ raw: message(i + 1) })));
      const odd: Array<[number, number]> = [];
      for (let u = 1; u <= 120; u += 2) odd.push([u, u]);
      odd.push([99, 101]); // overlapping ranges are fine
      const want = [...new Set([...odd.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, k) => a + k))])].sort((a, b) => a - b);
      expect((await store.getFlags(mb.id, odd)).map((e) => e.uid)).toEqual(want);
      expect((await store.getEntries(mb.id, odd, ['envelope'])).map((e) => e.uid)).toEqual(want);
      const r = await store.storeFlags(accountId, mb.id, odd, 'add', SEEN, ['$Odd']);
      expect([...r.changed].sort((a, b) => a - b)).toEqual(want);
      expect(await store.search(mb.id, { op: 'keyword', keyword: '$odd', set: true })).toEqual(want);
    });

    it('POP settings: "new" starts from the INBOX UIDNEXT of that moment; defaults otherwise', async () => {
      const mb = await inbox();
      await store.append(accountId, mb.id, [{ raw: message(1) }, { raw: message(2) }]);
      expect(popSettings((await store.getAccount(accountId))!)).toEqual(DEFAULT_POP_SETTINGS);
      const s = await store.setPopSettings(accountId, { offer: 'new', afterDownload: 'archive' });
      expect(s).toEqual({ offer: 'new', afterDownload: 'archive', dele: 'delete', fromUid: 3, fromUidValidity: mb.uidValidity });
      const again = popSettings((await store.getAccount(accountId))!);
      expect(again).toEqual(s);
      expect([1, 2, 3].map((uid) => popOffers(again, mb, uid))).toEqual([false, false, true]);
      const all = await store.setPopSettings(accountId, { offer: 'all' });
      expect(all).toEqual({ offer: 'all', afterDownload: 'archive', dele: 'delete' });
      expect(popOffers(all, mb, 1)).toBe(true);
      expect(popOffers(await store.setPopSettings(accountId, { offer: 'off' }), mb, 3)).toBe(false);
    });

    it('a POP update deletes, moves to Trash and Archive and marks read in one transaction, published in order', async () => {
      const mb = await inbox();
      await store.append(accountId, mb.id, [1, 2, 3, 4, 5].map((n) => ({ raw: message(n) })));
      changes.length = 0;
      await store.popUpdate(accountId, mb.id, { remove: [1], trash: [2], archive: [3], seen: [4] });
      expect(Array.from(await store.listUids(mb.id))).toEqual([4, 5]);
      const trash = (await store.findMailbox(accountId, 'Trash'))!;
      const archive = (await store.findMailbox(accountId, 'Archive'))!;
      expect([trash.messages, archive.messages]).toEqual([1, 1]);
      expect((await store.getFlags(mb.id, [[4, 5]])).map((e) => e.flags)).toEqual([SEEN, 0]);
      const ib = (await store.getMailbox(accountId, mb.id))!;
      expect([ib.messages, ib.unseen]).toEqual([2, 1]);
      const modseqs = changes.map((c) => c.modseq);
      expect([...modseqs].sort((a, b) => a - b)).toEqual(modseqs);
      expect(changes.filter((c) => c.kind === 'expunged' && c.mailboxId === mb.id).flatMap((c) => (c.kind === 'expunged' ? c.uids : []))).toEqual([2, 3, 1]);
      // A folder that is gone: the message stays in INBOX, read, rather than being deleted.
      await store.deleteMailbox(accountId, archive.id);
      await store.popUpdate(accountId, mb.id, { remove: [], trash: [], archive: [5], seen: [] });
      expect(Array.from(await store.listUids(mb.id))).toEqual([4, 5]);
      expect((await store.getFlags(mb.id, [[5, 5]]))[0]?.flags).toBe(SEEN);
      // UIDs that are already gone are skipped.
      await store.popUpdate(accountId, mb.id, { remove: [1, 2, 4], trash: [], archive: [], seen: [] });
      expect(Array.from(await store.listUids(mb.id))).toEqual([5]);
    });

    it('a POP update on another account\'s INBOX changes nothing', async () => {
      const mb = await inbox();
      await store.append(accountId, mb.id, [{ raw: message(1) }]);
      const other = await store.createAccount('mallory@example.com', 'hash');
      await expect(store.popUpdate(other.id, mb.id, { remove: [1], trash: [], archive: [], seen: [] })).rejects.toMatchObject({ code: 'NONEXISTENT' });
      expect(Array.from(await store.listUids(mb.id))).toEqual([1]);
    });

    it('enforces the account quota', async () => {
      const mb = await inbox();
      await store.setQuota(accountId, message(1).length + 10);
      await store.append(accountId, mb.id, [{ raw: message(1) }]);
      await expect(store.append(accountId, mb.id, [{ raw: message(2) }])).rejects.toMatchObject({ code: 'OVERQUOTA' });
      expect((await store.getMailbox(accountId, mb.id))?.messages).toBe(1);
    });

    describe('outbound queue', () => {
      /** A store over the same engine with a clock the test moves. */
      function clocked(start: number): { s: MailStore; at: (t: number) => void } {
        let now = start;
        return { s: new MailStore(store.engine, store.bus, () => now), at: (t) => (now = t) };
      }

      it('enqueues one row per recipient over one stored copy of the bytes, durable and readable', async () => {
        const raw = message(1);
        const ids = await store.enqueue('alice@example.com', ['bob@Example.ORG', 'carol@example.net'], raw);
        expect(ids).toHaveLength(2);
        const rows = await store.listQueue();
        expect(rows.map((r) => [r.recipient, r.domain, r.sender, r.attempts, r.leaseOwner])).toEqual([
          ['bob@Example.ORG', 'example.org', 'alice@example.com', 0, null],
          ['carol@example.net', 'example.net', 'alice@example.com', 0, null],
        ]);
        expect(rows[0]?.blob).toBe(rows[1]?.blob);
        expect(rows[0]?.size).toBe(raw.length);
        expect(await store.readBlob(rows[0]!.blob)).toEqual(raw);
        expect(await store.enqueue('alice@example.com', [], raw)).toEqual([]);
      });

      it('claims due rows with a lease another owner cannot take until it runs out', async () => {
        const { s, at } = clocked(1_000_000);
        await s.enqueue('alice@example.com', ['a@example.org', 'b@example.org', 'c@example.org'], message(1));
        const first = await s.claimQueue('node-a', 2, 60_000);
        expect(first.map((r) => r.recipient)).toEqual(['a@example.org', 'b@example.org']);
        expect(first.every((r) => r.leaseOwner === 'node-a' && r.leasedUntil === 1_060_000)).toBe(true);
        expect((await s.claimQueue('node-b', 10, 60_000)).map((r) => r.recipient)).toEqual(['c@example.org']);
        expect(await s.claimQueue('node-b', 10, 60_000)).toEqual([]);
        at(1_060_000);
        expect((await s.claimQueue('node-b', 10, 60_000)).map((r) => r.recipient)).toEqual(['a@example.org', 'b@example.org', 'c@example.org']);
        // node-a's lease is gone: it cannot end rows it no longer holds.
        expect(await s.markDelivered(first[0]!.id, 'node-a')).toBe(false);
        expect(await s.releaseQueueLeases('node-b')).toBe(3);
        expect((await s.claimQueue('node-a', 10, 60_000))).toHaveLength(3);
      });

      it('delivered rows go with their blob reference; the last one frees the bytes', async () => {
        const raw = message(2);
        await store.enqueue('alice@example.com', ['a@example.org', 'b@example.org'], raw);
        const [a, b] = await store.claimQueue('n', 10, 60_000);
        expect(await store.markDelivered(a!.id, 'n')).toBe(true);
        expect(await store.readBlob(b!.blob)).toEqual(raw);
        expect(await store.markDelivered(b!.id, 'n')).toBe(true);
        expect(await store.listQueue()).toEqual([]);
        await expect(store.readBlob(b!.blob)).rejects.toThrow();
      });

      it('a queued message and a mailbox copy of the same bytes share one blob', async () => {
        const raw = message(3);
        const mb = await inbox();
        await store.append(accountId, mb.id, [{ raw }]);
        await store.enqueue('alice@example.com', ['a@example.org'], raw);
        const [row] = await store.claimQueue('n', 10, 60_000);
        await store.markDelivered(row!.id, 'n');
        expect(await store.readBlob(row!.blob)).toEqual(raw);
      });

      it('deferred rows count the attempt, keep the error and wait until their next attempt', async () => {
        const { s, at } = clocked(5_000);
        await s.enqueue('alice@example.com', ['a@example.org'], message(4));
        const [row] = await s.claimQueue('n', 10, 60_000);
        expect(await s.markDeferred(row!.id, 'other', 'x', 65_000)).toBe(false);
        expect(await s.markDeferred(row!.id, 'n', '451 4.3.0 try later', 65_000)).toBe(true);
        const [d] = await s.listQueue();
        expect(d).toMatchObject({ attempts: 1, nextAttemptAt: 65_000, lastError: '451 4.3.0 try later', leaseOwner: null, leasedUntil: 0 });
        expect(await s.claimQueue('n', 10, 60_000)).toEqual([]);
        at(65_000);
        expect(await s.claimQueue('n', 10, 60_000)).toHaveLength(1);
      });

      it('a deferral with a delay notice queues it from the null sender and remembers it was sent', async () => {
        await store.enqueue('alice@example.org', ['a@example.net'], message(5));
        const [row] = await store.claimQueue('n', 10, 60_000);
        await store.markDeferred(row!.id, 'n', 'timeout', Date.now() + 60_000, { recipient: 'alice@example.org', raw: message(6) });
        const rows = await store.listQueue();
        expect(rows.map((r) => [r.sender, r.recipient, r.delayNotified])).toEqual([
          ['alice@example.org', 'a@example.net', true], ['', 'alice@example.org', false],
        ]);
      });

      it('a failed row goes and its bounce is queued to the sender from the null sender, atomically', async () => {
        await store.enqueue('alice@example.org', ['a@example.net'], message(7));
        const [row] = await store.claimQueue('n', 10, 60_000);
        const bounce = message(8);
        expect(await store.markFailed(row!.id, 'n', { recipient: 'alice@example.org', raw: bounce })).toBe(true);
        const rows = await store.listQueue();
        expect(rows.map((r) => [r.sender, r.recipient, r.attempts])).toEqual([['', 'alice@example.org', 0]]);
        expect(await store.readBlob(rows[0]!.blob)).toEqual(bounce);
        await expect(store.readBlob(row!.blob)).rejects.toThrow();
        expect(await store.markFailed(row!.id, 'n', null)).toBe(false);
      });

      it('keeps one DKIM key per domain: the first saved wins', async () => {
        const key = { domain: 'Example.COM', selector: 'roost', algorithm: 'rsa-sha256', privateKey: 'PRIV1', publicKey: 'PUB1', createdAt: 1 };
        expect(await store.getDkimKey('example.com')).toBeNull();
        expect(await store.saveDkimKey(key)).toMatchObject({ domain: 'example.com', privateKey: 'PRIV1' });
        expect(await store.saveDkimKey({ ...key, privateKey: 'PRIV2' })).toMatchObject({ privateKey: 'PRIV1' });
        expect((await store.getDkimKey('EXAMPLE.com'))?.publicKey).toBe('PUB1');
      });
    });
  });
}
