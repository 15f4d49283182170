/**
 * CREATE (RFC 9051 §6.3.4) with RFC 6154 §3 USE (CREATE-SPECIAL-USE). The store validates the name,
 * drops a trailing delimiter and creates missing superior names.
 */
import { SEPARATOR } from '../../../store/names.js';
import { SPECIAL_USES, type SpecialUse } from '../../../store/types.js';
import { no, ok, type CommandResult, type CommandSpec, type SessionContext } from '../context.js';
import { mailboxObjectId } from '../object-ids.js';
import type { CreateCommand } from '../wire/index.js';

/** Special uses of virtual mailboxes (RFC 6154 §2) Roost does not have: a real mailbox cannot be them. */
const VIRTUAL_USES: ReadonlySet<string> = new Set(['\\All', '\\Flagged']);

function isSpecialUse(s: string): s is SpecialUse {
  return (SPECIAL_USES as readonly string[]).includes(s);
}

/**
 * The special use asked for, or a NO [USEATTR] (RFC 6154 §3): Roost keeps one use per mailbox and
 * one mailbox per use (JMAP roles are unique per account too, RFC 8621 §2).
 */
async function specialUseFor(ctx: SessionContext, asked: readonly string[]): Promise<SpecialUse | null | CommandResult> {
  const uses = [...new Set(asked)];
  if (uses.length === 0) return null;
  if (uses.length > 1) return no('A mailbox can have only one special use', { code: 'USEATTR' });
  const use = uses[0]!;
  if (!isSpecialUse(use) || VIRTUAL_USES.has(use)) return no(`Special use ${use} is not supported`, { code: 'USEATTR' });
  const holder = (await ctx.store.listMailboxes(ctx.account!.id)).find((m) => m.specialUse === use);
  if (holder !== undefined) return no(`${holder.name} is already the ${use} mailbox`, { code: 'USEATTR' });
  return use;
}

async function runCreate(ctx: SessionContext, cmd: CreateCommand): Promise<CommandResult> {
  const use = await specialUseFor(ctx, cmd.specialUse);
  if (use !== null && typeof use === 'object') return use;
  const mb = await ctx.store.createMailbox(ctx.account!.id, cmd.mailbox, use);
  // RFC 9051 §6.3.4: a name the server normalised is announced with OLDNAME (an IMAP4rev2 item,
  // and RFC 5258 §3 allows extended data only to clients that said they understand it).
  const asked = cmd.mailbox.endsWith(SEPARATOR) ? cmd.mailbox.slice(0, -1) : cmd.mailbox;
  if (mb.name !== asked && ctx.enabled.has('IMAP4REV2')) {
    ctx.send({ kind: 'LIST', attributes: use === null ? [] : [use], delimiter: SEPARATOR, mailbox: mb.name, oldName: asked });
  }
  // RFC 8474 §4.1: with OBJECTID announced, every successful CREATE names the new mailbox's id.
  return ok('CREATE completed', { code: 'MAILBOXID', id: mailboxObjectId(mb.id) });
}

export const create = {
  name: 'CREATE',
  states: ['authenticated', 'selected'],
  run: runCreate,
} as const satisfies CommandSpec<'CREATE'>;
