/**
 * The DATA phase shared by every port: reading the message (bounded by SIZE), refusing bare line
 * endings and smuggling patterns, building the Received header, and delivering into the store with
 * the reply the client gets (250 only once every copy is durable).
 */
import type { Readable } from 'node:stream';
import type { SMTPServerSession } from 'smtp-server';
import { DeliveryError, deliverLocal, type Folder } from '../../delivery/local.js';
import { receivedHeader } from '../../delivery/received.js';
import { findLineEndingProblem, lineEndingMessage } from '../../delivery/smuggling.js';
import { LIMITS } from '../../shared/limits.js';
import type { Account } from '../../store/types.js';
import type { SmtpContext } from './context.js';
import { smtpError, type SmtpReplyError } from './reply.js';

/** The message bytes, or null when it is larger than SIZE (smtp-server then answers 552 5.3.4). */
export function readMessage(stream: Readable, maxBytes: number = LIMITS.smtp.messageBytes): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else chunks.length = 0;
    });
    stream.once('end', () => resolve(size > maxBytes ? null : Buffer.concat(chunks, size)));
    stream.on('error', reject);
  });
}

/** The reply for a message whose line endings are not all CRLF, or null when they are. */
export function lineEndingError(raw: Buffer): SmtpReplyError | null {
  const problem = findLineEndingProblem(raw);
  return problem === null ? null : smtpError(554, lineEndingMessage(problem));
}

/** Our Received header for this session's current transaction. */
export function receivedFor(ctx: SmtpContext, session: SMTPServerSession, authenticated: boolean): string {
  const rcpts = session.envelope.rcptTo;
  const cipher = session.tlsOptions === false ? undefined : `${session.tlsOptions.version}:${session.tlsOptions.name}`;
  const helo = typeof session.hostNameAppearsAs === 'string' ? session.hostNameAppearsAs : '';
  const rdns = typeof session.clientHostname === 'string' && !session.clientHostname.startsWith('[') ? session.clientHostname : undefined;
  return receivedHeader({
    helo, ip: session.remoteAddress, clientHostname: rdns, by: ctx.hostname,
    esmtp: session.openingCommand !== 'HELO', tls: session.secure, authenticated,
    utf8: session.envelope.smtpUtf8 === true, id: session.id,
    recipient: rcpts.length === 1 ? rcpts[0]?.address : undefined, date: new Date(), cipher,
  });
}

/** Delivers to the accounts; the success text, or the SMTP error to answer (RFC 3463 codes). */
export async function deliver(ctx: SmtpContext, session: SMTPServerSession, accounts: readonly Account[],
  message: Buffer, folder: Folder): Promise<SmtpReplyError | null> {
  try {
    await deliverLocal(ctx.store, accounts, message, folder);
    ctx.logger.info('delivered', { session: session.id, recipients: accounts.length, bytes: message.length, folder });
    return null;
  } catch (err) {
    ctx.logger.warn('delivery failed', { session: session.id, error: err });
    if (err instanceof DeliveryError && err.reason === 'overquota') return smtpError(452, '4.2.2 Mailbox full, try again later');
    return smtpError(451, '4.3.0 Local delivery failed, try again later');
  }
}

/** An error thrown inside a handler, answered as a temporary failure (never a crash). */
export function internalError(ctx: SmtpContext, session: SMTPServerSession, err: unknown): SmtpReplyError {
  ctx.logger.error('smtp handler failed', { session: session.id, error: err });
  return smtpError(451, '4.3.0 Internal error, try again later');
}
