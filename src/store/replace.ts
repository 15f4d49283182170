/**
 * REPLACE (IMAP RFC 8508, and any "save a new version of this draft" operation): the new message is
 * appended and the old entry removed in ONE transaction, so no client ever sees both or neither, and
 * only the net quota use counts (RFC 8508 §3.4).
 */
import { insertIntoMailbox, type PreparedAppend } from './append.js';
import type { StoreContext } from './context.js';
import { StoreError } from './errors.js';
import { ownMailbox, removeEntries } from './messages.js';
import type { AccountId, Entry, MailboxId } from './types.js';

export interface ReplaceResult {
  uidValidity: number;
  /** The new entry in the target mailbox. */
  entry: Entry;
  /** The UID removed from the source mailbox. */
  removedUid: number;
}

export async function replaceMessage(ctx: StoreContext, accountId: AccountId, sourceId: MailboxId, uid: number,
  targetId: MailboxId, item: PreparedAppend): Promise<ReplaceResult> {
  const r = await ctx.engine.write(async (tx) => {
    await ownMailbox(tx, accountId, sourceId);
    const target = await ownMailbox(tx, accountId, targetId);
    const old = (await tx.getEntries(sourceId, [[uid, uid]], []))[0];
    if (old === undefined) throw new StoreError('NONEXISTENT', 'The message to replace does not exist');
    // Insert first, then remove: the old entry's content may be the same blob, and removing first could drop it.
    const [entry] = await insertIntoMailbox(tx, ctx, target, [item], old.size);
    // Re-read the source: when it is also the target its counters changed above.
    const removed = await removeEntries(tx, accountId, await ownMailbox(tx, accountId, sourceId), [uid]);
    return { uidValidity: target.uidValidity, entry: entry!, removed };
  });
  ctx.bus.publish({ kind: 'added', accountId, mailboxId: targetId, modseq: r.entry.modseq, entries: [r.entry] });
  ctx.bus.publish({ kind: 'expunged', accountId, mailboxId: sourceId, modseq: r.removed.modseq, uids: r.removed.uids });
  return { uidValidity: r.uidValidity, entry: r.entry, removedUid: uid };
}
