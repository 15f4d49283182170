import type { Pop3CommandSpec } from '../context.js';
import { okLine } from '../wire/response.js';

/** RFC 1939 §5 RSET: every DELE mark is undone. */
export const rset = {
  name: 'RSET',
  states: ['transaction'],
  run(ctx) {
    const drop = ctx.drop!.maildrop;
    drop.rset();
    const s = drop.stat();
    return { line: okLine(`Maildrop has ${s.count} messages (${s.size} octets)`) };
  },
} as const satisfies Pop3CommandSpec<'RSET'>;
