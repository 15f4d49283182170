import { no, type CommandSpec } from '../context.js';

// Placeholder until the command lands (being written now).
export const rename = {
  name: 'RENAME',
  states: ['authenticated', 'selected'],
  async run() {
    return no('RENAME is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'RENAME'>;
