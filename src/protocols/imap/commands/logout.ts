import { ok, type CommandSpec } from '../context.js';

/** RFC 9051 §6.1.3 */
export const logout = {
  name: 'LOGOUT',
  states: ['notAuthenticated', 'authenticated', 'selected'],
  async run(ctx) {
    ctx.send({ kind: 'status', tag: null, status: 'BYE', text: 'Logging out' });
    return { ...ok('LOGOUT completed'), after: () => ctx.close() };
  },
} as const satisfies CommandSpec<'LOGOUT'>;
