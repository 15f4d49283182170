import type { Pop3CommandSpec } from '../context.js';
import { errLine } from '../wire/response.js';
import { PLAINTEXT_REFUSED } from './plaintext.js';

/** RFC 1939 §7 PASS, right after USER. */
export const pass = {
  name: 'PASS',
  states: ['authorization'],
  async run(ctx, cmd) {
    if (!ctx.loginAllowed()) return { line: errLine(PLAINTEXT_REFUSED, 'AUTH'), error: true };
    const name = ctx.pendingUser;
    ctx.pendingUser = null;
    if (name === null) return { line: errLine('Send USER first'), error: true };
    const line = await ctx.login(name, cmd.arg);
    return { line, error: ctx.state !== 'transaction' };
  },
} as const satisfies Pop3CommandSpec<'PASS'>;
