/**
 * Local delivery: one message into the INBOX (or Junk) of each recipient account, durable before it
 * returns (MailStore.appendPrepared resolves after the commit is fsynced, DESIGN principle 8). Several
 * addresses of one account (two aliases, a +tag) give it one copy. The message is parsed once for all.
 */
import { prepareAppend } from '../store/append.js';
import { StoreError } from '../store/errors.js';
import type { MailStore } from '../store/store.js';
import type { Account, AccountId, Mailbox } from '../store/types.js';

export type Folder = 'inbox' | 'junk';

export type DeliveryStore = Pick<MailStore, 'findMailbox' | 'listMailboxes' | 'appendPrepared'>;

/** Why a delivery failed: the SMTP layer turns it into a reply. */
export class DeliveryError extends Error {
  constructor(readonly reason: 'overquota' | 'failed', message: string) {
    super(message);
    this.name = 'DeliveryError';
  }
}

async function targetMailbox(store: DeliveryStore, accountId: AccountId, folder: Folder): Promise<Mailbox> {
  if (folder === 'junk') {
    const junk = (await store.listMailboxes(accountId)).find((m) => m.specialUse === '\\Junk');
    if (junk !== undefined) return junk;
  }
  const inbox = await store.findMailbox(accountId, 'INBOX');
  if (inbox === null) throw new DeliveryError('failed', `account ${accountId} has no INBOX`);
  return inbox;
}

/** The distinct accounts among the recipients, in order. */
export function distinctAccounts(accounts: readonly Account[]): Account[] {
  const seen = new Set<AccountId>();
  return accounts.filter((a) => (seen.has(a.id) ? false : (seen.add(a.id), true)));
}

/**
 * Appends `raw` for every account; resolves once all copies are durable. If any copy fails, the
 * others still finish (nothing is left half-written) and the failure is thrown: the sender retries
 * the whole message (some accounts may then get it twice, never none).
 */
export async function deliverLocal(store: DeliveryStore, accounts: readonly Account[], raw: Buffer, folder: Folder): Promise<void> {
  const prepared = prepareAppend({ raw });
  const results = await Promise.allSettled(distinctAccounts(accounts).map(async (account) => {
    const mb = await targetMailbox(store, account.id, folder);
    await store.appendPrepared(account.id, mb.id, [prepared]);
  }));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed === undefined) return;
  const err: unknown = failed.reason;
  if (err instanceof StoreError && err.code === 'OVERQUOTA') throw new DeliveryError('overquota', 'mailbox full');
  throw new DeliveryError('failed', err instanceof Error ? err.message : String(err));
}
