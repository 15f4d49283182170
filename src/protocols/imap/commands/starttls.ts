import { bad, ok, type CommandSpec } from '../context.js';

/** RFC 9051 §6.2.1 */
export const starttls = {
  name: 'STARTTLS',
  states: ['notAuthenticated'],
  async run(ctx) {
    if (ctx.secure) return bad('TLS is already active');
    return { ...ok('Begin TLS negotiation now'), after: () => ctx.startTls() };
  },
} as const satisfies CommandSpec<'STARTTLS'>;
