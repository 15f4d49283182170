/**
 * NAMESPACE (RFC 9051 §6.3.10, RFC 2342): one personal namespace with no prefix and "/" as the
 * delimiter; no other users' or shared namespaces.
 */
import { SEPARATOR } from '../../../store/names.js';
import { ok, type CommandSpec } from '../context.js';

export const namespace = {
  name: 'NAMESPACE',
  states: ['authenticated', 'selected'],
  async run(ctx) {
    ctx.send({ kind: 'NAMESPACE', personal: [{ prefix: '', delimiter: SEPARATOR }], other: null, shared: null });
    return ok('NAMESPACE completed');
  },
} as const satisfies CommandSpec<'NAMESPACE'>;
