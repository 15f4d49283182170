import { ok, type CommandSpec } from '../context.js';

/**
 * RFC 9051 §6.1.3. The view is dropped first: changes other sessions made meanwhile would otherwise be
 * flushed after the BYE, and a client that already took BYE as the end of the mailbox state would read
 * FETCH/EXPUNGE for a mailbox it considers closed (nothing the client can use after LOGOUT anyway).
 */
export const logout = {
  name: 'LOGOUT',
  states: ['notAuthenticated', 'authenticated', 'selected'],
  async run(ctx) {
    ctx.unselect();
    ctx.send({ kind: 'status', tag: null, status: 'BYE', text: 'Logging out' });
    return { ...ok('LOGOUT completed'), after: () => ctx.close() };
  },
} as const satisfies CommandSpec<'LOGOUT'>;
