import type { Pop3CommandSpec } from '../context.js';
import { errLine, okLine } from '../wire/response.js';

/** RFC 1939 §5 LIST [msg]: sizes are the stored octets, exactly what RETR sends (before stuffing). */
export const list = {
  name: 'LIST',
  states: ['transaction'],
  run(ctx, cmd) {
    const drop = ctx.drop!.maildrop;
    if (cmd.msg !== null) {
      const r = drop.get(cmd.msg);
      return r.ok ? { line: okLine(`${cmd.msg} ${r.message.size}`) } : { line: errLine(r.error), error: true };
    }
    const s = drop.stat();
    let body = '';
    for (const [n, m] of drop.live()) body += `${n} ${m.size}\r\n`;
    return { line: okLine(`${s.count} messages (${s.size} octets)`), body: `${body}.\r\n` };
  },
} as const satisfies Pop3CommandSpec<'LIST'>;
