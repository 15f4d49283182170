import { ok, type CommandSpec } from '../context.js';

/** Extensions a client may ENABLE (RFC 5161); QRESYNC implies CONDSTORE (RFC 7162 §3.2.3). */
const ENABLEABLE = new Set(['CONDSTORE', 'QRESYNC', 'UTF8=ACCEPT', 'IMAP4REV2']);

/** RFC 5161 §3.1 */
export const enable = {
  name: 'ENABLE',
  states: ['authenticated', 'selected'],
  async run(ctx, cmd) {
    const wanted = cmd.capabilities.map((c) => c.toUpperCase()).filter((c) => ENABLEABLE.has(c));
    if (wanted.includes('QRESYNC') && !wanted.includes('CONDSTORE')) wanted.push('CONDSTORE');
    const added = ctx.enable(wanted);
    // Only what the client asked for is listed, and only what changed (RFC 5161 §3.1).
    const asked = new Set(cmd.capabilities.map((c) => c.toUpperCase()));
    ctx.send({ kind: 'ENABLED', capabilities: added.filter((c) => asked.has(c)).map((c) => (c === 'IMAP4REV2' ? 'IMAP4rev2' : c)) });
    return ok('ENABLE completed');
  },
} as const satisfies CommandSpec<'ENABLE'>;
