import { no, type CommandSpec } from '../context.js';

// Placeholder until the command lands (being written now).
export const copy = {
  name: 'COPY',
  states: ['selected'],
  async run() {
    return no('COPY is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'COPY'>;

export const move = {
  name: 'MOVE',
  states: ['selected'],
  async run() {
    return no('MOVE is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'MOVE'>;
