import { no, type CommandSpec } from '../context.js';

// Placeholder until the command lands (being written now).
export const unauthenticate = {
  name: 'UNAUTHENTICATE',
  states: ['authenticated', 'selected'],
  async run() {
    return no('UNAUTHENTICATE is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'UNAUTHENTICATE'>;
