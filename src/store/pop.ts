/**
 * POP3's view of an account: the per-account download settings (kept in the account's JSON settings
 * under "pop") and the one transaction a POP session's QUIT commits (RFC 1939 §6, the UPDATE state).
 */
import type { StoreContext } from './context.js';
import { StoreError } from './errors.js';
import { copyTx, ownMailbox, publishCopy, publishFlags, removeEntries, storeFlagsTx, type CopyTxResult } from './messages.js';
import { FLAG_BITS, type Account, type AccountId, type Mailbox, type MailboxId } from './types.js';

/** Which INBOX messages POP offers: all of them, those that arrived after POP was set to "new", or none. */
export const POP_OFFERS = ['all', 'new', 'off'] as const;
export type PopOffer = (typeof POP_OFFERS)[number];
/** What happens to a message a POP client downloaded (RETR) once it quits normally. */
export const POP_AFTER_DOWNLOAD = ['keep', 'read', 'archive', 'trash'] as const;
export type PopAfterDownload = (typeof POP_AFTER_DOWNLOAD)[number];
/** What DELE does: a real delete, or a move to Trash. */
export const POP_DELE = ['delete', 'trash'] as const;
export type PopDele = (typeof POP_DELE)[number];

export interface PopSettings {
  offer: PopOffer;
  afterDownload: PopAfterDownload;
  dele: PopDele;
  /** With offer "new": INBOX messages from this UID on (INBOX's UIDNEXT when "new" was set)… */
  fromUid?: number;
  /** …of this INBOX UIDVALIDITY (another INBOX is all new). */
  fromUidValidity?: number;
}

export const DEFAULT_POP_SETTINGS: PopSettings = { offer: 'all', afterDownload: 'keep', dele: 'delete' };

function oneOf<T extends string>(values: readonly T[], v: unknown, fallback: T): T {
  return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : fallback;
}

/** The account's POP settings, defaults for anything missing or unreadable. */
export function popSettings(account: Account): PopSettings {
  const raw = account.settings['pop'];
  const o = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const s: PopSettings = {
    offer: oneOf(POP_OFFERS, o['offer'], DEFAULT_POP_SETTINGS.offer),
    afterDownload: oneOf(POP_AFTER_DOWNLOAD, o['afterDownload'], DEFAULT_POP_SETTINGS.afterDownload),
    dele: oneOf(POP_DELE, o['dele'], DEFAULT_POP_SETTINGS.dele),
  };
  if (typeof o['fromUid'] === 'number' && typeof o['fromUidValidity'] === 'number') {
    s.fromUid = o['fromUid'];
    s.fromUidValidity = o['fromUidValidity'];
  }
  return s;
}

/** Whether POP offers the INBOX message with this UID under these settings. */
export function popOffers(settings: PopSettings, inbox: Pick<Mailbox, 'uidValidity'>, uid: number): boolean {
  if (settings.offer === 'off') return false;
  if (settings.offer === 'all' || settings.fromUid === undefined) return true;
  return settings.fromUidValidity !== inbox.uidValidity || uid >= settings.fromUid;
}

/**
 * Changes the account's POP settings. Switching the offer to "new" (again) starts "from now on": the
 * INBOX's current UIDNEXT is remembered.
 */
export async function setPopSettings(ctx: StoreContext, accountId: AccountId, patch: Partial<Pick<PopSettings, 'offer' | 'afterDownload' | 'dele'>>): Promise<PopSettings> {
  return ctx.engine.write(async (tx) => {
    const account = await tx.getAccount(accountId);
    if (account === null) throw new StoreError('NONEXISTENT', 'No such account');
    const next: PopSettings = { ...popSettings(account), ...patch };
    if (patch.offer === 'new') {
      const inbox = await tx.findMailbox(accountId, 'INBOX');
      if (inbox === null) throw new StoreError('NONEXISTENT', 'The account has no INBOX');
      next.fromUid = inbox.uidNext;
      next.fromUidValidity = inbox.uidValidity;
    } else if (next.offer !== 'new') {
      delete next.fromUid;
      delete next.fromUidValidity;
    }
    await tx.updateAccount(accountId, { settings: { ...account.settings, pop: next } });
    return next;
  });
}

/** What a POP session's QUIT does to the INBOX, by UID. A UID may appear in one list only. */
export interface PopUpdate {
  /** Deleted for good. */
  remove: number[];
  /** Moved to the Trash (DELE as a move, or "after download: trash"). */
  trash: number[];
  /** Moved to the Archive. */
  archive: number[];
  /** Marked \Seen. */
  seen: number[];
}

const ranges = (uids: readonly number[]): Array<[number, number]> => uids.map((u) => [u, u]);

/**
 * Applies a POP session's UPDATE in one transaction: all of it or none (RFC 1939 §6: on failure the
 * server answers -ERR and removes nothing). A move whose folder no longer exists leaves the message in
 * the INBOX, read — never deleted in place of a move. UIDs another session expunged meanwhile are skipped.
 */
export async function applyPopUpdate(ctx: StoreContext, accountId: AccountId, inboxId: MailboxId, u: PopUpdate): Promise<void> {
  const now = ctx.now();
  const done = await ctx.engine.write(async (tx) => {
    const copies: Array<{ to: MailboxId; r: CopyTxResult }> = [];
    const seen = [...u.seen];
    const moves = ([[u.trash, '\\Trash'], [u.archive, '\\Archive']] as const).filter(([uids]) => uids.length > 0);
    const boxes = moves.length > 0 ? await tx.listMailboxes(accountId) : [];
    for (const [uids, use] of moves) {
      const to = boxes.find((m) => m.specialUse === use);
      if (to === undefined || to.id === inboxId) {
        seen.push(...uids);
        continue;
      }
      const r = await copyTx(tx, now, accountId, inboxId, ranges(uids), to.id, true);
      if (r !== null) copies.push({ to: to.id, r });
    }
    const flags = seen.length > 0 ? await storeFlagsTx(tx, accountId, inboxId, ranges(seen), 'add', FLAG_BITS['\\Seen'], []) : null;
    // Re-read: the moves above changed the INBOX's counters.
    const expunged = u.remove.length > 0 ? await removeEntries(tx, accountId, await ownMailbox(tx, accountId, inboxId), u.remove) : null;
    return { flags, copies, expunged };
  });
  // In the order they were made (ascending modseq).
  for (const c of done.copies) publishCopy(ctx, accountId, inboxId, c.to, c.r);
  if (done.flags !== null) publishFlags(ctx, accountId, inboxId, done.flags);
  if (done.expunged !== null && done.expunged.uids.length > 0) {
    ctx.bus.publish({ kind: 'expunged', accountId, mailboxId: inboxId, modseq: done.expunged.modseq, uids: done.expunged.uids });
  }
}
