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
  const helo = heloOf(session);
  const rdns = typeof session.clientHostname === 'string' && !session.clientHostname.startsWith('[') ? session.clientHostname : undefined;
  return receivedHeader({
    helo, ip: session.remoteAddress, clientHostname: rdns, by: ctx.hostname,
    esmtp: session.openingCommand !== 'HELO', tls: session.secure, authenticated,
    utf8: session.envelope.smtpUtf8 === true, id: session.id,
    recipient: rcpts.length === 1 ? rcpts[0]?.address : undefined, date: new Date(), cipher,
  });
}

/** The transaction's recipients: local accounts, and remote addresses for the outbound queue. */
export interface Recipients {
  accounts: readonly Account[];
  remotes: readonly string[];
  /** The envelope sender ("" for the null sender). */
  sender: string;
}

/** The name the client gave in EHLO/HELO ("" before it did). */
export function heloOf(session: SMTPServerSession): string {
  return typeof session.hostNameAppearsAs === 'string' ? session.hostNameAppearsAs : '';
}

export function envelopeSender(session: SMTPServerSession): string {
  return session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
}

/** Each address once (case-insensitively: the local part's case is kept as first given). */
function distinct(addresses: readonly string[]): string[] {
  const seen = new Set<string>();
  return addresses.filter((a) => (seen.has(a.toLowerCase()) ? false : (seen.add(a.toLowerCase()), true)));
}

/**
 * Delivers to the local accounts and queues the remote recipients; resolves null only once every
 * copy and every queue row is durable (DESIGN principle 8), else the SMTP error to answer (RFC 3463).
 */
export async function deliver(ctx: SmtpContext, session: SMTPServerSession, to: Recipients,
  message: Buffer, folder: Folder): Promise<SmtpReplyError | null> {
  try {
    if (to.accounts.length > 0) await deliverLocal(ctx.store, to.accounts, message, folder);
    const remotes = distinct(to.remotes);
    if (remotes.length > 0) {
      await ctx.store.enqueue(to.sender, remotes, message);
      ctx.onQueued();
    }
    ctx.logger.info('delivered', { session: session.id, recipients: to.accounts.length, queued: remotes.length, bytes: message.length, folder });
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
