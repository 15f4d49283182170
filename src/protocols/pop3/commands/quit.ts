import { isEmpty } from '../maildrop.js';
import type { Pop3CommandSpec } from '../context.js';
import { errLine, okLine } from '../wire/response.js';

/**
 * RFC 1939 §6 QUIT. In TRANSACTION it enters UPDATE: the DELE marks and the after-download actions
 * are committed in one store transaction before +OK; if that fails nothing is removed and the answer
 * is -ERR. Either way the connection closes.
 */
export const quit = {
  name: 'QUIT',
  states: ['authorization', 'transaction'],
  async run(ctx) {
    const drop = ctx.drop;
    if (drop === null) return { line: okLine('Roost POP3 server signing off'), then: 'close' };
    const update = drop.maildrop.update(drop.settings);
    // The lock is held until the update is committed, even if the client hangs up meanwhile.
    ctx.state = 'update';
    try {
      if (!isEmpty(update)) await ctx.store.popUpdate(drop.account.id, drop.inboxId, update);
    } catch (err) {
      ctx.logger.error('pop3 update failed', { user: drop.account.address, err });
      return { line: errLine('Some deleted messages were not removed; try again', 'SYS/TEMP'), then: 'close' };
    } finally {
      ctx.registry.unlock(drop.account.id);
    }
    return { line: okLine('Roost POP3 server signing off'), then: 'close' };
  },
} as const satisfies Pop3CommandSpec<'QUIT'>;
