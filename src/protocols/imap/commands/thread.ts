import { no, type CommandSpec } from '../context.js';

// Placeholder until the command lands (being written now).
export const thread = {
  name: 'THREAD',
  states: ['selected'],
  async run() {
    return no('THREAD is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'THREAD'>;
