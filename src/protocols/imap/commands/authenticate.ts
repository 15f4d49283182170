import { parseSaslMechanism, SaslExchange } from '../../../auth/sasl.js';
import { bad, no, type CommandSpec } from '../context.js';
import { completeLogin } from './login.js';

/** RFC 9051 §6.2.2 with SASL-IR (RFC 4959): PLAIN and LOGIN, only over TLS or from trusted addresses. */
export const authenticate = {
  name: 'AUTHENTICATE',
  states: ['notAuthenticated'],
  async run(ctx, cmd) {
    const mech = parseSaslMechanism(cmd.mechanism);
    if (mech === null) return no(`Unsupported mechanism ${cmd.mechanism}`, { code: 'CANNOT' });
    if (!ctx.loginAllowed()) return no('Plaintext authentication is disabled: use STARTTLS or port 993', { code: 'PRIVACYREQUIRED' });
    const sasl = new SaslExchange(mech);
    let step = sasl.start(cmd.initialResponse);
    for (;;) {
      if (step.kind === 'done') return completeLogin(ctx, step.username, step.password);
      if (step.kind === 'fail') return no(step.error, { code: 'AUTHENTICATIONFAILED' });
      ctx.send({ kind: 'continue', base64: Buffer.from(step.challenge, 'base64') });
      const ev = await ctx.readLine('authenticate');
      if (ev.type === 'authCancel') return bad('AUTHENTICATE cancelled');
      if (ev.type !== 'authResponse') return bad('Invalid AUTHENTICATE response');
      step = sasl.respond(ev.data);
    }
  },
} as const satisfies CommandSpec<'AUTHENTICATE'>;
