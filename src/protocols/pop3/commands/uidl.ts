import type { Pop3CommandSpec } from '../context.js';
import { errLine, okLine } from '../wire/response.js';

/** RFC 1939 §7 UIDL [msg]: ids from INBOX UIDVALIDITY and UID, the same in every session (maildrop.ts). */
export const uidl = {
  name: 'UIDL',
  states: ['transaction'],
  run(ctx, cmd) {
    const drop = ctx.drop!.maildrop;
    if (cmd.msg !== null) {
      const r = drop.get(cmd.msg);
      return r.ok ? { line: okLine(`${cmd.msg} ${drop.uidl(r.message)}`) } : { line: errLine(r.error), error: true };
    }
    let body = '';
    for (const [n, m] of drop.live()) body += `${n} ${drop.uidl(m)}\r\n`;
    return { line: okLine('Unique-id listing follows'), body: `${body}.\r\n` };
  },
} as const satisfies Pop3CommandSpec<'UIDL'>;
