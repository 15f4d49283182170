import { no, type CommandSpec } from '../context.js';

// Placeholder until the command lands (being written now).
export const del = {
  name: 'DELETE',
  states: ['authenticated', 'selected'],
  async run() {
    return no('DELETE is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'DELETE'>;
