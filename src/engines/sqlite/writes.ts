/** The engine's write operations; only ever called inside SqliteEngine.write() on the writer connection. */
import type { FlagUpdate, MailboxPatch, NewMailbox, NewMessage, NewQueueRow, QueueDeferral, WriteTx } from '../../store/engine.js';
import type { Account, AccountSettings, Alias, DkimKey, Domain, Entry, Mailbox, QueueRow } from '../../store/types.js';
import { LIMITS } from '../../shared/limits.js';
import * as queue from './queue.js';
import { SqliteReads } from './reads.js';
import { joinKeywords, toEntry, type EntryRow } from './rows.js';

const MAILBOX_COLUMNS: Record<keyof MailboxPatch, string> = {
  name: 'name', specialUse: 'special_use', uidNext: 'uidnext', highestModseq: 'highestmodseq', messages: 'messages',
  unseen: 'unseen', size: 'size', subscribed: 'subscribed', keywords: 'keywords',
};

export class SqliteWrites extends SqliteReads implements WriteTx {
  /** Blob files whose last reference went away; unlinked after the transaction commits. */
  readonly filesToRemove: string[] = [];

  async insertDomain(name: string, now: number): Promise<Domain> {
    const info = this.s.get('INSERT INTO domains (name, created_at) VALUES (?, ?)').run(name, now);
    return { id: Number(info.lastInsertRowid), name, createdAt: now };
  }

  async deleteDomain(name: string): Promise<boolean> {
    this.s.get('DELETE FROM dkim_keys WHERE domain = ?').run(name);
    return this.s.get('DELETE FROM domains WHERE name = ?').run(name).changes > 0;
  }

  async insertAlias(alias: Alias): Promise<void> {
    this.s.get('INSERT INTO aliases (address, target) VALUES (?, ?)').run(alias.address, alias.target);
  }

  async deleteAlias(address: string): Promise<boolean> {
    return this.s.get('DELETE FROM aliases WHERE address = ?').run(address).changes > 0;
  }

  async insertAccount(address: string, passwordHash: string, now: number): Promise<Account> {
    const info = this.s.get('INSERT INTO accounts (address, password_hash, created_at) VALUES (?, ?, ?)').run(address, passwordHash, now);
    const a = await this.getAccount(Number(info.lastInsertRowid));
    if (a === null) throw new Error('account vanished after insert');
    return a;
  }

  async updateAccount(id: number, patch: { passwordHash?: string; quotaBytes?: number | null; usedBytes?: number; settings?: AccountSettings }): Promise<void> {
    if (patch.passwordHash !== undefined) this.s.get('UPDATE accounts SET password_hash = ? WHERE id = ?').run(patch.passwordHash, id);
    if (patch.quotaBytes !== undefined) this.s.get('UPDATE accounts SET quota_bytes = ? WHERE id = ?').run(patch.quotaBytes, id);
    if (patch.usedBytes !== undefined) this.s.get('UPDATE accounts SET used_bytes = ? WHERE id = ?').run(patch.usedBytes, id);
    if (patch.settings !== undefined) this.s.get('UPDATE accounts SET settings = ? WHERE id = ?').run(JSON.stringify(patch.settings), id);
  }

  async deleteAccount(id: number): Promise<void> {
    const mailboxes = await this.listMailboxes(id);
    for (const m of mailboxes) await this.deleteMailbox(m.id);
    const ids = this.s.get('SELECT id FROM messages WHERE account_id = ?').pluck().all(id) as number[];
    await this.releaseMessages(ids);
    this.s.get('DELETE FROM lost_subscriptions WHERE account_id = ?').run(id);
    this.s.get('DELETE FROM accounts WHERE id = ?').run(id);
  }

  async nextModseq(accountId: number): Promise<number> {
    return this.s.get('UPDATE accounts SET modseq = modseq + 1 WHERE id = ? RETURNING modseq').pluck().get(accountId) as number;
  }

  async nextUidValidity(accountId: number, nowSeconds: number): Promise<number> {
    // Time-based so that a re-created account never repeats an old value, and strictly increasing within it.
    return this.s.get(`UPDATE accounts SET last_uidvalidity = max(last_uidvalidity + 1, ?) WHERE id = ? RETURNING last_uidvalidity`)
      .pluck().get(nowSeconds >>> 0, accountId) as number;
  }

  async insertMailbox(m: NewMailbox): Promise<Mailbox> {
    const info = this.s.get(`INSERT INTO mailboxes (account_id, name, special_use, uidvalidity, highestmodseq, subscribed)
      VALUES (?, ?, ?, ?, ?, ?)`).run(m.accountId, m.name, m.specialUse, m.uidValidity, m.highestModseq, m.subscribed ? 1 : 0);
    const mb = await this.getMailbox(Number(info.lastInsertRowid));
    if (mb === null) throw new Error('mailbox vanished after insert');
    return mb;
  }

  async updateMailbox(id: number, patch: MailboxPatch): Promise<void> {
    const sets: string[] = [];
    const params: Array<string | number | null> = [];
    for (const [k, v] of Object.entries(patch) as Array<[keyof MailboxPatch, MailboxPatch[keyof MailboxPatch]]>) {
      if (v === undefined) continue;
      sets.push(`${MAILBOX_COLUMNS[k]} = ?`);
      params.push(k === 'keywords' ? JSON.stringify(v) : typeof v === 'boolean' ? (v ? 1 : 0) : (v as string | number | null));
    }
    if (sets.length === 0) return;
    this.s.get(`UPDATE mailboxes SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
  }

  async deleteMailbox(id: number): Promise<void> {
    const ids = this.s.get('SELECT DISTINCT message_id FROM entries WHERE mailbox_id = ?').pluck().all(id) as number[];
    this.s.get('DELETE FROM entries WHERE mailbox_id = ?').run(id);
    this.s.get('DELETE FROM tombstones WHERE mailbox_id = ?').run(id);
    this.s.get('DELETE FROM mailboxes WHERE id = ?').run(id);
    await this.releaseMessages(ids);
  }

  async addLostSubscription(accountId: number, name: string): Promise<void> {
    this.s.get('INSERT OR IGNORE INTO lost_subscriptions (account_id, name) VALUES (?, ?)').run(accountId, name);
  }

  async removeLostSubscription(accountId: number, name: string): Promise<boolean> {
    return this.s.get('DELETE FROM lost_subscriptions WHERE account_id = ? AND name = ?').run(accountId, name).changes > 0;
  }

  async putBlob(hash: string, data: Buffer): Promise<void> {
    const bumped = this.s.get('UPDATE blobs SET refs = refs + 1 WHERE hash = ?').run(hash).changes;
    if (bumped > 0) return;
    if (data.length <= LIMITS.store.inlineBlobBytes) {
      this.s.get('INSERT INTO blobs (hash, size, refs, data) VALUES (?, ?, 1, ?)').run(hash, data.length, data);
    } else {
      this.files.write(hash, data);
      this.s.get('INSERT INTO blobs (hash, size, refs, data) VALUES (?, ?, 1, NULL)').run(hash, data.length);
    }
  }

  async insertMessage(m: NewMessage): Promise<number> {
    const info = this.s.get(`INSERT INTO messages (account_id, blob, size, header_size, thread_id, hdr_date, hdr_zone, subject,
      base_subject, from_text, to_text, cc_text, bcc_text, sort_from, sort_to, sort_cc, display_from, display_to,
      message_id, in_reply_to, refs, envelope, bodystructure, body, mime, preview, has_attachment)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      m.accountId, m.blob, m.size, m.headerSize, m.threadId ?? 0, m.date, m.dateZone, m.subject, m.baseSubject, m.fromText,
      m.toText, m.ccText, m.bccText, m.sortFrom, m.sortTo, m.sortCc, m.displayFrom, m.displayTo, m.messageIdHeader,
      m.inReplyTo, m.references, m.envelope, m.bodyStructure, m.body, m.mime, m.preview, m.hasAttachment ? 1 : 0);
    const id = Number(info.lastInsertRowid);
    // The header text index is filled later, in bulk (indexText).
    if (m.threadId === null) this.s.get('UPDATE messages SET thread_id = id WHERE id = ?').run(id);
    return id;
  }

  async insertEntries(entries: readonly Entry[]): Promise<void> {
    const st = this.s.get(`INSERT INTO entries (mailbox_id, uid, message_id, modseq, flags, keywords, internal_date, save_date)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const e of entries) {
      st.run(e.mailboxId, e.uid, e.messageId, e.modseq, e.flags, joinKeywords(e.keywords), e.internalDate, e.saveDate);
    }
  }

  async updateFlags(mailboxId: number, updates: readonly FlagUpdate[]): Promise<void> {
    const st = this.s.get('UPDATE entries SET flags = ?, keywords = ?, modseq = ? WHERE mailbox_id = ? AND uid = ?');
    for (const u of updates) st.run(u.flags, joinKeywords(u.keywords), u.modseq, mailboxId, u.uid);
  }

  async deleteEntries(mailboxId: number, uids: readonly number[]): Promise<Array<Entry & { size: number }>> {
    const st = this.s.get(`DELETE FROM entries WHERE mailbox_id = ? AND uid = ? RETURNING *,
      (SELECT size FROM messages WHERE id = entries.message_id) AS msg_size`);
    const out: Array<Entry & { size: number }> = [];
    for (const uid of uids) {
      const r = st.get(mailboxId, uid) as (EntryRow & { msg_size: number }) | undefined;
      if (r !== undefined) out.push({ ...toEntry(r), size: r.msg_size });
    }
    return out;
  }

  async insertTombstones(mailboxId: number, uids: readonly number[], modseq: number): Promise<void> {
    const st = this.s.get('INSERT OR REPLACE INTO tombstones (mailbox_id, uid, modseq) VALUES (?, ?, ?)');
    for (const uid of uids) st.run(mailboxId, uid, modseq);
  }

  async releaseMessages(ids: readonly number[]): Promise<void> {
    const stillUsed = this.s.get('SELECT 1 FROM entries WHERE message_id = ? LIMIT 1').pluck();
    const del = this.s.get('DELETE FROM messages WHERE id = ? RETURNING blob').pluck();
    // Contentless with contentless_delete: forgetting a row is a tombstone by rowid (schema migration 5).
    const unindex = this.s.get('DELETE FROM message_text WHERE rowid = ?');
    const indexedUpTo = this.textIndexedUpTo();
    for (const id of ids) {
      if (stillUsed.get(id) !== undefined) continue;
      const blob = del.get(id) as string | undefined;
      if (blob === undefined) continue;
      if (id <= indexedUpTo) unindex.run(id);
      this.releaseBlob(blob);
    }
  }

  /** Drops one reference to a blob; the last one removes the row (and, after the commit, its file). */
  private releaseBlob(hash: string): void {
    const r = this.s.get('UPDATE blobs SET refs = refs - 1 WHERE hash = ? RETURNING refs, data IS NULL AS is_file').get(hash) as
      { refs: number; is_file: number } | undefined;
    if (r === undefined || r.refs > 0) return;
    this.s.get('DELETE FROM blobs WHERE hash = ?').run(hash);
    if (r.is_file === 1) this.filesToRemove.push(hash);
  }

  async insertQueueRows(rows: readonly NewQueueRow[]): Promise<number[]> {
    return queue.insertQueueRows(this.s, rows);
  }

  async claimQueueRows(now: number, owner: string, leasedUntil: number, limit: number): Promise<QueueRow[]> {
    return queue.claimQueueRows(this.s, now, owner, leasedUntil, limit);
  }

  async deleteQueueRow(id: number, owner: string): Promise<QueueRow | null> {
    const row = queue.deleteQueueRow(this.s, id, owner);
    if (row !== null) this.releaseBlob(row.blob);
    return row;
  }

  async deferQueueRow(id: number, owner: string, d: QueueDeferral): Promise<boolean> {
    return queue.deferQueueRow(this.s, id, owner, d);
  }

  async releaseQueueLeases(owner: string): Promise<number> {
    return queue.releaseQueueLeases(this.s, owner);
  }

  async insertDkimKey(key: DkimKey): Promise<void> {
    queue.insertDkimKey(this.s, key);
  }

  /** Message rows up to this id are in the header text index. */
  textIndexedUpTo(): number {
    return this.s.get('SELECT upto FROM text_index_state WHERE id = 1').pluck().get() as number;
  }

  /** Messages not in the text index yet. */
  textIndexBacklog(): number {
    const max = this.s.get('SELECT max(id) FROM messages').pluck().get() as number | null;
    return max === null ? 0 : Math.max(0, max - this.textIndexedUpTo());
  }

  /**
   * Adds up to `limit` message rows past the watermark to the header text index, in one statement:
   * FTS5 writes one segment for the lot instead of one per delivered message.
   */
  async indexText(limit: number): Promise<number> {
    const from = this.textIndexedUpTo();
    const to = this.s.get('SELECT max(id) FROM (SELECT id FROM messages WHERE id > ? ORDER BY id LIMIT ?)').pluck().get(from, limit) as number | null;
    if (to === null) return 0;
    const n = this.s.get(`INSERT INTO message_text (rowid, subject, from_text, to_text, cc_text, bcc_text)
      SELECT id, subject, from_text, to_text, cc_text, bcc_text FROM messages WHERE id > ? AND id <= ?`).run(from, to).changes;
    this.s.get('UPDATE text_index_state SET upto = ? WHERE id = 1').run(to);
    return n;
  }
}
