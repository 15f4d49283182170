import type { Pop3CommandSpec } from '../context.js';
import { okLine } from '../wire/response.js';

/** RFC 1939 §5 STAT: messages not marked deleted, and their total size. */
export const stat = {
  name: 'STAT',
  states: ['transaction'],
  run(ctx) {
    const s = ctx.drop!.maildrop.stat();
    return { line: okLine(`${s.count} ${s.size}`) };
  },
} as const satisfies Pop3CommandSpec<'STAT'>;
