import { ok, type CommandSpec } from '../context.js';

/** RFC 9051 §6.1.1 */
export const capability = {
  name: 'CAPABILITY',
  states: ['notAuthenticated', 'authenticated', 'selected'],
  async run(ctx) {
    ctx.send({ kind: 'CAPABILITY', capabilities: ctx.capabilities() });
    return ok('CAPABILITY completed');
  },
} as const satisfies CommandSpec<'CAPABILITY'>;
