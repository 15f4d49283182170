import { ok, type CommandSpec } from '../context.js';

/** RFC 9051 §6.1.2: nothing to do; pending mailbox changes go out with the response (session). */
export const noop = {
  name: 'NOOP',
  states: ['notAuthenticated', 'authenticated', 'selected'],
  async run() {
    return ok('NOOP completed');
  },
} as const satisfies CommandSpec<'NOOP'>;

/** RFC 3501 §6.4.1: CHECK is NOOP for us — every change is already durable. */
export const check = {
  name: 'CHECK',
  states: ['selected'],
  async run() {
    return ok('CHECK completed');
  },
} as const satisfies CommandSpec<'CHECK'>;
