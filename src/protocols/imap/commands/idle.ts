import { bad, ok, type CommandSpec } from '../context.js';

/** RFC 2177: changes are told as they happen until the client sends DONE. */
export const idle = {
  name: 'IDLE',
  states: ['authenticated', 'selected'],
  async run(ctx) {
    ctx.send({ kind: 'continue', text: 'idling' });
    const stop = ctx.watch();
    try {
      const ev = await ctx.readLine('idle');
      return ev.type === 'idleDone' ? ok('IDLE terminated') : bad('Expected DONE');
    } finally {
      stop();
    }
  },
} as const satisfies CommandSpec<'IDLE'>;
