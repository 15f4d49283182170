import { bad, ok, type CommandSpec } from '../context.js';

/**
 * RFC 8437 UNAUTHENTICATE: back to the not-authenticated state on the same connection (TLS kept). The
 * session drops the selected mailbox (no expunge), its change subscription, ENABLEd extensions, CONDSTORE
 * and the SEARCHRES result (§4.1), so a LOGIN as someone else starts clean.
 *
 * With COMPRESS active, §4.1 would have both sides end their DEFLATE layer at the CRLF of the exchange;
 * we cannot tell where the client's compressed bytes end if it pipelines, so UNAUTHENTICATE is not
 * announced while compressing (capabilities.ts) and is answered BAD then (§3: BAD when not advertised).
 */
export const unauthenticate = {
  name: 'UNAUTHENTICATE',
  states: ['authenticated', 'selected'],
  async run(ctx) {
    if (ctx.compressed) return bad('UNAUTHENTICATE is not available while COMPRESS is active');
    ctx.loggedOut();
    return ok('Not authenticated any more', { code: 'CAPABILITY', capabilities: ctx.capabilities() });
  },
} as const satisfies CommandSpec<'UNAUTHENTICATE'>;
