import { no, type CommandSpec } from '../context.js';

// Placeholder until the command lands (being written now).
export const getquota = {
  name: 'GETQUOTA',
  states: ['authenticated', 'selected'],
  async run() {
    return no('GETQUOTA is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'GETQUOTA'>;

export const getquotaroot = {
  name: 'GETQUOTAROOT',
  states: ['authenticated', 'selected'],
  async run() {
    return no('GETQUOTAROOT is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'GETQUOTAROOT'>;

export const setquota = {
  name: 'SETQUOTA',
  states: ['authenticated', 'selected'],
  async run() {
    return no('SETQUOTA is not available yet', { code: 'CANNOT' });
  },
} as const satisfies CommandSpec<'SETQUOTA'>;
