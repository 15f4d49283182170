/**
 * STATUS (RFC 9051 §6.3.11). Allowed on the selected mailbox too (the RFC says servers MUST
 * execute it); the values come from the store like for any other mailbox.
 */
import { no, ok, type CommandResult, type CommandSpec, type SessionContext } from '../context.js';
import { needsDeletedStats, statusValues } from '../status-values.js';
import type { StatusCommand } from '../wire/index.js';

async function runStatus(ctx: SessionContext, cmd: StatusCommand): Promise<CommandResult> {
  const mb = await ctx.store.findMailbox(ctx.account!.id, cmd.mailbox);
  if (mb === null) return no('No such mailbox', { code: 'NONEXISTENT' });
  // RFC 7162 §3.1: STATUS (HIGHESTMODSEQ) is a CONDSTORE enabling command.
  if (cmd.items.includes('HIGHESTMODSEQ')) ctx.enableCondstore();
  const deleted = needsDeletedStats(cmd.items) ? (await ctx.store.deletedStats([mb.id])).get(mb.id) : undefined;
  ctx.send({ kind: 'STATUS', mailbox: mb.name, values: statusValues(mb, cmd.items, { deleted, appendLimit: ctx.options.appendLimit }) });
  return ok('STATUS completed');
}

export const status = {
  name: 'STATUS',
  states: ['authenticated', 'selected'],
  run: runStatus,
} as const satisfies CommandSpec<'STATUS'>;
