import { no, ok, type CommandSpec } from '../context.js';
import { resolveSet } from '../sequence.js';

/**
 * RFC 9051 §6.4.3 EXPUNGE and RFC 4315 §2.1 UID EXPUNGE. The EXPUNGE (or VANISHED) responses are
 * sent by the session's change flush right after, together with anyone else's expunges.
 */
export const expunge = {
  name: 'EXPUNGE',
  states: ['selected'],
  async run(ctx, cmd) {
    const sel = ctx.selected!;
    if (sel.readOnly) return no('Mailbox is read-only', { code: 'READ-ONLY' });
    const ranges = cmd.uid && cmd.sequence !== null ? resolveSet(ctx, cmd.sequence, true) : undefined;
    if (ranges !== undefined && ranges.length === 0) return ok('EXPUNGE completed');
    await ctx.store.expunge(ctx.account!.id, sel.mailboxId, ranges);
    if (!ctx.condstore) return ok('EXPUNGE completed');
    // RFC 7162 §3.2.7 (and §3.1.2): the new HIGHESTMODSEQ in the tagged OK.
    const mb = await ctx.store.getMailbox(ctx.account!.id, sel.mailboxId);
    return ok('EXPUNGE completed', mb === null ? null : { code: 'HIGHESTMODSEQ', modseq: mb.highestModseq });
  },
} as const satisfies CommandSpec<'EXPUNGE'>;
