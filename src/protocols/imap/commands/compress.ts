import { no, type CommandSpec } from '../context.js';

// Placeholder until the command lands (being written now).
export const compress = {
  name: 'COMPRESS',
  states: ['authenticated', 'selected'],
  async run() {
    return no('COMPRESS is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'COMPRESS'>;
