/**
 * LIST (RFC 9051 §6.3.9) with LIST-EXTENDED (RFC 5258), LIST-STATUS (RFC 5819) and SPECIAL-USE
 * (RFC 6154). One read of the account's mailboxes, patterns compiled once, selection in linear
 * passes (list-select.ts), and for STATUS at most one more read (the \Deleted items) for all.
 */
import type { DeletedStats } from '../../../store/engine.js';
import { SEPARATOR } from '../../../store/names.js';
import type { MailboxId } from '../../../store/types.js';
import { ok, type CommandResult, type CommandSpec, type SessionContext } from '../context.js';
import { PatternSet } from '../list-pattern.js';
import { mailboxNodes, selectNames, type ListedName, type ListNode } from '../list-select.js';
import { nameAttributes, type AttributeOptions } from '../mailbox-attrs.js';
import { needsDeletedStats, statusValues } from '../status-values.js';
import type { ListCommand } from '../wire/index.js';

/** Responses between two waits for a slow reader. */
const DRAIN_EVERY = 256;

/** Attributes of one listed name. */
function listedAttributes(item: ListedName<ListNode>, o: AttributeOptions): string[] {
  const n = item.node;
  return nameAttributes(
    { exists: n?.exists ?? false, hasChildren: item.hasChildren, subscribed: n?.subscribed ?? false, specialUse: n?.specialUse ?? null },
    o,
  );
}

async function runList(ctx: SessionContext, cmd: ListCommand): Promise<CommandResult> {
  const rev2 = ctx.enabled.has('IMAP4REV2');
  // RFC 9051 §6.3.9: in the basic syntax an empty mailbox argument asks for the delimiter (and
  // a root, which may be "" for names that are not rooted, as ours are not).
  if (!cmd.extended && cmd.patterns.length === 1 && cmd.patterns[0] === '') {
    ctx.send({ kind: 'LIST', attributes: ['\\Noselect'], delimiter: SEPARATOR, mailbox: '' });
    return ok('LIST completed');
  }
  const patterns = new PatternSet(cmd.reference, cmd.patterns);
  if (patterns.empty) return ok('LIST completed');
  const sel = cmd.selection;
  const account = ctx.account!.id;
  // Subscribed names without a mailbox only matter to the SUBSCRIBED selection (RFC 5258 §3.1).
  const lost = sel.subscribed ? await ctx.store.listLostSubscriptions(account) : [];
  const nodes = mailboxNodes(await ctx.store.listMailboxes(account), lost);
  const listed = selectNames(nodes, patterns, {
    subscribed: sel.subscribed,
    specialUse: sel.specialUse,
    recursiveMatch: sel.recursiveMatch,
    // Hierarchy levels above unlisted mailboxes only for a plain listing (RFC 5258 example 7A:
    // the SUBSCRIBED selection shows parents only with RECURSIVEMATCH).
    levels: !sel.subscribed && !sel.specialUse,
  });
  const items = cmd.returns.status;
  // RFC 7162 §3.1: STATUS (HIGHESTMODSEQ) is a CONDSTORE enabling command, in LIST-STATUS too.
  if (items !== null && items.includes('HIGHESTMODSEQ')) ctx.enableCondstore();
  let deleted = new Map<MailboxId, DeletedStats>();
  if (items !== null && needsDeletedStats(items)) {
    deleted = await ctx.store.deletedStats(listed.flatMap((l) => (l.selected && l.node?.mailbox ? [l.node.mailbox.id] : [])));
  }
  const attrs: AttributeOptions = {
    // RFC 5258 CHILDREN and RFC 6154 §2 special uses: always, they are cheap here and clients use them.
    children: true,
    specialUse: true,
    // Required with SUBSCRIBED (RFC 5258 §3.1/§3.2); IMAP4rev2 clients get it on every LIST.
    subscribed: sel.subscribed || cmd.returns.subscribed || rev2,
    missing: cmd.extended || rev2 ? '\\NonExistent' : '\\Noselect',
  };
  const childInfo = sel.recursiveMatch ? ['SUBSCRIBED'] : undefined;
  let sent = 0;
  for (const item of listed) {
    ctx.send({
      kind: 'LIST', attributes: listedAttributes(item, attrs), delimiter: SEPARATOR, mailbox: item.name,
      ...(item.childInfo && childInfo !== undefined ? { childInfo } : {}),
    });
    // RFC 5819 §2: STATUS follows the LIST of each selectable mailbox that meets the selection.
    const mb = item.node?.mailbox ?? null;
    if (items !== null && item.selected && mb !== null) {
      ctx.send({ kind: 'STATUS', mailbox: mb.name, values: statusValues(mb, items, { deleted: deleted.get(mb.id), appendLimit: ctx.options.appendLimit }) });
    }
    if (++sent % DRAIN_EVERY === 0) await ctx.drain();
  }
  return ok('LIST completed');
}

export const list = {
  name: 'LIST',
  states: ['authenticated', 'selected'],
  run: runList,
} as const satisfies CommandSpec<'LIST'>;
