import { no, type CommandSpec } from '../context.js';

// Placeholder until the command lands (being written now).
export const lsub = {
  name: 'LSUB',
  states: ['authenticated', 'selected'],
  async run() {
    return no('LSUB is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'LSUB'>;
