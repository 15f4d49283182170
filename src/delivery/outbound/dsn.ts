/**
 * Delivery status notifications (RFC 3464): a multipart/report (RFC 6522) with a human part, a
 * message/delivery-status part (one per-recipient block: Final-Recipient, Action, Status,
 * Diagnostic-Code) and the original message's header (text/rfc822-headers). Sent from the null
 * sender, so a bounce is never bounced back (RFC 5321 §4.5.5), and marked Auto-Submitted (RFC 3834).
 */
import { randomBytes } from 'node:crypto';
import { LIMITS } from '../../shared/limits.js';
import { rfc5322Date } from '../received.js';

export interface DsnRecipient {
  recipient: string;
  /** RFC 3463 status, like "5.1.1". */
  status: string;
  /** The remote server's reply when there was one (becomes "Diagnostic-Code: smtp; …"). */
  smtpReply: string | null;
  /** What went wrong, in words, for the human part. */
  text: string;
  remoteMta: string | null;
}

export interface DsnInput {
  /** Our host name: Reporting-MTA and the From: address's domain. */
  reportingMta: string;
  /** Whom the report goes to (the original envelope sender). */
  to: string;
  action: 'failed' | 'delayed';
  original: Buffer;
  arrivalDate: Date;
  recipients: readonly DsnRecipient[];
  /** For a delay notice: when Roost stops trying. */
  willRetryUntil?: Date;
  now: Date;
}

/** The RFC 3463 code of a reply ("550 5.1.1 No such user" → "5.1.1"), else one from its class. */
export function statusOf(reply: string, permanent: boolean): string {
  const m = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply);
  if (m?.[1] !== undefined) return m[1];
  return permanent ? '5.0.0' : '4.0.0';
}

/** The original header (through the empty line), bounded. */
export function originalHeader(raw: Buffer): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  const header = end < 0 ? raw : raw.subarray(0, end + 2);
  return header.subarray(0, LIMITS.outbound.bounceHeaderBytes);
}

/** Characters a DSN field may carry (RFC 3464 fields are US-ASCII text, one line). */
function field(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[^\x20-\x7e]/g, '?').slice(0, LIMITS.outbound.errorChars);
}

function recipientBlock(r: DsnRecipient, input: DsnInput): string {
  const lines = [`Final-Recipient: rfc822; ${field(r.recipient)}`, `Action: ${input.action}`, `Status: ${r.status}`];
  if (r.remoteMta !== null) lines.push(`Remote-MTA: dns; ${field(r.remoteMta)}`);
  if (r.smtpReply !== null) lines.push(`Diagnostic-Code: smtp; ${field(r.smtpReply)}`);
  lines.push(`Last-Attempt-Date: ${rfc5322Date(input.now)}`);
  if (input.willRetryUntil !== undefined) lines.push(`Will-Retry-Until: ${rfc5322Date(input.willRetryUntil)}`);
  return lines.join('\r\n') + '\r\n';
}

function humanPart(input: DsnInput): string {
  const intro = input.action === 'failed'
    ? 'Your message could not be delivered to one or more recipients. It has been returned below (its header only).'
    : 'Your message has not been delivered yet. The server keeps trying; you do not need to send it again.';
  const details = input.recipients.map((r) => `  <${field(r.recipient)}>: ${field(r.text)}`).join('\r\n');
  return `This is the mail system at ${input.reportingMta}.\r\n\r\n${intro}\r\n\r\n${details}\r\n`;
}

/** The whole report message, CRLF line endings. */
export function buildDsn(input: DsnInput): Buffer {
  const boundary = `roost-dsn-${randomBytes(12).toString('hex')}`;
  const subject = input.action === 'failed' ? 'Undelivered Mail Returned to Sender' : 'Delayed Mail (still being retried)';
  const head = [
    `From: Mail Delivery System <MAILER-DAEMON@${input.reportingMta}>`,
    `To: <${field(input.to)}>`,
    `Subject: ${subject}`,
    `Date: ${rfc5322Date(input.now)}`,
    `Message-ID: <${randomBytes(12).toString('hex')}@${input.reportingMta}>`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
  ].join('\r\n');
  const status = `Reporting-MTA: dns; ${input.reportingMta}\r\nArrival-Date: ${rfc5322Date(input.arrivalDate)}\r\n\r\n` +
    input.recipients.map((r) => recipientBlock(r, input)).join('\r\n');
  const text = `${head}\r\n\r\n` +
    `--${boundary}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n${humanPart(input)}\r\n` +
    `--${boundary}\r\nContent-Type: message/delivery-status\r\n\r\n${status}\r\n` +
    `--${boundary}\r\nContent-Type: text/rfc822-headers\r\n\r\n`;
  const header = originalHeader(input.original);
  return Buffer.concat([Buffer.from(text, 'utf8'), header, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]);
}
