/**
 * RCPT TO answers from a resolved recipient (delivery/recipients.ts). Roost never relays: a domain
 * that is not local is refused on port 25 (RFC 5321 §3.6.2: no open relay) and queued for delivery
 * on submission; a local alias that forwards to another domain is queued on both.
 */
import type { SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import { resolveRecipient, type Recipient } from '../../delivery/recipients.js';
import { recipientsOf, remotesOf, type SmtpContext } from './context.js';
import { internalError } from './data.js';
import { smtpError, type SmtpReplyError } from './reply.js';

export type Port = 'mx' | 'submission';

export function rcptError(r: Recipient, address: string, port: Port): SmtpReplyError | null {
  const shown = address.length > 100 ? address.slice(0, 100) + '…' : address;
  switch (r.kind) {
    case 'local':
      return null;
    case 'unknown':
      return smtpError(550, `5.1.1 <${shown}>: no such user here`);
    case 'invalid':
      return smtpError(501, `5.1.3 <${shown}>: not a valid address`);
    case 'remote':
      return port === 'mx' ? smtpError(550, `5.7.1 <${shown}>: relay access denied`) : null;
    case 'forward':
      return null;
  }
}

/** Answers RCPT TO and, when accepted, adds the recipient to the transaction (local account or queue). */
export function acceptRecipient(session: SMTPServerSession, r: Recipient, address: string, port: Port): SmtpReplyError | null {
  const err = rcptError(r, address, port);
  if (err !== null) return err;
  if (r.kind === 'local') recipientsOf(session).push(r.account);
  else if (r.kind === 'remote') remotesOf(session).push(address);
  else if (r.kind === 'forward') remotesOf(session).push(r.target);
  return null;
}

/** The onRcptTo handler of a port: resolve the address, then answer as acceptRecipient says. */
export function rcptHandler(ctx: SmtpContext, port: Port): NonNullable<SMTPServerOptions['onRcptTo']> {
  return (address, session, callback) => {
    resolveRecipient(ctx.store, address.address).then((r) => {
      callback(acceptRecipient(session, r, address.address, port));
    }, (err: unknown) => callback(internalError(ctx, session, err)));
  };
}
