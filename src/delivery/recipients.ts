/**
 * Who an envelope address reaches on this server: a local account (directly, through its +tag, or
 * through aliases), an unknown user of a local domain, or another domain. Used by RCPT on every port
 * and, for the sender check of submission, by MAIL FROM and From:.
 */
import { LIMITS } from '../shared/limits.js';
import type { MailStore } from '../store/store.js';
import type { Account } from '../store/types.js';
import { joinAddress, splitAddress, withoutTag, type MailAddress } from './address.js';

export type Recipient =
  /** `catchAll`: reached only through a domain's catch-all alias ("@domain"). */
  | { kind: 'local'; account: Account; catchAll?: true }
  /** A local domain without such an account or alias (RFC 3463 5.1.1). */
  | { kind: 'unknown' }
  /** Not one of our domains. */
  | { kind: 'remote'; domain: string }
  /** A local alias whose target is another domain (forwarding: not done yet). */
  | { kind: 'forward'; target: string }
  /** Not an address (or an alias loop). */
  | { kind: 'invalid' };

/** The reads resolution needs (a MailStore's engine, or a stand-in). */
export type RecipientLookup = Pick<MailStore, 'getAccountByAddress'> & {
  engine: Pick<MailStore['engine'], 'getAlias' | 'getDomain'>;
};

async function isLocalDomain(store: RecipientLookup, domain: string): Promise<boolean> {
  return (await store.engine.getDomain(domain)) !== null;
}

/** The account or alias target of exactly this address: an Account, a target address, or null. */
async function lookupExact(store: RecipientLookup, a: MailAddress): Promise<Account | string | null> {
  const address = joinAddress(a);
  const account = await store.getAccountByAddress(address);
  if (account !== null) return account;
  const alias = await store.engine.getAlias(address);
  return alias === null ? null : alias.target;
}

/**
 * Resolves an envelope address. Lookups are case-insensitive in the store. An address of a local
 * domain that has no account or alias of its own (with or without its +tag) goes to the domain's
 * catch-all alias ("@domain", `roost alias add @example.com bob@example.com`) when there is one.
 */
export async function resolveRecipient(store: RecipientLookup, address: string): Promise<Recipient> {
  let a = splitAddress(address);
  if (a === null) return { kind: 'invalid' };
  let catchAll = false;
  for (let hop = 0; hop <= LIMITS.smtp.aliasHops; hop++) {
    if (!(await isLocalDomain(store, a.domain))) {
      return hop === 0 ? { kind: 'remote', domain: a.domain } : { kind: 'forward', target: joinAddress(a) };
    }
    // The whole address first (an account may really be called "a+b"), then without its +tag.
    let found = await lookupExact(store, a);
    if (found === null) {
      const untagged = withoutTag(a);
      if (untagged !== null) found = await lookupExact(store, untagged);
    }
    if (found === null) {
      const all = await store.engine.getAlias(`@${a.domain}`);
      if (all !== null) catchAll = true;
      found = all?.target ?? null;
    }
    if (found === null) return { kind: 'unknown' };
    if (typeof found !== 'string') return catchAll ? { kind: 'local', account: found, catchAll: true } : { kind: 'local', account: found };
    const next = splitAddress(found);
    if (next === null) return { kind: 'invalid' };
    a = next;
  }
  return { kind: 'invalid' };
}

/**
 * Whether `account` may use `address` as its sender: its own address (+tag too) or an alias reaching
 * it — not every address its domain's catch-all would deliver to it.
 */
export async function maySendAs(store: RecipientLookup, account: Account, address: string): Promise<boolean> {
  const r = await resolveRecipient(store, address);
  return r.kind === 'local' && r.account.id === account.id && r.catchAll !== true;
}
