import { no, ok, type CommandResult, type CommandSpec, type SessionContext } from '../context.js';
import { resolveSet } from '../sequence.js';
import { findTarget, isResult, orMissing } from '../target-mailbox.js';
import type { CopyMoveCommand } from '../wire/index.js';

/**
 * RFC 9051 §6.4.7 COPY / UID COPY and RFC 6851 MOVE / UID MOVE, with RFC 4315 COPYUID.
 * The store copies (or moves) the whole set in one transaction: all or nothing, flags and internal
 * date kept, new UIDs ascending in source order (so COPYUID pairs them up).
 */
async function copyOrMove(ctx: SessionContext, cmd: CopyMoveCommand): Promise<CommandResult> {
  const sel = ctx.selected!;
  const move = cmd.kind === 'MOVE';
  // RFC 6851 §4.2: MOVE needs the rights of UID STORE and UID EXPUNGE on the source.
  if (move && sel.readOnly) return no('Mailbox is read-only', { code: 'READ-ONLY' });
  const target = await findTarget(ctx, cmd.mailbox);
  if (isResult(target)) return target;
  const ranges = resolveSet(ctx, cmd.sequence, cmd.uid);
  // RFC 9051 §6.4.7 example A005: nothing matched, nothing copied, OK without COPYUID.
  if (ranges.length === 0) return ok(`No matching messages, so nothing ${move ? 'moved' : 'copied'}`);
  const accountId = ctx.account!.id;
  const op = move ? ctx.store.move(accountId, sel.mailboxId, ranges, target.id) : ctx.store.copy(accountId, sel.mailboxId, ranges, target.id);
  const r = await orMissing(ctx, cmd.mailbox, op);
  if (isResult(r)) return r;
  if (r.sourceUids.length === 0) return ok(`No matching messages, so nothing ${move ? 'moved' : 'copied'}`);
  const code = { code: 'COPYUID', uidValidity: r.uidValidity, source: r.sourceUids, destination: r.targetUids } as const;
  if (!move) return ok('COPY completed', code);
  // RFC 6851 §4.3: COPYUID in an untagged OK before the EXPUNGE (or VANISHED) responses, which the
  // session's change flush sends right after this handler, before the tagged OK.
  ctx.send({ kind: 'status', tag: null, status: 'OK', code, text: 'Moved' });
  if (!ctx.condstore) return ok('MOVE completed');
  // RFC 6851 §4.4 / RFC 7162 §3.2.10: the source's new HIGHESTMODSEQ after messages left it.
  const mb = await ctx.store.getMailbox(accountId, sel.mailboxId);
  return ok('MOVE completed', mb === null ? null : { code: 'HIGHESTMODSEQ', modseq: mb.highestModseq });
}

export const copy = {
  name: 'COPY',
  states: ['selected'],
  run: copyOrMove,
} as const satisfies CommandSpec<'COPY'>;

export const move = {
  name: 'MOVE',
  states: ['selected'],
  run: copyOrMove,
} as const satisfies CommandSpec<'MOVE'>;
