/** Appending messages (IMAP APPEND/MULTIAPPEND, delivery, JMAP import): durable before it returns. */
import type { WriteTx } from './engine.js';
import { StoreError } from './errors.js';
import { dedupeKeywords, mergeMailboxKeywords } from './flags.js';
import { ingest, type IngestedMessage } from './ingest.js';
import type { StoreContext } from './context.js';
import { FLAG_BITS, type AccountId, type Entry, type MailboxId, type Mailbox } from './types.js';

export interface AppendItem {
  raw: Buffer;
  /** Bitmask of FLAG_BITS. */
  flags?: number;
  keywords?: string[];
  /** ms since epoch; defaults to now. */
  internalDate?: number;
}

/** An AppendItem parsed and ready to store (ingest runs before the write, where the caller is). */
export interface PreparedAppend {
  msg: IngestedMessage;
  flags: number;
  keywords: string[];
  internalDate: number | null;
}

export function prepareAppend(item: AppendItem): PreparedAppend {
  return { msg: ingest(item.raw), flags: item.flags ?? 0, keywords: item.keywords ?? [], internalDate: item.internalDate ?? null };
}

export interface AppendResult {
  uidValidity: number;
  uids: number[];
  entries: Entry[];
}

/**
 * Inserts ingested messages into a mailbox inside an open transaction; returns the new entries.
 * `quotaCredit` is bytes the same transaction frees afterwards (REPLACE: only the net use counts, RFC 8508 §3.4).
 */
export async function insertIntoMailbox(tx: WriteTx, ctx: StoreContext, mb: Mailbox,
  items: readonly PreparedAppend[], quotaCredit = 0): Promise<Entry[]> {
  const account = await tx.getAccount(mb.accountId);
  if (account === null) throw new StoreError('NONEXISTENT', 'No such account');
  const total = items.reduce((n, i) => n + i.msg.size, 0);
  if (account.quotaBytes !== null && account.usedBytes - quotaCredit + total > account.quotaBytes) {
    throw new StoreError('OVERQUOTA', 'Quota exceeded');
  }
  const modseq = await tx.nextModseq(mb.accountId);
  const now = ctx.now();
  let uid = mb.uidNext;
  let unseen = mb.unseen;
  let keywords = mb.keywords;
  const entries: Entry[] = [];
  for (const item of items) {
    const msg = item.msg;
    await tx.putBlob(msg.blob, msg.raw);
    const threadId = msg.threadRefs.length > 0 ? await tx.findThreadByMessageIds(mb.accountId, msg.threadRefs) : null;
    const { raw: _raw, threadRefs: _refs, ...columns } = msg;
    const messageId = await tx.insertMessage({ ...columns, accountId: mb.accountId, threadId });
    const kw = dedupeKeywords(item.keywords);
    const flags = item.flags;
    if ((flags & FLAG_BITS['\\Seen']) === 0) unseen++;
    keywords = mergeMailboxKeywords(keywords, kw) ?? keywords;
    entries.push({
      mailboxId: mb.id, uid: uid++, messageId, modseq, flags, keywords: kw,
      internalDate: item.internalDate ?? now, saveDate: now,
    });
  }
  await tx.insertEntries(entries);
  await tx.updateMailbox(mb.id, {
    uidNext: uid, highestModseq: modseq, messages: mb.messages + entries.length, unseen, size: mb.size + total,
    ...(keywords !== mb.keywords ? { keywords } : {}),
  });
  await tx.updateAccount(mb.accountId, { usedBytes: account.usedBytes + total });
  return entries;
}

/** Stores prepared messages (prepareAppend: the parsing happens before, outside the write lock). */
export async function appendPrepared(ctx: StoreContext, accountId: AccountId, mailboxId: MailboxId, prepared: readonly PreparedAppend[]): Promise<AppendResult> {
  const { entries, uidValidity } = await ctx.engine.write(async (tx) => {
    const mb = await tx.getMailbox(mailboxId);
    if (mb === null || mb.accountId !== accountId) throw new StoreError('NONEXISTENT', 'No such mailbox');
    return { entries: await insertIntoMailbox(tx, ctx, mb, prepared), uidValidity: mb.uidValidity };
  });
  const first = entries[0];
  if (first !== undefined) ctx.bus.publish({ kind: 'added', accountId, mailboxId, modseq: first.modseq, entries });
  return { uidValidity, uids: entries.map((e) => e.uid), entries };
}
