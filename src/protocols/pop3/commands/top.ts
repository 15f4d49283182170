import type { Pop3CommandSpec } from '../context.js';
import { readMessage } from './read.js';
import { errLine, okLine, stuffedBody, topOf } from '../wire/response.js';

/** RFC 1939 §7 TOP msg n: the header, the blank line, and the first n body lines (all, when fewer). */
export const top = {
  name: 'TOP',
  states: ['transaction'],
  async run(ctx, cmd) {
    const drop = ctx.drop!.maildrop;
    const r = drop.get(cmd.msg);
    if (!r.ok) return { line: errLine(r.error), error: true };
    const data = await readMessage(ctx, r.message);
    if (data === null) return { line: errLine(`Message ${cmd.msg} was removed by another session`), error: true };
    return { line: okLine('Top of message follows'), body: stuffedBody(topOf(data, r.message.headerSize, cmd.lines)) };
  },
} as const satisfies Pop3CommandSpec<'TOP'>;
