/**
 * LSUB (RFC 3501 §6.3.9; removed from IMAP4rev2 but still what many clients send): subscribed names
 * matching the pattern. With "%" an unsubscribed parent of a subscribed child is returned instead of
 * the child, flagged \Noselect whether or not it exists (the flag's special LSUB meaning).
 */
import { SEPARATOR } from '../../../store/names.js';
import { ok, type CommandResult, type CommandSpec, type SessionContext } from '../context.js';
import { PatternSet } from '../list-pattern.js';
import { mailboxNodes, selectNames } from '../list-select.js';
import type { LsubCommand } from '../wire/index.js';

const DRAIN_EVERY = 256;

async function runLsub(ctx: SessionContext, cmd: LsubCommand): Promise<CommandResult> {
  if (cmd.pattern === '') {
    // Like LIST: the empty name asks for the hierarchy delimiter.
    ctx.send({ kind: 'LSUB', attributes: ['\\Noselect'], delimiter: SEPARATOR, mailbox: '' });
    return ok('LSUB completed');
  }
  const patterns = new PatternSet(cmd.reference, [cmd.pattern]);
  const account = ctx.account!.id;
  const nodes = mailboxNodes(await ctx.store.listMailboxes(account), await ctx.store.listLostSubscriptions(account));
  const listed = selectNames(nodes, patterns, { subscribed: true, specialUse: false, recursiveMatch: false, levels: true });
  let sent = 0;
  for (const item of listed) {
    const selectable = item.selected && item.node !== null && item.node.exists;
    ctx.send({ kind: 'LSUB', attributes: selectable ? [] : ['\\Noselect'], delimiter: SEPARATOR, mailbox: item.name });
    if (++sent % DRAIN_EVERY === 0) await ctx.drain();
  }
  return ok('LSUB completed');
}

export const lsub = {
  name: 'LSUB',
  states: ['authenticated', 'selected'],
  run: runLsub,
} as const satisfies CommandSpec<'LSUB'>;
