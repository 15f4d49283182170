/**
 * DELETE (RFC 9051 §6.3.5). The store refuses INBOX and a mailbox with inferiors (NO [HASCHILDREN],
 * the RFC's SHOULD, rather than leaving a \Noselect name behind).
 *
 * Deleting the selected mailbox is allowed (the RFC does not forbid it): the session then leaves the
 * selected state, as if the client had sent UNSELECT, and says so with an untagged OK [CLOSED]
 * (RFC 9051 §7.1), so no later command runs against a mailbox that no longer exists.
 */
import { no, ok, type CommandResult, type CommandSpec, type SessionContext } from '../context.js';
import type { MailboxCommand } from '../wire/index.js';

async function runDelete(ctx: SessionContext, cmd: MailboxCommand): Promise<CommandResult> {
  const account = ctx.account!;
  const mb = await ctx.store.findMailbox(account.id, cmd.mailbox);
  if (mb === null) return no('No such mailbox', { code: 'NONEXISTENT' });
  await ctx.store.deleteMailbox(account.id, mb.id);
  if (ctx.selected !== null && ctx.selected.mailboxId === mb.id) {
    ctx.unselect();
    ctx.send({ kind: 'status', tag: null, status: 'OK', code: { code: 'CLOSED' }, text: 'The selected mailbox was deleted' });
  }
  return ok('DELETE completed');
}

export const del = {
  name: 'DELETE',
  states: ['authenticated', 'selected'],
  run: runDelete,
} as const satisfies CommandSpec<'DELETE'>;
