import type { Pop3CommandSpec } from '../context.js';
import { errLine, okLine } from '../wire/response.js';

/** RFC 1939 §5 DELE: only marks the message; QUIT removes it (or moves it to Trash, per the account). */
export const dele = {
  name: 'DELE',
  states: ['transaction'],
  run(ctx, cmd) {
    const drop = ctx.drop!.maildrop;
    const r = drop.get(cmd.msg);
    if (!r.ok) return { line: errLine(r.error), error: true };
    drop.dele(cmd.msg);
    return { line: okLine(`Message ${cmd.msg} deleted`) };
  },
} as const satisfies Pop3CommandSpec<'DELE'>;
