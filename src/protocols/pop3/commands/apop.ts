import type { Pop3CommandSpec } from '../context.js';
import { errLine } from '../wire/response.js';

/** RFC 1939 §7 APOP is optional; Roost keeps only password hashes, so it cannot check an MD5 digest. */
export const apop = {
  name: 'APOP',
  states: ['authorization'],
  run() {
    return { line: errLine('APOP is not supported: use USER/PASS or AUTH over TLS'), error: true };
  },
} as const satisfies Pop3CommandSpec<'APOP'>;
