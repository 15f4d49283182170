/**
 * When a queued recipient is tried again (RFC 5321 §4.5.4.1: retry with growing intervals, give up
 * after 4-5 days): the n-th failure waits schedule[n-1] seconds, the last entry repeating.
 */

/** Milliseconds to wait after the `attempts`-th failed attempt (1 = the first failure). */
export function retryDelayMs(attempts: number, scheduleSeconds: readonly number[]): number {
  const i = Math.min(Math.max(attempts, 1), scheduleSeconds.length) - 1;
  return (scheduleSeconds[i] ?? 3600) * 1000;
}

/** Whether a message queued at `createdAt` has been retried for its whole lifetime at `now`. */
export function expired(createdAt: number, now: number, lifetimeSeconds: number): boolean {
  return now - createdAt >= lifetimeSeconds * 1000;
}

/** Whether the sender should now get a delay notice (once, after `afterSeconds` undelivered). */
export function delayNoticeDue(createdAt: number, now: number, afterSeconds: number, alreadySent: boolean): boolean {
  return !alreadySent && now - createdAt >= afterSeconds * 1000;
}
