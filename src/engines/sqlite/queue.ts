/**
 * The outbound queue and DKIM key rows (schema migration 6). Plain functions over a statement cache,
 * called by SqliteReads (reads) and SqliteWrites (inside the write transaction).
 */
import type { NewQueueRow, QueueDeferral } from '../../store/engine.js';
import type { DkimKey, QueueRow } from '../../store/types.js';
import type { StatementCache } from './connection.js';

interface QueueDbRow {
  id: number;
  blob: string;
  size: number;
  sender: string;
  recipient: string;
  domain: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  leased_until: number;
  lease_owner: string | null;
  delay_notified: number;
}

function toQueueRow(r: QueueDbRow): QueueRow {
  return {
    id: r.id, blob: r.blob, size: r.size, sender: r.sender, recipient: r.recipient, domain: r.domain, attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at, lastError: r.last_error, createdAt: r.created_at, leasedUntil: r.leased_until,
    leaseOwner: r.lease_owner, delayNotified: r.delay_notified !== 0,
  };
}

export function listQueue(s: StatementCache): QueueRow[] {
  return (s.get('SELECT * FROM outbound_queue ORDER BY id').all() as QueueDbRow[]).map(toQueueRow);
}

export function getQueueRow(s: StatementCache, id: number): QueueRow | null {
  const r = s.get('SELECT * FROM outbound_queue WHERE id = ?').get(id) as QueueDbRow | undefined;
  return r === undefined ? null : toQueueRow(r);
}

export function nextQueueAttempt(s: StatementCache): number | null {
  return s.get('SELECT min(max(next_attempt_at, leased_until)) FROM outbound_queue').pluck().get() as number | null;
}

export function insertQueueRows(s: StatementCache, rows: readonly NewQueueRow[]): number[] {
  const st = s.get(`INSERT INTO outbound_queue (blob, size, sender, recipient, domain, next_attempt_at, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  return rows.map((r) => Number(st.run(r.blob, r.size, r.sender, r.recipient, r.domain, r.nextAttemptAt, r.createdAt).lastInsertRowid));
}

export function claimQueueRows(s: StatementCache, now: number, owner: string, leasedUntil: number, limit: number): QueueRow[] {
  const rows = s.get(`UPDATE outbound_queue SET leased_until = ?, lease_owner = ?
    WHERE id IN (SELECT id FROM outbound_queue WHERE next_attempt_at <= ? AND leased_until <= ? ORDER BY next_attempt_at, id LIMIT ?)
    RETURNING *`).all(leasedUntil, owner, now, now, limit) as QueueDbRow[];
  return rows.map(toQueueRow).sort((a, b) => a.id - b.id);
}

/** Deletes the row if `owner` holds it; the caller releases the blob reference. */
export function deleteQueueRow(s: StatementCache, id: number, owner: string): QueueRow | null {
  const r = s.get('DELETE FROM outbound_queue WHERE id = ? AND lease_owner = ? RETURNING *').get(id, owner) as QueueDbRow | undefined;
  return r === undefined ? null : toQueueRow(r);
}

export function deferQueueRow(s: StatementCache, id: number, owner: string, d: QueueDeferral): boolean {
  return s.get(`UPDATE outbound_queue SET attempts = ?, next_attempt_at = ?, last_error = ?, delay_notified = ?,
    leased_until = 0, lease_owner = NULL WHERE id = ? AND lease_owner = ?`)
    .run(d.attempts, d.nextAttemptAt, d.lastError, d.delayNotified ? 1 : 0, id, owner).changes > 0;
}

export function releaseQueueLeases(s: StatementCache, owner: string): number {
  return s.get('UPDATE outbound_queue SET leased_until = 0, lease_owner = NULL WHERE lease_owner = ?').run(owner).changes;
}

interface DkimDbRow {
  domain: string;
  selector: string;
  algorithm: string;
  private_key: string;
  public_key: string;
  created_at: number;
}

export function getDkimKey(s: StatementCache, domain: string): DkimKey | null {
  const r = s.get('SELECT * FROM dkim_keys WHERE domain = ?').get(domain) as DkimDbRow | undefined;
  return r === undefined ? null : {
    domain: r.domain, selector: r.selector, algorithm: r.algorithm, privateKey: r.private_key, publicKey: r.public_key, createdAt: r.created_at,
  };
}

export function insertDkimKey(s: StatementCache, k: DkimKey): void {
  s.get(`INSERT OR IGNORE INTO dkim_keys (domain, selector, algorithm, private_key, public_key, created_at)
    VALUES (?, ?, ?, ?, ?, ?)`).run(k.domain, k.selector, k.algorithm, k.privateKey, k.publicKey, k.createdAt);
}
