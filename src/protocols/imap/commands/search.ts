import { no, type CommandSpec } from '../context.js';

// Placeholder until the command lands (being written now).
export const search = {
  name: 'SEARCH',
  states: ['selected'],
  async run() {
    return no('SEARCH is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'SEARCH'>;
