/**
 * Ending a queued row badly, and telling its sender: a bounce (RFC 3464 Action: failed) when the
 * recipient refused for good or the queue lifetime ran out, a delay notice (Action: delayed) once
 * after a few hours. A local sender gets the report in their INBOX; a remote one gets it through the
 * queue (queued in the same transaction that ends the row). A row from the null sender is a bounce
 * itself: it is never bounced (RFC 5321 §4.5.5), only dropped and logged.
 */
import type { Logger } from '../../shared/logger.js';
import type { MailStore } from '../../store/store.js';
import type { QueueRow } from '../../store/types.js';
import { deliverLocal } from '../local.js';
import { resolveRecipient } from '../recipients.js';
import { buildDsn, statusOf } from './dsn.js';

export interface Failure {
  /** The remote server's reply, or null when none said anything (DNS, connection). */
  smtpReply: string | null;
  /** The reply or our own description, for logs and the human part. */
  text: string;
  permanent: boolean;
  remoteMta: string | null;
  /** RFC 3463 status when we know it better than the reply does (DNS failures). */
  status?: string;
}

export interface NotifyContext {
  store: MailStore;
  hostname: string;
  owner: string;
  logger: Logger;
  now: () => number;
}

type Target = { kind: 'local'; deliver: (raw: Buffer) => Promise<void> } | { kind: 'remote'; address: string } | { kind: 'none' };

/** Where a report to `sender` goes. */
async function reportTarget(ctx: NotifyContext, sender: string): Promise<Target> {
  if (sender === '') return { kind: 'none' };
  const r = await resolveRecipient(ctx.store, sender);
  if (r.kind === 'local') return { kind: 'local', deliver: (raw) => deliverLocal(ctx.store, [r.account], raw, 'inbox') };
  if (r.kind === 'remote') return { kind: 'remote', address: sender };
  if (r.kind === 'forward') return { kind: 'remote', address: r.target };
  return { kind: 'none' };
}

function report(ctx: NotifyContext, row: QueueRow, original: Buffer, f: Failure, action: 'failed' | 'delayed', until?: number): Buffer {
  return buildDsn({
    reportingMta: ctx.hostname, to: row.sender, action, original, arrivalDate: new Date(row.createdAt), now: new Date(ctx.now()),
    ...(until !== undefined ? { willRetryUntil: new Date(until) } : {}),
    recipients: [{
      recipient: row.recipient, status: f.status ?? statusOf(f.smtpReply ?? '', action === 'failed'), smtpReply: f.smtpReply,
      text: f.text, remoteMta: f.remoteMta,
    }],
  });
}

/** The row failed for good: bounce to its sender (unless it is a bounce), then end it. */
export async function failRow(ctx: NotifyContext, row: QueueRow, original: Buffer, f: Failure): Promise<void> {
  const target = await reportTarget(ctx, row.sender);
  ctx.logger.info('outbound delivery failed', { id: row.id, recipient: row.recipient, error: f.text, bounce: target.kind });
  if (target.kind === 'none') {
    await ctx.store.markFailed(row.id, ctx.owner, null);
    return;
  }
  const dsn = report(ctx, row, original, f, 'failed');
  if (target.kind === 'local') {
    // Into the INBOX first, then the row ends: a crash between them repeats the bounce, never loses it.
    await target.deliver(dsn);
    await ctx.store.markFailed(row.id, ctx.owner, null);
  } else {
    await ctx.store.markFailed(row.id, ctx.owner, { recipient: target.address, raw: dsn });
  }
}

/** The row is retried at `retryAt`; with `notice`, its sender hears once that it is delayed. */
export async function deferRow(ctx: NotifyContext, row: QueueRow, original: Buffer, f: Failure, retryAt: number,
  notice: { until: number } | null): Promise<void> {
  ctx.logger.info('outbound delivery deferred', { id: row.id, recipient: row.recipient, attempts: row.attempts + 1, error: f.text });
  const target = notice === null ? { kind: 'none' as const } : await reportTarget(ctx, row.sender);
  if (target.kind === 'none' || notice === null) {
    await ctx.store.markDeferred(row.id, ctx.owner, f.text, retryAt);
    return;
  }
  const dsn = report(ctx, row, original, f, 'delayed', notice.until);
  if (target.kind === 'local') {
    await target.deliver(dsn);
    await ctx.store.markDeferred(row.id, ctx.owner, f.text, retryAt, null, true);
  } else {
    await ctx.store.markDeferred(row.id, ctx.owner, f.text, retryAt, { recipient: target.address, raw: dsn });
  }
}
