/**
 * Ports 587 and 465, mail from our users (RFC 6409): AUTH PLAIN/LOGIN through the Authenticator,
 * then a user may send only as one of their own addresses (the account, its +tags, aliases that
 * reach it) in both MAIL FROM and From:, and at most LIMITS.smtp.submissionsPerUserPerHour messages
 * an hour. Local recipients are delivered at once and remote ones queued (src/delivery/outbound), all
 * durable before the 250.
 */
import type { SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import { maySendAs } from '../../delivery/recipients.js';
import type { Account } from '../../store/types.js';
import { recipientsOf, remotesOf, setUser, userOf, type SmtpContext } from './context.js';
import { withoutOwnAuthResults } from '../../delivery/auth-results.js';
import { deliver, envelopeSender, internalError, lineEndingError, readMessage, receivedFor } from './data.js';
import { fromHeader } from './from-header.js';
import { rcptHandler } from './recipient-reply.js';
import { isSmtpReply, smtpError, type SmtpReplyError } from './reply.js';

type Handlers = Pick<SMTPServerOptions, 'onAuth' | 'onMailFrom' | 'onRcptTo' | 'onData'>;

function requireUser(session: SMTPServerSession): Account {
  const account = userOf(session);
  if (account === undefined) throw smtpError(530, '5.7.0 Authentication required');
  return account;
}

function rateError(ctx: SmtpContext, account: Account): SmtpReplyError | null {
  return ctx.limiter.allows(account.id) ? null
    : smtpError(450, `4.7.1 Too many messages: at most ${ctx.limiter.limit} an hour, try again later`);
}

/** The sender checks of DATA: exactly one From: field, every address in it the user's own. */
async function checkFrom(ctx: SmtpContext, account: Account, raw: Buffer): Promise<SmtpReplyError | null> {
  const from = fromHeader(raw);
  // RFC 5322 §3.6: exactly one From: field.
  if (from.fields !== 1 || from.addresses.length === 0) return smtpError(550, '5.7.1 The message needs exactly one From: header field');
  for (const address of from.addresses) {
    if (!(await maySendAs(ctx.store, account, address))) return smtpError(550, `5.7.1 From: <${address.slice(0, 100)}> is not one of your addresses`);
  }
  return null;
}

export function submissionHandlers(ctx: SmtpContext): Handlers {
  return {
    onAuth(auth, session, callback) {
      const username = auth.username ?? '';
      // RFC 4616 §2: an authorization identity other than the user's own is not supported.
      if (auth.authzid !== undefined && auth.authzid !== '' && auth.authzid !== username) {
        callback(null, { responseCode: 535, message: '5.7.8 Authentication credentials invalid' });
        return;
      }
      ctx.auth.login(username, auth.password ?? '', session.remoteAddress).then((r) => {
        if (!r.ok) {
          const text = r.reason === 'disabled' ? '5.7.8 Account disabled' : '5.7.8 Authentication credentials invalid';
          callback(null, { responseCode: 535, message: text });
          return;
        }
        setUser(session, r.account);
        callback(null, { user: r.account.address });
      }, (err: unknown) => callback(internalError(ctx, session, err)));
    },

    onMailFrom(address, session, callback) {
      const run = async (): Promise<SmtpReplyError | null> => {
        const account = requireUser(session);
        if (address.address === '') return smtpError(550, '5.7.1 The null sender is not allowed on submission');
        if (!(await maySendAs(ctx.store, account, address.address))) {
          return smtpError(550, `5.7.1 <${address.address.slice(0, 100)}> is not one of your addresses`);
        }
        return rateError(ctx, account);
      };
      run().then(callback, (err: unknown) => callback(isSmtpReply(err) ? err : internalError(ctx, session, err)));
    },

    onRcptTo: rcptHandler(ctx, 'submission'),

    onData(stream, session, callback) {
      const accounts = recipientsOf(session);
      const remotes = remotesOf(session);
      const run = async (): Promise<string> => {
        const raw = await readMessage(stream);
        if (raw === null) throw smtpError(552, '5.3.4 Message too big');
        const account = requireUser(session);
        const bad = lineEndingError(raw) ?? (await checkFrom(ctx, account, raw)) ?? rateError(ctx, account);
        if (bad !== null) throw bad;
        // RFC 8601 §2.7.4: the "auth" method records the SMTP AUTH identity.
        const ar = `Authentication-Results: ${ctx.hostname}; auth=pass smtp.auth=${account.address}\r\n`;
        const message = Buffer.concat([Buffer.from(ar + receivedFor(ctx, session, true), 'utf8'), withoutOwnAuthResults(raw, ctx.hostname)]);
        const failed = await deliver(ctx, session, { accounts, remotes, sender: envelopeSender(session) }, message, 'inbox');
        if (failed !== null) throw failed;
        ctx.limiter.record(account.id);
        return `Message accepted as ${session.id}`;
      };
      run().then((text) => callback(null, text), (err: unknown) => callback(isSmtpReply(err) ? err : internalError(ctx, session, err)));
    },
  };
}
