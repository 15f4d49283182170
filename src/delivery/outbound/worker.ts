/**
 * The delivery worker of one server process: claims due queue rows with a lease, groups them into
 * transactions (one message, one domain, up to LIMITS.outbound.recipientsPerTransaction recipients),
 * and runs up to LIMITS.outbound.concurrentDeliveries of them at once. It wakes on a kick (something
 * was queued) or every LIMITS.outbound.pollMs. On start it takes back the leases it held before a
 * restart (the owner name is the node's host name).
 */
import { LIMITS } from '../../shared/limits.js';
import type { QueueRow } from '../../store/types.js';
import { attemptDelivery, type AttemptContext } from './attempt.js';

/** Rows that go out in one SMTP transaction: same message bytes, sender and domain. */
export function groupRows(rows: readonly QueueRow[], max: number = LIMITS.outbound.recipientsPerTransaction): QueueRow[][] {
  const groups = new Map<string, QueueRow[][]>();
  for (const row of rows) {
    const key = `${row.blob}\0${row.sender}\0${row.domain}`;
    const list = groups.get(key) ?? [];
    const last = list[list.length - 1];
    if (last !== undefined && last.length < max) last.push(row);
    else list.push([row]);
    groups.set(key, list);
  }
  return [...groups.values()].flat();
}

export class OutboundWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** When the next row is due (as last read), or null for an empty queue. */
  private nextDue: number | null = null;
  /** Claimed groups waiting for a free delivery lane. */
  private waiting: QueueRow[][] = [];
  /** Deliveries under way (a slow server holds one lane; the others go on). */
  private readonly active = new Set<Promise<void>>();

  constructor(private readonly ctx: AttemptContext) {}

  async start(): Promise<void> {
    const released = await this.ctx.store.releaseQueueLeases(this.ctx.owner);
    if (released > 0) this.ctx.logger.info('outbound queue: took back rows leased before a restart', { rows: released });
    this.kick();
  }

  /** Looks for due rows now (after the current round, if one runs). */
  kick(): void {
    if (this.stopped) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.round().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      } else {
        this.schedule();
      }
    });
  }

  /** Sleeps until the next row is due, at most LIMITS.outbound.pollMs (other nodes may queue rows too). */
  private schedule(): void {
    if (this.stopped) return;
    const wait = this.nextDue === null ? LIMITS.outbound.pollMs : Math.min(LIMITS.outbound.pollMs, Math.max(50, this.nextDue - this.ctx.now()));
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }

  /** Fills the free lanes: from the claimed groups first, then by claiming more due rows. */
  private async round(): Promise<void> {
    while (!this.stopped && this.active.size < LIMITS.outbound.concurrentDeliveries) {
      const group = this.waiting.shift();
      if (group !== undefined) {
        this.launch(group);
        continue;
      }
      try {
        // A read first: an idle queue costs no write transaction (and no fsync) per poll.
        this.nextDue = await this.ctx.store.engine.nextQueueAttempt();
        if (this.nextDue === null || this.nextDue > this.ctx.now()) return;
        const rows = await this.ctx.store.claimQueue(this.ctx.owner, LIMITS.outbound.claimRows, LIMITS.outbound.leaseMs);
        if (rows.length === 0) return;
        this.waiting.push(...groupRows(rows));
      } catch (err) {
        this.ctx.logger.error('outbound queue: claim failed', { error: err });
        return;
      }
    }
  }

  private launch(group: QueueRow[]): void {
    const run = attemptDelivery(this.ctx, group).catch((err: unknown) => {
      // Its rows stay leased and come back when the lease runs out (or at the next start).
      this.ctx.logger.error('outbound delivery attempt failed', { ids: group.map((r) => r.id).join(','), error: err });
    }).finally(() => {
      this.active.delete(run);
      this.kick();
    });
    this.active.add(run);
  }

  /** Stops claiming; waits up to `graceMs` for deliveries under way (their rows return at the next start). */
  async stop(graceMs: number = LIMITS.smtp.closeGraceMs): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const pending = [...this.active, ...(this.running !== null ? [this.running] : [])];
    if (pending.length === 0) return;
    let t: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(pending), new Promise<void>((ok) => (t = setTimeout(ok, graceMs)))]);
    clearTimeout(t);
  }
}
