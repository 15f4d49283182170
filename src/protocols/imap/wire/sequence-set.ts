/**
 * IMAP sequence sets (RFC 9051 §9 "sequence-set", RFC 5182 "$").
 *
 * A parsed set keeps its ranges exactly as the client sent them, with `*` and `$` unexpanded:
 * `*` means "the largest number in use" and is only known to the handler (message count for
 * sequence numbers, the last UID for UIDs, RFC 9051 §9 "seq-number"), and `$` is the saved
 * SEARCH result of the session (RFC 5182). The helpers below resolve a set against that value.
 */

/** One end of a range: a number, or `*` (the largest number in use). */
export type SeqNumber = number | '*';

/** `start:end` in either order (RFC 9051: 2:4 and 4:2 are equivalent); a single number has start === end. */
export interface SeqRange {
  readonly start: SeqNumber;
  readonly end: SeqNumber;
}

export type SequenceSet =
  | { readonly kind: 'set'; readonly ranges: readonly SeqRange[] }
  /** RFC 5182 `$`: the result of the last SEARCH ... RETURN (SAVE). */
  | { readonly kind: 'saved' };

/** A closed interval [lo, hi] of numbers, lo <= hi. */
export type Interval = readonly [number, number];

const MAX_UINT32 = 0xffffffff;

/**
 * Parse the text of a sequence set (the token only, e.g. "1:3,5,7:*" or "$"). Returns null when the
 * text is not a valid sequence-set: zero, numbers above 2^32-1, empty elements, `$` combined with
 * anything else (RFC 5182 defines `$` as a whole sequence-set).
 */
export function parseSequenceSet(text: string): SequenceSet | null {
  if (text === '$') return { kind: 'saved' };
  const ranges: SeqRange[] = [];
  let i = 0;
  const n = text.length;
  while (i <= n) {
    const a = readSeqNumber(text, i);
    if (a === null) return null;
    i = a.next;
    let b = a;
    if (i < n && text.charCodeAt(i) === 0x3a /* : */) {
      const c = readSeqNumber(text, i + 1);
      if (c === null) return null;
      b = c;
      i = c.next;
    }
    ranges.push({ start: a.value, end: b.value });
    if (i === n) return { kind: 'set', ranges };
    if (text.charCodeAt(i) !== 0x2c /* , */) return null;
    i++;
  }
  return null;
}

function readSeqNumber(text: string, i: number): { value: SeqNumber; next: number } | null {
  if (i >= text.length) return null;
  if (text.charCodeAt(i) === 0x2a /* * */) return { value: '*', next: i + 1 };
  let v = 0;
  let j = i;
  for (; j < text.length; j++) {
    const c = text.charCodeAt(j) - 0x30;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
    if (v > MAX_UINT32) return null;
  }
  // nz-number: at least one digit, no leading zero (RFC 9051 "digit-nz *DIGIT").
  if (j === i || v === 0 || text.charCodeAt(i) === 0x30) return null;
  return { value: v, next: j };
}

/** The wire form of a set, exactly as parsed (no reordering or merging). */
export function formatSequenceSet(set: SequenceSet): string {
  if (set.kind === 'saved') return '$';
  let out = '';
  for (let i = 0; i < set.ranges.length; i++) {
    const r = set.ranges[i]!;
    if (i > 0) out += ',';
    out += r.start === r.end ? String(r.start) : `${r.start}:${r.end}`;
  }
  return out;
}

/** True when the set uses `*` anywhere. */
export function usesStar(set: SequenceSet): boolean {
  return set.kind === 'set' && set.ranges.some((r) => r.start === '*' || r.end === '*');
}

/** The largest explicit number in the set (ignoring `*`), 0 if none; for "number out of range" checks. */
export function maxExplicitNumber(set: SequenceSet): number {
  if (set.kind === 'saved') return 0;
  let m = 0;
  for (const r of set.ranges) {
    if (r.start !== '*' && r.start > m) m = r.start;
    if (r.end !== '*' && r.end > m) m = r.end;
  }
  return m;
}

/**
 * Sorted, merged intervals of the set, with `*` resolved to `max` and everything clipped to [1, max].
 * For sequence numbers pass the message count; for UIDs the highest UID in the mailbox (RFC 9051 §9:
 * "3291:*" includes the last UID even when it is below 3291, which clipping preserves).
 * `$` must be resolved by the caller first (throws).
 */
export function seqSetIntervals(set: SequenceSet, max: number): Interval[] {
  if (set.kind === 'saved') throw new Error('seqSetIntervals: resolve "$" before use');
  const raw: [number, number][] = [];
  for (const r of set.ranges) {
    const a = r.start === '*' ? max : r.start;
    const b = r.end === '*' ? max : r.end;
    const lo = Math.max(1, Math.min(a, b));
    const hi = Math.min(max, Math.max(a, b));
    if (lo <= hi) raw.push([lo, hi]);
  }
  if (raw.length <= 1) return raw;
  raw.sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [raw[0]!];
  for (let i = 1; i < raw.length; i++) {
    const cur = raw[i]!;
    const last = out[out.length - 1]!;
    if (cur[0] <= last[1] + 1) {
      if (cur[1] > last[1]) last[1] = cur[1];
    } else out.push(cur);
  }
  return out;
}

/** True when n is in the set, `*` meaning `max`. O(ranges); use seqSetMatcher for many lookups. */
export function seqSetContains(set: SequenceSet, n: number, max: number): boolean {
  if (set.kind === 'saved') throw new Error('seqSetContains: resolve "$" before use');
  if (n < 1 || n > max) return false;
  for (const r of set.ranges) {
    const a = r.start === '*' ? max : r.start;
    const b = r.end === '*' ? max : r.end;
    if (a <= b ? n >= a && n <= b : n >= b && n <= a) return true;
  }
  return false;
}

/** A membership test by binary search over the merged intervals. */
export function seqSetMatcher(set: SequenceSet, max: number): (n: number) => boolean {
  const iv = seqSetIntervals(set, max);
  return (n: number): boolean => {
    let lo = 0;
    let hi = iv.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [a, b] = iv[mid]!;
      if (n < a) hi = mid - 1;
      else if (n > b) lo = mid + 1;
      else return true;
    }
    return false;
  };
}

/** Every number of the set in ascending order without duplicates, `*` meaning `max`, clipped to [1, max]. */
export function* iterateSequenceSet(set: SequenceSet, max: number): Generator<number, void, undefined> {
  for (const [lo, hi] of seqSetIntervals(set, max)) {
    for (let n = lo; n <= hi; n++) yield n;
  }
}

/**
 * Compress a list of numbers into the shortest set text that keeps their order: ascending runs of
 * consecutive numbers become ranges ("1:3,5,9:10"). A sorted input gives the minimal form; order is
 * kept otherwise because COPYUID pairs source and destination UIDs by position (RFC 4315 §3).
 * Returns "" for an empty list.
 */
export function compressUids(nums: readonly number[]): string {
  let out = '';
  let i = 0;
  while (i < nums.length) {
    const start = nums[i]!;
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
    if (out.length > 0) out += ',';
    out += j === i ? String(start) : `${start}:${nums[j]!}`;
    i = j + 1;
  }
  return out;
}

/** A structured set from a list of numbers (ranges as in compressUids). */
export function sequenceSetFromNumbers(nums: readonly number[]): SequenceSet {
  const ranges: SeqRange[] = [];
  let i = 0;
  while (i < nums.length) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
    ranges.push({ start: nums[i]!, end: nums[j]! });
    i = j + 1;
  }
  return { kind: 'set', ranges };
}
