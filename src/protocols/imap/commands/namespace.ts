import { no, type CommandSpec } from '../context.js';

// Placeholder until the command lands (being written now).
export const namespace = {
  name: 'NAMESPACE',
  states: ['authenticated', 'selected'],
  async run() {
    return no('NAMESPACE is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'NAMESPACE'>;
