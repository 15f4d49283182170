import { no, type CommandSpec } from '../context.js';

// Placeholder until the command lands (being written now).
export const append = {
  name: 'APPEND',
  states: ['authenticated', 'selected'],
  async run() {
    return no('APPEND is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'APPEND'>;
