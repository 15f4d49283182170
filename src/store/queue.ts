/**
 * The outbound queue (DESIGN: mail out → durable queue → MX delivery with retries → DSN). One row per
 * (message, recipient); the bytes are a blob with one reference per row, so a message to ten
 * recipients is stored once. Every operation is one write transaction: enqueue returns once the rows
 * and bytes are durable (the SMTP 250 waits for it), and a row is claimed with a lease so that
 * several nodes can share one queue.
 */
import { createHash } from 'node:crypto';
import { LIMITS } from '../shared/limits.js';
import { domainOf } from './address.js';
import type { WriteTx } from './engine.js';
import type { StoreContext } from './context.js';
import type { QueueRow } from './types.js';

/** A bounce (or delay notice) to queue for a remote sender in the same transaction that ends a row. */
export interface QueuedNotice {
  recipient: string;
  raw: Buffer;
}

/** Queues `raw` from `sender` to each recipient, due at once; the new row ids. */
export async function enqueue(ctx: StoreContext, sender: string, recipients: readonly string[], raw: Buffer): Promise<number[]> {
  if (recipients.length === 0) return [];
  const blob = createHash('sha256').update(raw).digest('hex');
  const now = ctx.now();
  return ctx.engine.write(async (tx) => {
    // One blob reference per row: each row's end (delivered, failed) releases its own.
    for (let i = 0; i < recipients.length; i++) await tx.putBlob(blob, raw);
    return tx.insertQueueRows(recipients.map((recipient) => ({
      blob, size: raw.length, sender, recipient, domain: domainOf(recipient), nextAttemptAt: now, createdAt: now,
    })));
  });
}

/** Leases up to `limit` due rows to `owner` for `leaseMs`. */
export function claimQueue(ctx: StoreContext, owner: string, limit: number, leaseMs: number): Promise<QueueRow[]> {
  const now = ctx.now();
  return ctx.engine.write((tx) => tx.claimQueueRows(now, owner, now + leaseMs, limit));
}

/** The row was delivered: it goes, with its blob reference. False when `owner` no longer held it. */
export function markDelivered(ctx: StoreContext, id: number, owner: string): Promise<boolean> {
  return ctx.engine.write(async (tx) => (await tx.deleteQueueRow(id, owner)) !== null);
}

/**
 * A temporary failure: one more attempt counted, the next one at `retryAt`, the lease ended. With a
 * `notice` (a delay DSN to a remote sender), that is queued in the same transaction; `notified` records
 * a notice delivered some other way (into a local sender's INBOX).
 */
export function markDeferred(ctx: StoreContext, id: number, owner: string, error: string, retryAt: number,
  notice: QueuedNotice | null = null, notified = false): Promise<boolean> {
  return ctx.engine.write(async (tx) => {
    const row = await tx.getQueueRow(id);
    if (row === null || row.leaseOwner !== owner) return false;
    await queueNotice(tx, ctx.now(), notice);
    return tx.deferQueueRow(id, owner, {
      attempts: row.attempts + 1, nextAttemptAt: retryAt, lastError: error.slice(0, LIMITS.outbound.errorChars), delayNotified: row.delayNotified || notice !== null || notified,
    });
  });
}

/**
 * A permanent failure (or the queue lifetime ran out): the row goes, and the bounce for a remote
 * sender is queued in the same transaction, so the failure is never lost nor reported twice.
 * (A bounce to a local sender is delivered into their INBOX by the caller before this.)
 */
export function markFailed(ctx: StoreContext, id: number, owner: string, bounce: QueuedNotice | null): Promise<boolean> {
  return ctx.engine.write(async (tx) => {
    const row = await tx.deleteQueueRow(id, owner);
    if (row === null) return false;
    await queueNotice(tx, ctx.now(), bounce);
    return true;
  });
}


/** Queues a notice from the null sender (RFC 5321 §4.5.5: a bounce is never bounced). */
async function queueNotice(tx: WriteTx, now: number, notice: QueuedNotice | null): Promise<void> {
  if (notice === null) return;
  const blob = createHash('sha256').update(notice.raw).digest('hex');
  await tx.putBlob(blob, notice.raw);
  await tx.insertQueueRows([{
    blob, size: notice.raw.length, sender: '', recipient: notice.recipient, domain: domainOf(notice.recipient),
    nextAttemptAt: now, createdAt: now,
  }]);
}
