import { describe, expect, it } from 'vitest';
import type { QueueRow } from '../../store/types.js';
import { groupRows } from './worker.js';

function row(id: number, blob: string, domain: string, sender = 'a@a.test'): QueueRow {
  return {
    id, blob, size: 1, sender, recipient: `r${id}@${domain}`, domain, attempts: 0, nextAttemptAt: 0, lastError: null, createdAt: 0,
    leasedUntil: 0, leaseOwner: 'n', delayNotified: false,
  };
}

describe('groupRows', () => {
  it('puts the recipients of one message at one domain into one transaction, at most `max` each', () => {
    const rows = [row(1, 'm1', 'b.test'), row(2, 'm1', 'c.test'), row(3, 'm1', 'b.test'), row(4, 'm2', 'b.test'), row(5, 'm1', 'b.test', '')];
    expect(groupRows(rows).map((g) => g.map((r) => r.id))).toEqual([[1, 3], [2], [4], [5]]);
    expect(groupRows([row(1, 'm', 'b'), row(2, 'm', 'b'), row(3, 'm', 'b')], 2).map((g) => g.map((r) => r.id))).toEqual([[1, 2], [3]]);
  });
});
