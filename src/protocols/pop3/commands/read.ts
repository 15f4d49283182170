import type { Pop3Context } from '../context.js';
import type { DropMessage } from '../maildrop.js';

/**
 * A maildrop message's bytes, or null when it is gone: expunged by another session since login and
 * its content released. (While another copy shares the content, the bytes are still the message's.)
 */
export async function readMessage(ctx: Pop3Context, m: DropMessage): Promise<Buffer | null> {
  try {
    return await ctx.store.readBlob(m.blob);
  } catch {
    return null;
  }
}
