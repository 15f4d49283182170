/**
 * QUOTA (RFC 9208). Each account has one quota root, "", covering all its mailboxes, with the
 * STORAGE resource in units of 1024 octets (§5.1): usage is the account's used bytes rounded up,
 * the limit its quota rounded down (never promise room the store would refuse).
 *
 * An account without a quota still has its root, with an empty resource list: "an empty list means
 * there are no administrative resource limits" (§4.2.1), and GETQUOTA must answer with a QUOTA
 * response. Users cannot change their quota (QUOTASET is not announced): SETQUOTA gets NO [NOPERM];
 * administrators use `roost user quota`.
 */
import type { Account } from '../../../store/types.js';
import { no, ok, type CommandSpec, type SessionContext } from '../context.js';
import type { QuotaResource } from '../wire/index.js';

const ROOT = '';
const KIB = 1024;

export function quotaResources(account: Pick<Account, 'usedBytes' | 'quotaBytes'>): QuotaResource[] {
  if (account.quotaBytes === null) return [];
  return [{ name: 'STORAGE', usage: Math.ceil(account.usedBytes / KIB), limit: Math.floor(account.quotaBytes / KIB) }];
}

/** The account as it is now (usage changes with every append and expunge, in any session). */
async function freshAccount(ctx: SessionContext): Promise<Account> {
  return (await ctx.store.getAccount(ctx.account!.id)) ?? ctx.account!;
}

export const getquota = {
  name: 'GETQUOTA',
  states: ['authenticated', 'selected'],
  async run(ctx, cmd) {
    if (cmd.root !== ROOT) return no('No such quota root', { code: 'NONEXISTENT' });
    ctx.send({ kind: 'QUOTA', root: ROOT, resources: quotaResources(await freshAccount(ctx)) });
    return ok('GETQUOTA completed');
  },
} as const satisfies CommandSpec<'GETQUOTA'>;

/** RFC 9208 §4.1.2: the mailbox need not exist (the root it would have is still useful). */
export const getquotaroot = {
  name: 'GETQUOTAROOT',
  states: ['authenticated', 'selected'],
  async run(ctx, cmd) {
    ctx.send({ kind: 'QUOTAROOT', mailbox: cmd.mailbox, roots: [ROOT] });
    ctx.send({ kind: 'QUOTA', root: ROOT, resources: quotaResources(await freshAccount(ctx)) });
    return ok('GETQUOTAROOT completed');
  },
} as const satisfies CommandSpec<'GETQUOTAROOT'>;

export const setquota = {
  name: 'SETQUOTA',
  states: ['authenticated', 'selected'],
  async run() {
    return no('Quotas are set by the administrator', { code: 'NOPERM' });
  },
} as const satisfies CommandSpec<'SETQUOTA'>;
