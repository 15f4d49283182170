import type { Pop3CommandSpec } from '../context.js';
import { errLine, okLine } from '../wire/response.js';
import { PLAINTEXT_REFUSED } from './plaintext.js';

/** RFC 1939 §7 USER: remembered for the PASS that follows. */
export const user = {
  name: 'USER',
  states: ['authorization'],
  run(ctx, cmd) {
    if (!ctx.loginAllowed()) return { line: errLine(PLAINTEXT_REFUSED, 'AUTH'), error: true };
    if (cmd.arg.length > 320) return { line: errLine('User name too long'), error: true };
    ctx.pendingUser = cmd.arg;
    return { line: okLine('Send the password with PASS') };
  },
} as const satisfies Pop3CommandSpec<'USER'>;
