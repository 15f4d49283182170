import type { Pop3CommandSpec } from '../context.js';
import { okLine } from '../wire/response.js';

/** RFC 1939 §5 NOOP. */
export const noop = {
  name: 'NOOP',
  states: ['transaction'],
  run() {
    return { line: okLine() };
  },
} as const satisfies Pop3CommandSpec<'NOOP'>;
