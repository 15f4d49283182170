import { bad, no, ok, type CommandResult, type CommandSpec, type SessionContext } from '../context.js';
import { mailboxAttributes } from '../mailbox-attrs.js';
import { mailboxObjectId } from '../object-ids.js';
import type { SelectCommand } from '../wire/index.js';
import { qresyncReplay } from './qresync.js';

/** RFC 9051 §6.3.2 SELECT and §6.3.3 EXAMINE, with RFC 7162 CONDSTORE/QRESYNC parameters. */
async function selectMailbox(ctx: SessionContext, cmd: SelectCommand): Promise<CommandResult> {
  const account = ctx.account!;
  const readOnly = cmd.kind === 'EXAMINE';
  // RFC 7162 §3.2.5: the QRESYNC parameter without ENABLE QRESYNC is a BAD (and changes nothing).
  if (cmd.qresync !== null && !ctx.enabled.has('QRESYNC')) return bad('QRESYNC is not enabled');
  const wasSelected = ctx.selected !== null;
  ctx.unselect();
  // RFC 9051 §6.3.2 / RFC 7162 §3.2.11: the previous mailbox is closed.
  if (wasSelected && (ctx.enabled.has('QRESYNC') || ctx.enabled.has('IMAP4REV2'))) {
    ctx.send({ kind: 'status', tag: null, status: 'OK', code: { code: 'CLOSED' }, text: 'Previous mailbox is now closed' });
  }
  const mailbox = await ctx.store.findMailbox(account.id, cmd.mailbox);
  if (mailbox === null) return no('No such mailbox', { code: 'NONEXISTENT' });
  if (cmd.condstore) ctx.enableCondstore();
  const sel = await ctx.select(mailbox, readOnly);
  const rev2 = ctx.enabled.has('IMAP4REV2');

  ctx.send({ kind: 'EXISTS', n: sel.exists });
  // Roost keeps no \Recent flag: it is session state that RFC 9051 removed (Appendix E item 12), and
  // RFC 9051 §6.3.2 itself shows "* 0 RECENT" for servers that also speak IMAP4rev1. RFC 3501 §2.3.2
  // only says SHOULD consider a message recent when it cannot tell; no message is ever \Recent here.
  if (!rev2) ctx.send({ kind: 'RECENT', n: 0 });
  ctx.send({ kind: 'FLAGS', flags: sel.flagsResponse() });
  ctx.send({ kind: 'status', tag: null, status: 'OK', code: { code: 'PERMANENTFLAGS', flags: sel.permanentFlags() }, text: 'Flags permitted' });
  ctx.send({ kind: 'status', tag: null, status: 'OK', code: { code: 'UIDVALIDITY', value: mailbox.uidValidity }, text: 'UIDs valid' });
  ctx.send({ kind: 'status', tag: null, status: 'OK', code: { code: 'UIDNEXT', value: mailbox.uidNext }, text: 'Predicted next UID' });
  if (!rev2) {
    const first = await ctx.store.firstUnseenUid(mailbox.id);
    const seq = first === null ? 0 : sel.uids.seqOf(first);
    if (seq > 0) ctx.send({ kind: 'status', tag: null, status: 'OK', code: { code: 'OTHER', atom: 'UNSEEN', text: String(seq) }, text: 'First unseen' });
  }
  ctx.send({ kind: 'status', tag: null, status: 'OK', code: { code: 'HIGHESTMODSEQ', modseq: mailbox.highestModseq }, text: 'Highest' });
  ctx.send({ kind: 'status', tag: null, status: 'OK', code: { code: 'MAILBOXID', id: mailboxObjectId(mailbox.id) }, text: 'Ok' });
  if (rev2) {
    const all = await ctx.store.listMailboxes(account.id);
    ctx.send({ kind: 'LIST', attributes: mailboxAttributes(mailbox, all, { children: true, specialUse: true, subscribed: false }), delimiter: '/', mailbox: mailbox.name });
  }
  if (cmd.qresync !== null && cmd.qresync.uidValidity === mailbox.uidValidity) {
    await qresyncReplay(ctx, sel, cmd.qresync);
  }
  return ok(`${cmd.kind} completed`, { code: readOnly ? 'READ-ONLY' : 'READ-WRITE' });
}

export const select = {
  name: 'SELECT',
  states: ['authenticated', 'selected'],
  run: selectMailbox,
} as const satisfies CommandSpec<'SELECT'>;

export const examine = {
  name: 'EXAMINE',
  states: ['authenticated', 'selected'],
  run: selectMailbox,
} as const satisfies CommandSpec<'EXAMINE'>;

/** RFC 9051 §6.4.1 CLOSE: expunge silently (unless read-only), then leave selected state. */
export const close = {
  name: 'CLOSE',
  states: ['selected'],
  async run(ctx) {
    const sel = ctx.selected!;
    if (!sel.readOnly) await ctx.store.expunge(ctx.account!.id, sel.mailboxId);
    ctx.unselect();
    return ok('CLOSE completed');
  },
} as const satisfies CommandSpec<'CLOSE'>;

/** RFC 3691 UNSELECT: leave selected state without expunging. */
export const unselect = {
  name: 'UNSELECT',
  states: ['selected'],
  async run(ctx) {
    ctx.unselect();
    return ok('UNSELECT completed');
  },
} as const satisfies CommandSpec<'UNSELECT'>;
