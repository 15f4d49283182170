/**
 * SUBSCRIBE / UNSUBSCRIBE (RFC 9051 §6.3.7, §6.3.8). Subscriptions are kept on the mailbox rows, so
 * SUBSCRIBE checks that the mailbox exists (the RFC's MAY) and answers NO [NONEXISTENT] otherwise.
 * A name whose mailbox was deleted while subscribed stays subscribed (the RFC's SHOULD NOT remove):
 * SUBSCRIBE of it is OK, UNSUBSCRIBE forgets it. UNSUBSCRIBE of a name that is not subscribed
 * (existing or not) is OK, as the RFC asks.
 */
import { no, ok, type CommandResult, type CommandSpec, type SessionContext } from '../context.js';
import type { MailboxCommand } from '../wire/index.js';

async function setSubscription(ctx: SessionContext, cmd: MailboxCommand, subscribed: boolean): Promise<CommandResult> {
  const account = ctx.account!;
  const mb = await ctx.store.findMailbox(account.id, cmd.mailbox);
  if (mb === null) {
    if (!subscribed) {
      await ctx.store.unsubscribeName(account.id, cmd.mailbox);
      return ok('UNSUBSCRIBE completed');
    }
    const lost = await ctx.store.listLostSubscriptions(account.id);
    return lost.includes(cmd.mailbox) ? ok('SUBSCRIBE completed') : no('No such mailbox', { code: 'NONEXISTENT' });
  }
  if (mb.subscribed !== subscribed) await ctx.store.setSubscribed(account.id, mb.id, subscribed);
  return ok(`${cmd.kind} completed`);
}

export const subscribe = {
  name: 'SUBSCRIBE',
  states: ['authenticated', 'selected'],
  run: (ctx, cmd) => setSubscription(ctx, cmd, true),
} as const satisfies CommandSpec<'SUBSCRIBE'>;

export const unsubscribe = {
  name: 'UNSUBSCRIBE',
  states: ['authenticated', 'selected'],
  run: (ctx, cmd) => setSubscription(ctx, cmd, false),
} as const satisfies CommandSpec<'UNSUBSCRIBE'>;
