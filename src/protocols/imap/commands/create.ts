import { no, type CommandSpec } from '../context.js';

// Placeholder until the command lands (being written now).
export const create = {
  name: 'CREATE',
  states: ['authenticated', 'selected'],
  async run() {
    return no('CREATE is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'CREATE'>;
