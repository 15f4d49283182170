import { checkAppendMessages } from '../append-data.js';
import { no, ok, type CommandSpec } from '../context.js';
import { findTarget, isResult, orMissing } from '../target-mailbox.js';

/**
 * RFC 9051 §6.3.12 APPEND with RFC 3502 MULTIAPPEND (all messages in one store transaction: all or none),
 * RFC 4315 APPENDUID, RFC 3516 literal8 and RFC 6855 §4 UTF8 data (see append-data.ts for what is accepted).
 * The OK goes out only after store.append resolved, i.e. after the durable commit (DESIGN principle 8).
 * Appending to the selected mailbox: the EXISTS comes from the session's change flush before the OK.
 */
export const append = {
  name: 'APPEND',
  states: ['authenticated', 'selected'],
  async run(ctx, cmd) {
    const checked = checkAppendMessages(cmd.messages, ctx.options.appendLimit);
    if (!checked.ok) return no(checked.text, checked.code);
    const target = await findTarget(ctx, cmd.mailbox);
    if (isResult(target)) return target;
    const r = await orMissing(ctx, cmd.mailbox, ctx.store.append(ctx.account!.id, target.id, checked.items));
    if (isResult(r)) return r;
    return ok('APPEND completed', { code: 'APPENDUID', uidValidity: r.uidValidity, uids: r.uids });
  },
} as const satisfies CommandSpec<'APPEND'>;
