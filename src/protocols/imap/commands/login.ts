import { no, ok, type CommandResult, type SessionContext, type CommandSpec } from '../context.js';

/** Shared by LOGIN and AUTHENTICATE: verify, then enter the authenticated state. */
export async function completeLogin(ctx: SessionContext, username: string, password: string): Promise<CommandResult> {
  const r = await ctx.auth.login(username, password, ctx.remoteAddress);
  if (!r.ok) {
    return r.reason === 'disabled'
      ? no('Account disabled', { code: 'CONTACTADMIN' })
      : no('Invalid credentials', { code: 'AUTHENTICATIONFAILED' });
  }
  ctx.loggedIn(r.account);
  // RFC 9051 §7.1: a CAPABILITY code in the OK saves the client a round trip.
  return ok('Logged in', { code: 'CAPABILITY', capabilities: ctx.capabilities() });
}

/** RFC 9051 §6.2.3 */
export const login = {
  name: 'LOGIN',
  states: ['notAuthenticated'],
  async run(ctx, cmd) {
    if (!ctx.loginAllowed()) return no('Plaintext login is disabled: use STARTTLS or port 993', { code: 'PRIVACYREQUIRED' });
    return completeLogin(ctx, cmd.username, cmd.password);
  },
} as const satisfies CommandSpec<'LOGIN'>;
