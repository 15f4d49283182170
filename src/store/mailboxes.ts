/** Mailbox operations: create (with parents), delete, rename (with children), subscribe. */
import type { WriteTx } from './engine.js';
import { StoreError } from './errors.js';
import { DEFAULT_MAILBOXES, isInferior, parentNames, SEPARATOR, validateNewName } from './names.js';
import type { StoreContext } from './context.js';
import { LIMITS } from '../shared/limits.js';
import type { AccountId, Mailbox, MailboxId, SpecialUse } from './types.js';

/** A new mailbox row; a subscription kept for its name (see deleteMailbox) moves onto it. */
async function insertMailbox(tx: WriteTx, ctx: StoreContext, accountId: AccountId, name: string,
  specialUse: SpecialUse | null, subscribed: boolean): Promise<Mailbox> {
  if (await tx.removeLostSubscription(accountId, name)) subscribed = true;
  const modseq = await tx.nextModseq(accountId);
  const uidValidity = await tx.nextUidValidity(accountId, Math.floor(ctx.now() / 1000));
  return tx.insertMailbox({ accountId, name, specialUse, uidValidity, highestModseq: modseq, subscribed });
}

export async function createDefaultMailboxes(tx: WriteTx, ctx: StoreContext, accountId: AccountId): Promise<void> {
  for (const d of DEFAULT_MAILBOXES) {
    if ((await tx.findMailbox(accountId, d.name)) === null) {
      await insertMailbox(tx, ctx, accountId, d.name, d.specialUse, true);
    }
  }
}

export async function createMailbox(ctx: StoreContext, accountId: AccountId, input: string,
  specialUse: SpecialUse | null = null): Promise<Mailbox> {
  const name = validateNewName(input);
  const created: Mailbox[] = [];
  const mb = await ctx.engine.write(async (tx) => {
    if ((await tx.findMailbox(accountId, name)) !== null) throw new StoreError('ALREADYEXISTS', 'Mailbox already exists');
    if ((await tx.countMailboxes(accountId)) >= LIMITS.imap.mailboxesPerAccount) throw new StoreError('LIMIT', 'Too many mailboxes');
    // RFC 9051 §6.3.4: create the superior names a client implies.
    for (const parent of parentNames(name)) {
      if ((await tx.findMailbox(accountId, parent)) === null) {
        created.push(await insertMailbox(tx, ctx, accountId, parent, null, false));
      }
    }
    const m = await insertMailbox(tx, ctx, accountId, name, specialUse, false);
    created.push(m);
    return m;
  });
  for (const c of created) ctx.bus.publish({ kind: 'mailbox', accountId, mailboxId: c.id, modseq: c.highestModseq, what: 'created' });
  return mb;
}

export async function deleteMailbox(ctx: StoreContext, accountId: AccountId, mailboxId: MailboxId): Promise<void> {
  const modseq = await ctx.engine.write(async (tx) => {
    const mb = await tx.getMailbox(mailboxId);
    if (mb === null || mb.accountId !== accountId) throw new StoreError('NONEXISTENT', 'No such mailbox');
    if (mb.name === 'INBOX') throw new StoreError('CANNOT', 'INBOX cannot be deleted');
    const all = await tx.listMailboxes(accountId);
    // Like Dovecot: a mailbox with children must be emptied of them first (RFC 5530 HASCHILDREN).
    if (all.some((m) => isInferior(m.name, mb.name))) throw new StoreError('HASCHILDREN', 'Mailbox has children, delete them first');
    const account = await tx.getAccount(accountId);
    if (account !== null) await tx.updateAccount(accountId, { usedBytes: Math.max(0, account.usedBytes - mb.size) });
    await tx.deleteMailbox(mailboxId);
    // RFC 9051 §6.3.7: the name stays subscribed (LIST shows it \NonExistent) until UNSUBSCRIBE.
    if (mb.subscribed) await tx.addLostSubscription(accountId, mb.name);
    return tx.nextModseq(accountId);
  });
  ctx.bus.publish({ kind: 'mailbox', accountId, mailboxId, modseq, what: 'deleted' });
}

/**
 * RFC 9051 §6.3.6: renaming moves the inferior names along; renaming INBOX moves its messages to a
 * new mailbox and leaves INBOX empty.
 */
export async function renameMailbox(ctx: StoreContext, accountId: AccountId, mailboxId: MailboxId, input: string): Promise<void> {
  const newName = validateNewName(input);
  const touched: Array<{ id: MailboxId; modseq: number }> = [];
  let inboxMoved: { uids: number[]; modseq: number; target: MailboxId } | null = null;
  await ctx.engine.write(async (tx) => {
    const mb = await tx.getMailbox(mailboxId);
    if (mb === null || mb.accountId !== accountId) throw new StoreError('NONEXISTENT', 'No such mailbox');
    if (newName === mb.name) throw new StoreError('ALREADYEXISTS', 'Mailbox already has that name');
    if ((await tx.findMailbox(accountId, newName)) !== null) throw new StoreError('ALREADYEXISTS', 'Target mailbox exists');
    // RFC 9051 §6.3.6: renaming INBOX leaves its inferiors alone, so "INBOX/old" is a fine new name for it.
    if (mb.name !== 'INBOX' && isInferior(newName, mb.name)) throw new StoreError('CANNOT', 'Cannot move a mailbox into itself');
    if (newName === 'INBOX') throw new StoreError('CANNOT', 'Cannot rename to INBOX');
    for (const parent of parentNames(newName)) {
      if ((await tx.findMailbox(accountId, parent)) === null) {
        const p = await insertMailbox(tx, ctx, accountId, parent, null, false);
        touched.push({ id: p.id, modseq: p.highestModseq });
      }
    }
    if (mb.name === 'INBOX') {
      const target = await insertMailbox(tx, ctx, accountId, newName, null, mb.subscribed);
      touched.push({ id: target.id, modseq: target.highestModseq });
      const moved = await moveAllEntries(tx, accountId, mb, target);
      if (moved !== null) inboxMoved = { ...moved, target: target.id };
      return;
    }
    const all = await tx.listMailboxes(accountId);
    for (const m of all) {
      if (m.id !== mb.id && !isInferior(m.name, mb.name)) continue;
      const renamed = newName + m.name.slice(mb.name.length);
      const modseq = await tx.nextModseq(accountId);
      // A subscription kept for the new name (its mailbox was deleted) now belongs to this mailbox.
      const subscribed = (await tx.removeLostSubscription(accountId, renamed)) ? { subscribed: true } : {};
      await tx.updateMailbox(m.id, { name: renamed, highestModseq: modseq, ...subscribed });
      touched.push({ id: m.id, modseq });
    }
  });
  for (const t of touched) ctx.bus.publish({ kind: 'mailbox', accountId, mailboxId: t.id, modseq: t.modseq, what: 'renamed' });
  const moved = inboxMoved as { uids: number[]; modseq: number; target: MailboxId } | null;
  if (moved !== null) ctx.bus.publish({ kind: 'expunged', accountId, mailboxId, modseq: moved.modseq, uids: moved.uids });
}

async function moveAllEntries(tx: WriteTx, accountId: AccountId, from: Mailbox, to: Mailbox): Promise<{ uids: number[]; modseq: number } | null> {
  const uids = Array.from(await tx.listUids(from.id));
  if (uids.length === 0) return null;
  const modseq = await tx.nextModseq(accountId);
  const removed = await tx.deleteEntries(from.id, uids);
  await tx.insertTombstones(from.id, uids, modseq);
  let uid = to.uidNext;
  await tx.insertEntries(removed.map((e) => ({ ...e, mailboxId: to.id, uid: uid++, modseq })));
  await tx.updateMailbox(to.id, {
    uidNext: uid, highestModseq: modseq, messages: from.messages, unseen: from.unseen, size: from.size, keywords: from.keywords,
  });
  await tx.updateMailbox(from.id, { highestModseq: modseq, messages: 0, unseen: 0, size: 0 });
  return { uids, modseq };
}

export async function setSubscribed(ctx: StoreContext, accountId: AccountId, mailboxId: MailboxId, subscribed: boolean): Promise<void> {
  const modseq = await ctx.engine.write(async (tx) => {
    const mb = await tx.getMailbox(mailboxId);
    if (mb === null || mb.accountId !== accountId) throw new StoreError('NONEXISTENT', 'No such mailbox');
    await tx.updateMailbox(mailboxId, { subscribed });
    return tx.nextModseq(accountId);
  });
  ctx.bus.publish({ kind: 'mailbox', accountId, mailboxId, modseq, what: 'subscribed' });
}

/** UNSUBSCRIBE of a name with no mailbox: forgets a subscription kept after its mailbox was deleted. */
export async function removeLostSubscription(ctx: StoreContext, accountId: AccountId, name: string): Promise<void> {
  await ctx.engine.write((tx) => tx.removeLostSubscription(accountId, name));
}

export { SEPARATOR };
