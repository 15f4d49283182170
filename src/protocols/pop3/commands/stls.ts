import type { Pop3CommandSpec } from '../context.js';
import { errLine, okLine } from '../wire/response.js';

/** RFC 2595 §4 STLS; RFC 6856 §2.1: not after UTF8. */
export const stls = {
  name: 'STLS',
  states: ['authorization'],
  run(ctx) {
    if (ctx.secure) return { line: errLine('Already using TLS'), error: true };
    if (ctx.utf8) return { line: errLine('STLS is not allowed after UTF8'), error: true };
    return { line: okLine('Begin TLS negotiation'), then: 'stls' };
  },
} as const satisfies Pop3CommandSpec<'STLS'>;
