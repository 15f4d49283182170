import { no, type CommandSpec } from '../context.js';

// Placeholder until the command lands (being written now).
export const replace = {
  name: 'REPLACE',
  states: ['selected'],
  async run() {
    return no('REPLACE is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'REPLACE'>;
