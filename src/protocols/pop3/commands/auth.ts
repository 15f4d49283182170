import { SASL_MECHANISMS } from '../../../auth/sasl.js';
import type { Pop3CommandSpec } from '../context.js';
import { errLine, okLine, textLines } from '../wire/response.js';
import { PLAINTEXT_REFUSED } from './plaintext.js';

/**
 * RFC 5034 AUTH mechanism [initial-response]: PLAIN and LOGIN. Bare AUTH lists the mechanisms
 * (the RFC 1734 practice some clients still probe with).
 */
export const auth = {
  name: 'AUTH',
  states: ['authorization'],
  async run(ctx, cmd) {
    if (!ctx.loginAllowed()) return { line: errLine(PLAINTEXT_REFUSED, 'AUTH'), error: true };
    if (cmd.mechanism === null) return { line: okLine('Mechanisms follow'), body: textLines([...SASL_MECHANISMS]) };
    return ctx.startSasl(cmd.mechanism, cmd.initial);
  },
} as const satisfies Pop3CommandSpec<'AUTH'>;
