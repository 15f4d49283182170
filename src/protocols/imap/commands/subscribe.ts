import { no, type CommandSpec } from '../context.js';

// Placeholder until the command lands (being written now).
export const subscribe = {
  name: 'SUBSCRIBE',
  states: ['authenticated', 'selected'],
  async run() {
    return no('SUBSCRIBE is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'SUBSCRIBE'>;

export const unsubscribe = {
  name: 'UNSUBSCRIBE',
  states: ['authenticated', 'selected'],
  async run() {
    return no('UNSUBSCRIBE is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'UNSUBSCRIBE'>;
