import { ok, type CommandSpec } from '../context.js';

/** RFC 2971: we say who we are (no version, to give attackers less to go on) and ignore the client's fields. */
export const id = {
  name: 'ID',
  states: ['notAuthenticated', 'authenticated', 'selected'],
  async run(ctx) {
    ctx.send({ kind: 'ID', params: [{ field: 'name', value: 'Roost' }, { field: 'vendor', value: 'Roost' }, { field: 'support-url', value: `https://${ctx.options.hostname}/` }] });
    return ok('ID completed');
  },
} as const satisfies CommandSpec<'ID'>;
