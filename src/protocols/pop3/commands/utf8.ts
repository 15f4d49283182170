import type { Pop3CommandSpec } from '../context.js';
import { okLine } from '../wire/response.js';

/**
 * RFC 6856 §2.1 UTF8 (AUTHORIZATION state only). Stored messages are sent as they are in either mode
 * (see docs/rfc-status.md): the mode only records that the client accepts UTF-8.
 */
export const utf8 = {
  name: 'UTF8',
  states: ['authorization'],
  run(ctx) {
    ctx.utf8 = true;
    return { line: okLine('UTF-8 mode enabled') };
  },
} as const satisfies Pop3CommandSpec<'UTF8'>;
