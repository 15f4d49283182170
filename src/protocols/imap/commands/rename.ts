/**
 * RENAME (RFC 9051 §6.3.6). The store renames the inferior names along with the mailbox, creates
 * missing superiors of the new name, and for INBOX moves its messages into a new mailbox, leaving
 * INBOX (and its inferiors) in place. Subscriptions belong to the mailbox and move with it (the RFC
 * leaves them on the old name; keeping the folder subscribed under its new name is what users expect).
 * Renaming the selected mailbox keeps it selected: its UIDVALIDITY and UIDs do not change.
 */
import { no, ok, type CommandResult, type CommandSpec, type SessionContext } from '../context.js';
import type { RenameCommand } from '../wire/index.js';

async function runRename(ctx: SessionContext, cmd: RenameCommand): Promise<CommandResult> {
  const account = ctx.account!;
  const mb = await ctx.store.findMailbox(account.id, cmd.from);
  if (mb === null) return no('No such mailbox', { code: 'NONEXISTENT' });
  await ctx.store.renameMailbox(account.id, mb.id, cmd.to);
  return ok('RENAME completed');
}

export const rename = {
  name: 'RENAME',
  states: ['authenticated', 'selected'],
  run: runRename,
} as const satisfies CommandSpec<'RENAME'>;
