import type { Pop3Context, Reply } from '../context.js';
import type { DropMessage } from '../maildrop.js';
import { errLine } from '../wire/response.js';

/**
 * Message `n` of the maildrop and its bytes (RETR, TOP), or the -ERR to answer: no such message,
 * marked deleted, or gone — expunged by another session since login and its content released
 * (while another copy shares the content, the bytes are still the message's). RETR may pass bytes
 * it read ahead.
 */
export async function readNumbered(ctx: Pop3Context, n: number, readAhead: Promise<Buffer> | null = null): Promise<{ message: DropMessage; data: Buffer } | Reply> {
  const r = ctx.drop!.maildrop.get(n);
  if (!r.ok) return { line: errLine(r.error), error: true };
  try {
    return { message: r.message, data: await (readAhead ?? ctx.store.readBlob(r.message.blob)) };
  } catch {
    return { line: errLine(`Message ${n} was removed by another session`), error: true };
  }
}

export function isReply(x: { message: DropMessage; data: Buffer } | Reply): x is Reply {
  return 'line' in x;
}
