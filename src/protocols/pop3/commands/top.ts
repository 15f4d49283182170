import type { Pop3CommandSpec } from '../context.js';
import { isReply, readNumbered } from './read.js';
import { okLine, stuffedBody, topOf } from '../wire/response.js';

/** RFC 1939 §7 TOP msg n: the header, the blank line, and the first n body lines (all, when fewer). */
export const top = {
  name: 'TOP',
  states: ['transaction'],
  async run(ctx, cmd) {
    const r = await readNumbered(ctx, cmd.msg);
    if (isReply(r)) return r;
    return { line: okLine('Top of message follows'), body: stuffedBody(topOf(r.data, r.message.headerSize, cmd.lines)) };
  },
} as const satisfies Pop3CommandSpec<'TOP'>;
