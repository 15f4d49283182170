import { no, type CommandSpec } from '../context.js';

// Placeholder until the command lands (being written now).
export const status = {
  name: 'STATUS',
  states: ['authenticated', 'selected'],
  async run() {
    return no('STATUS is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'STATUS'>;
