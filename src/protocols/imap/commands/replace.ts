import { checkAppendMessage } from '../append-data.js';
import { bad, no, ok, type CommandResult, type CommandSpec, type SessionContext } from '../context.js';
import { findTarget, isResult, orMissing } from '../target-mailbox.js';
import type { ReplaceCommand } from '../wire/index.js';

/** The UID named by REPLACE's seq-number or UID (`*` is the last message of the view), or a tagged error. */
function targetUid(ctx: SessionContext, cmd: ReplaceCommand): number | CommandResult {
  const sel = ctx.selected!;
  if (cmd.uid) {
    const uid = cmd.target === '*' ? sel.uids.maxUid : cmd.target;
    if (uid === 0 || sel.uids.seqOf(uid) === 0) return no('No message with that UID', { code: 'NONEXISTENT' });
    return uid;
  }
  const seq = cmd.target === '*' ? sel.exists : cmd.target;
  if (seq < 1 || seq > sel.exists) return bad('Invalid message sequence number');
  return sel.uids.uidAt(seq);
}

/**
 * RFC 8508 REPLACE / UID REPLACE: append the new message to the named mailbox and remove the old one
 * from the selected mailbox, atomically (store.replace is one transaction). As RFC 8508 §4.3 advises,
 * APPENDUID goes in an untagged OK first; the EXISTS (when the target is selected) and EXPUNGE/VANISHED
 * follow from the session's change flush, then the tagged OK. Nothing is inherited from the old message.
 */
async function runReplace(ctx: SessionContext, cmd: ReplaceCommand): Promise<CommandResult> {
  const sel = ctx.selected!;
  // RFC 8508 §4.1: REPLACE needs the rights of UID STORE and UID EXPUNGE on the selected mailbox.
  if (sel.readOnly) return no('Mailbox is read-only', { code: 'READ-ONLY' });
  const uid = targetUid(ctx, cmd);
  if (typeof uid !== 'number') return uid;
  if (sel.isExpungedPending(uid)) return no('The message was expunged', { code: 'EXPUNGEISSUED' });
  const checked = checkAppendMessage(cmd.message, ctx.options.appendLimit);
  if (!checked.ok) return no(checked.text, checked.code);
  const target = await findTarget(ctx, cmd.mailbox);
  if (isResult(target)) return target;
  const accountId = ctx.account!.id;
  const r = await orMissing(ctx, cmd.mailbox, ctx.store.replace(accountId, sel.mailboxId, uid, target.id, checked.item));
  if (isResult(r)) return r;
  ctx.send({
    kind: 'status', tag: null, status: 'OK', text: 'Replacement message ready',
    code: { code: 'APPENDUID', uidValidity: r.uidValidity, uids: [r.entry.uid] },
  });
  if (!ctx.condstore) return ok('REPLACE completed');
  // RFC 8508 §4.5: the old message goes as with UID EXPUNGE, so the new HIGHESTMODSEQ is reported (RFC 7162 §3.2.7).
  const mb = await ctx.store.getMailbox(accountId, sel.mailboxId);
  return ok('REPLACE completed', mb === null ? null : { code: 'HIGHESTMODSEQ', modseq: mb.highestModseq });
}

export const replace = {
  name: 'REPLACE',
  states: ['selected'],
  run: runReplace,
} as const satisfies CommandSpec<'REPLACE'>;
