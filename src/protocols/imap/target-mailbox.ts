/** The destination mailbox of APPEND, COPY, MOVE and REPLACE, with TRYCREATE when it does not exist. */
import { StoreError } from '../../store/errors.js';
import { validateNewName } from '../../store/names.js';
import type { Mailbox } from '../../store/types.js';
import { no, type CommandResult, type SessionContext } from './context.js';

/**
 * RFC 9051 §6.3.12 / §6.4.7: a missing destination is an error, never created automatically, and the NO
 * carries TRYCREATE unless the mailbox certainly cannot be created (a name CREATE would refuse).
 */
export function missingMailbox(name: string): CommandResult {
  try {
    validateNewName(name);
  } catch (err) {
    if (err instanceof StoreError) return no(`Mailbox cannot exist: ${err.message}`, { code: 'NONEXISTENT' });
    throw err;
  }
  return no('Mailbox does not exist', { code: 'TRYCREATE' });
}

export async function findTarget(ctx: SessionContext, name: string): Promise<Mailbox | CommandResult> {
  const mb = await ctx.store.findMailbox(ctx.account!.id, name);
  return mb ?? missingMailbox(name);
}

/** A destination deleted while the command ran: the store says NONEXISTENT, the client still gets TRYCREATE. */
export async function orMissing<T>(ctx: SessionContext, name: string, op: Promise<T>): Promise<T | CommandResult> {
  try {
    return await op;
  } catch (err) {
    if (err instanceof StoreError && err.code === 'NONEXISTENT' && (await ctx.store.findMailbox(ctx.account!.id, name)) === null) {
      return missingMailbox(name);
    }
    throw err;
  }
}

export function isResult(x: unknown): x is CommandResult {
  return typeof x === 'object' && x !== null && 'status' in x && 'text' in x;
}
