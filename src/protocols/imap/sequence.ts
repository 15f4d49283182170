/** Resolving a command's sequence set (message numbers, UIDs or `$`) to UID ranges of the selected view. */
import type { UidRanges } from '../../store/search.js';
import type { SessionContext } from './context.js';
import type { SequenceSet } from './wire/index.js';

/** Compresses ascending UIDs into ranges. */
export function uidsToRanges(uids: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const u of uids) {
    const last = out[out.length - 1];
    if (last !== undefined && u === last[1] + 1) last[1] = u;
    else out.push([u, u]);
  }
  return out;
}

/** A command named a message number the client has not been told exists; the session answers BAD. */
export class InvalidMessageNumber extends Error {
  constructor(readonly n: number, readonly exists: number) {
    super(`Invalid message number ${n}: there are ${exists} messages`);
  }
}

/**
 * RFC 9051 §9 seq-number: "The server should respond with a tagged BAD response to a command that uses
 * a message sequence number greater than the number of messages". A range ending in `*` is let
 * through (`n:*` is "from n to the last", and `1:*` on an empty mailbox is common in scripts).
 */
export function checkMessageNumbers(set: SequenceSet, exists: number): void {
  if (set.kind !== 'set') return;
  for (const r of set.ranges) {
    if (r.start === '*' || r.end === '*') continue;
    const hi = Math.max(r.start, r.end);
    if (hi > exists) throw new InvalidMessageNumber(hi, exists);
  }
}

/**
 * RFC 5182 §2.1: `$` is the saved result (UIDs); otherwise the set as message numbers or UIDs.
 * `strict` false: message numbers past the end select nothing instead of failing (SEARCH keys).
 */
export function resolveSet(ctx: SessionContext, set: SequenceSet, uid: boolean, strict = true): UidRanges {
  const sel = ctx.selected!;
  if (set.kind === 'saved') {
    const saved = ctx.savedSearch ?? [];
    return uidsToRanges(saved.filter((u) => sel.uids.seqOf(u) > 0));
  }
  if (!uid && strict) checkMessageNumbers(set, sel.exists);
  return sel.ranges(set, uid);
}

/** The UIDs of the view inside the ranges, ascending, cut into chunks of at most `size`. */
export function* uidChunks(ctx: SessionContext, ranges: UidRanges, size: number): Generator<number[]> {
  const sel = ctx.selected!;
  const sorted = [...ranges].map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const).sort((x, y) => x[0] - y[0]);
  let chunk: number[] = [];
  let last = 0;
  for (const [a, b] of sorted) {
    for (const u of sel.uids.between(Math.max(a, last + 1), b)) {
      chunk.push(u);
      last = u;
      if (chunk.length >= size) {
        yield chunk;
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}
