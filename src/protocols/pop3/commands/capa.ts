import { capabilities } from '../capabilities.js';
import type { Pop3CommandSpec } from '../context.js';
import { okLine, textLines } from '../wire/response.js';

/** RFC 2449 §5 CAPA, in every state. */
export const capa = {
  name: 'CAPA',
  states: ['authorization', 'transaction'],
  run(ctx) {
    const caps = capabilities({
      secure: ctx.secure,
      loginAllowed: ctx.loginAllowed(),
      loginDelaySeconds: ctx.options.loginDelaySeconds,
      settings: ctx.drop?.settings ?? null,
    });
    return { line: okLine('Capability list follows'), body: textLines(caps) };
  },
} as const satisfies Pop3CommandSpec<'CAPA'>;
