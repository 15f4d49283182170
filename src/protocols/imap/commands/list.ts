import { no, type CommandSpec } from '../context.js';

// Placeholder until the command lands (being written now).
export const list = {
  name: 'LIST',
  states: ['authenticated', 'selected'],
  async run() {
    return no('LIST is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'LIST'>;
