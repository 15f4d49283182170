/** Flag changes, expunge, copy and move: each one transaction, published on the bus after commit. */
import type { FlagUpdate, ReadOps, WriteTx } from './engine.js';
import { StoreError } from './errors.js';
import { applyFlags, mergeMailboxKeywords, sameKeywords } from './flags.js';
import type { StoreContext } from './context.js';
import type { Criterion, UidRanges } from './search.js';
import { FLAG_BITS, type AccountId, type Entry, type FlagOp, type Mailbox, type MailboxId } from './types.js';

const SEEN = FLAG_BITS['\\Seen'];
const DELETED = FLAG_BITS['\\Deleted'];

/** The account's mailbox `id`, read in a transaction or from the engine; NONEXISTENT otherwise. */
export async function ownMailbox(reads: Pick<ReadOps, 'getMailbox'>, accountId: AccountId, id: MailboxId): Promise<Mailbox> {
  const mb = await reads.getMailbox(id);
  if (mb === null || mb.accountId !== accountId) throw new StoreError('NONEXISTENT', 'No such mailbox');
  return mb;
}

export interface StoreFlagsResult {
  /** Every entry in the set after the operation (changed or not), ascending UID. */
  entries: Entry[];
  /** UIDs whose flags changed. */
  changed: Set<number>;
  /** UIDs refused because their modseq was above UNCHANGEDSINCE (RFC 7162 §3.1.3). */
  modified: number[];
}

/**
 * The answer of a STORE that would change nothing (every flag already so, no UNCHANGEDSINCE
 * conflict), from a read; null when something would change. Equivalent to the write: a concurrent
 * change by another session simply orders after this no-op.
 */
export async function flagsAlreadySo(ctx: StoreContext, accountId: AccountId, mailboxId: MailboxId, ranges: UidRanges,
  op: FlagOp, bits: number, keywords: readonly string[], unchangedSince?: number): Promise<StoreFlagsResult | null> {
  const current = await ctx.engine.getFlags(mailboxId, ranges);
  for (const e of current) {
    if (unchangedSince !== undefined && e.modseq > unchangedSince) return null;
    const next = applyFlags(e, op, bits, keywords);
    if (next.flags !== e.flags || !sameKeywords(next.keywords, e.keywords)) return null;
  }
  // Only a no-op answers from here, and only for the account's own mailbox (a write checks in the writer).
  await ownMailbox(ctx.engine, accountId, mailboxId);
  return { entries: current, changed: new Set(), modified: [] };
}

/** Whether an expunge would remove anything (a mailbox not the account's fails when it would not). */
export async function hasDeleted(ctx: StoreContext, accountId: AccountId, mailboxId: MailboxId, ranges?: UidRanges): Promise<boolean> {
  const deleted: Criterion = { op: 'flag', flag: '\\Deleted', set: true };
  const found = await ctx.engine.search(mailboxId, ranges ? { op: 'and', of: [deleted, { op: 'uids', ranges }] } : deleted);
  // Something to expunge goes to the writer, which checks the mailbox; "nothing" is answered from here.
  if (found.length > 0) return true;
  await ownMailbox(ctx.engine, accountId, mailboxId);
  return false;
}

export async function storeFlags(ctx: StoreContext, accountId: AccountId, mailboxId: MailboxId, ranges: UidRanges,
  op: FlagOp, bits: number, keywords: readonly string[], unchangedSince?: number): Promise<StoreFlagsResult> {
  const result = await ctx.engine.write((tx) => storeFlagsTx(tx, accountId, mailboxId, ranges, op, bits, keywords, unchangedSince));
  publishFlags(ctx, accountId, mailboxId, result);
  return result;
}

export function publishFlags(ctx: StoreContext, accountId: AccountId, mailboxId: MailboxId, result: StoreFlagsResult & { modseq: number }): void {
  if (result.changed.size > 0) {
    ctx.bus.publish({
      kind: 'flags', accountId, mailboxId, modseq: result.modseq,
      entries: result.entries.filter((e) => result.changed.has(e.uid)),
    });
  }
}

/** A flag change inside a transaction; the caller publishes it (publishFlags) after the commit. */
export async function storeFlagsTx(tx: WriteTx, accountId: AccountId, mailboxId: MailboxId, ranges: UidRanges,
  op: FlagOp, bits: number, keywords: readonly string[], unchangedSince?: number): Promise<StoreFlagsResult & { modseq: number }> {
  const mb = await ownMailbox(tx, accountId, mailboxId);
  const current = await tx.getFlags(mailboxId, ranges);
  const updates: FlagUpdate[] = [];
  const modified: number[] = [];
  const changed = new Set<number>();
  let unseenDelta = 0;
  let modseq = 0;
  const entries: Entry[] = [];
  for (const e of current) {
    if (unchangedSince !== undefined && e.modseq > unchangedSince) {
      modified.push(e.uid);
      entries.push(e);
      continue;
    }
    const next = applyFlags(e, op, bits, keywords);
    if (next.flags === e.flags && sameKeywords(next.keywords, e.keywords)) {
      entries.push(e);
      continue;
    }
    if (modseq === 0) modseq = await tx.nextModseq(accountId);
    if ((e.flags & SEEN) !== (next.flags & SEEN)) unseenDelta += (next.flags & SEEN) !== 0 ? -1 : 1;
    updates.push({ uid: e.uid, flags: next.flags, keywords: next.keywords, modseq });
    changed.add(e.uid);
    entries.push({ ...e, flags: next.flags, keywords: next.keywords, modseq });
  }
  if (updates.length > 0) {
    await tx.updateFlags(mailboxId, updates);
    const kw = mergeMailboxKeywords(mb.keywords, keywords);
    await tx.updateMailbox(mailboxId, { highestModseq: modseq, unseen: mb.unseen + unseenDelta, ...(kw ? { keywords: kw } : {}) });
  }
  return { entries, changed, modified, modseq };
}

/** Removes entries inside a transaction, keeping counters, tombstones and references right. */
export async function removeEntries(tx: WriteTx, accountId: AccountId, mb: Mailbox, uids: readonly number[]): Promise<{ uids: number[]; modseq: number }> {
  if (uids.length === 0) return { uids: [], modseq: 0 };
  const modseq = await tx.nextModseq(accountId);
  const removed = await tx.deleteEntries(mb.id, uids);
  await tx.insertTombstones(mb.id, removed.map((e) => e.uid), modseq);
  let size = 0;
  let unseen = 0;
  for (const e of removed) {
    size += e.size;
    if ((e.flags & SEEN) === 0) unseen++;
  }
  await tx.updateMailbox(mb.id, { highestModseq: modseq, messages: mb.messages - removed.length, unseen: mb.unseen - unseen, size: mb.size - size });
  const account = await tx.getAccount(accountId);
  if (account !== null) await tx.updateAccount(accountId, { usedBytes: Math.max(0, account.usedBytes - size) });
  await tx.releaseMessages([...new Set(removed.map((e) => e.messageId))]);
  return { uids: removed.map((e) => e.uid), modseq };
}

/** Expunges entries flagged \Deleted (only those within `ranges` when given: UID EXPUNGE, RFC 4315 §2.1). */
export async function expunge(ctx: StoreContext, accountId: AccountId, mailboxId: MailboxId, ranges?: UidRanges): Promise<number[]> {
  const { uids, modseq } = await ctx.engine.write(async (tx) => {
    const mb = await ownMailbox(tx, accountId, mailboxId);
    const deleted = await tx.search(mailboxId, ranges
      ? { op: 'and', of: [{ op: 'flag', flag: '\\Deleted', set: true }, { op: 'uids', ranges }] }
      : { op: 'flag', flag: '\\Deleted', set: true });
    return removeEntries(tx, accountId, mb, deleted);
  });
  if (uids.length > 0) ctx.bus.publish({ kind: 'expunged', accountId, mailboxId, modseq, uids });
  return uids;
}

/** Deletes the given entries regardless of flags (POP3 DELE, JMAP destroy, MOVE source). */
export async function destroy(ctx: StoreContext, accountId: AccountId, mailboxId: MailboxId, uids: readonly number[]): Promise<number[]> {
  const r = await ctx.engine.write(async (tx) => removeEntries(tx, accountId, await ownMailbox(tx, accountId, mailboxId), uids));
  if (r.uids.length > 0) ctx.bus.publish({ kind: 'expunged', accountId, mailboxId, modseq: r.modseq, uids: r.uids });
  return r.uids;
}

export interface CopyResult {
  uidValidity: number;
  sourceUids: number[];
  targetUids: number[];
}

/** COPY (and MOVE when `move`): new entries share the message content; flags travel along (RFC 9051 §6.4.7). */
export async function copyMessages(ctx: StoreContext, accountId: AccountId, fromId: MailboxId, ranges: UidRanges,
  toId: MailboxId, move: boolean): Promise<CopyResult> {
  const r = await ctx.engine.write((tx) => copyTx(tx, ctx.now(), accountId, fromId, ranges, toId, move));
  if (r === null) {
    const to = await ctx.engine.getMailbox(toId);
    return { uidValidity: to?.uidValidity ?? 0, sourceUids: [], targetUids: [] };
  }
  publishCopy(ctx, accountId, fromId, toId, r);
  return { uidValidity: r.uidValidity, sourceUids: r.source, targetUids: r.added.map((e) => e.uid) };
}

export interface CopyTxResult {
  uidValidity: number;
  source: number[];
  added: Entry[];
  modseq: number;
  removed: { uids: number[]; modseq: number } | null;
}

export function publishCopy(ctx: StoreContext, accountId: AccountId, fromId: MailboxId, toId: MailboxId, r: CopyTxResult): void {
  ctx.bus.publish({ kind: 'added', accountId, mailboxId: toId, modseq: r.modseq, entries: r.added });
  if (r.removed !== null && r.removed.uids.length > 0) {
    ctx.bus.publish({ kind: 'expunged', accountId, mailboxId: fromId, modseq: r.removed.modseq, uids: r.removed.uids });
  }
}

/** COPY or MOVE inside a transaction (null: nothing in `ranges`); the caller publishes it (publishCopy). */
export async function copyTx(tx: WriteTx, now: number, accountId: AccountId, fromId: MailboxId, ranges: UidRanges,
  toId: MailboxId, move: boolean): Promise<CopyTxResult | null> {
  const from = await ownMailbox(tx, accountId, fromId);
  const to = await ownMailbox(tx, accountId, toId);
  const entries = await tx.getEntries(fromId, ranges, []);
  if (entries.length === 0) return null;
  const size = entries.reduce((n, e) => n + e.size, 0);
  const account = await tx.getAccount(accountId);
  if (account === null) throw new StoreError('NONEXISTENT', 'No such account');
  if (!move && account.quotaBytes !== null && account.usedBytes + size > account.quotaBytes) throw new StoreError('OVERQUOTA', 'Quota exceeded');
  const modseq = await tx.nextModseq(accountId);
  let uid = to.uidNext;
  let unseen = 0;
  let keywords = to.keywords;
  const added: Entry[] = entries.map((e) => {
    if ((e.flags & SEEN) === 0) unseen++;
    keywords = mergeMailboxKeywords(keywords, e.keywords) ?? keywords;
    return { mailboxId: toId, uid: uid++, messageId: e.messageId, modseq, flags: e.flags, keywords: e.keywords, internalDate: e.internalDate, saveDate: now };
  });
  await tx.insertEntries(added);
  await tx.updateMailbox(toId, {
    uidNext: uid, highestModseq: modseq, messages: to.messages + added.length, unseen: to.unseen + unseen, size: to.size + size,
    ...(keywords !== to.keywords ? { keywords } : {}),
  });
  await tx.updateAccount(accountId, { usedBytes: account.usedBytes + size });
  // Re-read the source: when it is also the target its counters changed above.
  const removed = move ? await removeEntries(tx, accountId, await ownMailbox(tx, accountId, from.id), entries.map((e) => e.uid)) : null;
  return { uidValidity: to.uidValidity, source: entries.map((e) => e.uid), added, modseq, removed };
}

export { DELETED };
