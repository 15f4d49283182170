import type { Pop3CommandSpec } from '../context.js';
import { readMessage } from './read.js';
import { errLine, okLine, stuffedBody } from '../wire/response.js';

/** RFC 1939 §5 RETR: the stored bytes exactly, byte-stuffed. Counts as a download for "after download". */
export const retr = {
  name: 'RETR',
  states: ['transaction'],
  async run(ctx, cmd) {
    const drop = ctx.drop!.maildrop;
    const r = drop.get(cmd.msg);
    if (!r.ok) return { line: errLine(r.error), error: true };
    const data = ctx.takeReadAhead(cmd.msg) ?? (await readMessage(ctx, r.message));
    if (data === null) return { line: errLine(`Message ${cmd.msg} was removed by another session`), error: true };
    drop.markRetrieved(cmd.msg);
    return { line: okLine(`${r.message.size} octets`), body: stuffedBody(data), readAhead: cmd.msg + 1 };
  },
} as const satisfies Pop3CommandSpec<'RETR'>;
