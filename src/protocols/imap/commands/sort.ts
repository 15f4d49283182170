import { no, type CommandSpec } from '../context.js';

// Placeholder until the command lands (being written now).
export const sort = {
  name: 'SORT',
  states: ['selected'],
  async run() {
    return no('SORT is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'SORT'>;
