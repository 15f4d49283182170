import type { Pop3CommandSpec } from '../context.js';
import { isReply, readNumbered } from './read.js';
import { okLine, stuffedBody } from '../wire/response.js';

/** RFC 1939 §5 RETR: the stored bytes exactly, byte-stuffed. Counts as a download for "after download". */
export const retr = {
  name: 'RETR',
  states: ['transaction'],
  async run(ctx, cmd) {
    // A DELE'd or missing message is refused before the read-ahead copy could serve.
    const r = await readNumbered(ctx, cmd.msg, ctx.takeReadAhead(cmd.msg));
    if (isReply(r)) return r;
    ctx.drop!.maildrop.markRetrieved(cmd.msg);
    return { line: okLine(`${r.message.size} octets`), body: stuffedBody(r.data), readAhead: cmd.msg + 1 };
  },
} as const satisfies Pop3CommandSpec<'RETR'>;
