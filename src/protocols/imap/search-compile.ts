/**
 * IMAP SEARCH keys (wire/types.ts SearchKey) → the store's protocol-neutral Criterion (store/search.ts).
 * Pure: the session's view comes in through SearchScope (sequence sets, `$`) and the clock as `now`.
 *
 * Decisions where the RFCs leave room:
 * - RFC 9051 §6.4.4 compares dates "disregarding time and timezone". INTERNALDATE and SAVEDATE are kept
 *   as instants and FETCH reports them in +0000, so BEFORE/ON/SINCE and SAVED* compare their calendar
 *   day in UTC: ON 7-Feb-1994 is [1994-02-07T00:00Z, 1994-02-08T00:00Z). SENT* compare the day the
 *   Date: header names in its own zone ("Sun, 25 Mar 2007 00:30 +0200" is SENTON 25-Mar-2007, though
 *   it is the 24th in UTC); a message without a usable Date: header uses its INTERNALDATE.
 * - Roost keeps no \Recent flag (RFC 9051 dropped it): RECENT and NEW match nothing, OLD matches all.
 * - RFC 8514: every Roost mailbox keeps a save date, so SAVEDATESUPPORTED matches all messages.
 * - RFC 7162 §3.1.5: Roost keeps one modseq per message, so a MODSEQ entry name/type is ignored.
 */
import { mergeUidRanges, type Cmp, type Criterion, type UidRanges } from '../../store/search.js';
import { parseObjectId } from './object-ids.js';
import type { SearchDate, SearchKey, SequenceSet } from './wire/index.js';

/** What a search needs from the session. */
export interface SearchScope {
  /**
   * UID ranges of a sequence set within the session's view: message numbers (uid false) or UIDs,
   * `$` being the saved SEARCHRES result (RFC 5182). May throw for an invalid message number.
   */
  ranges(set: SequenceSet, uid: boolean): UidRanges;
  /** The server's clock in ms: OLDER/YOUNGER count back from it (RFC 5032 §2). */
  readonly now: number;
}

export interface CompiledSearch {
  /** What the store evaluates. */
  criterion: Criterion;
  /**
   * Top-level sequence sets (ANDed with everything else) kept out of the SQL: each match must lie in
   * every one of these range lists. The criterion already holds their bounding ranges.
   */
  within: UidRanges[];
  /** A MODSEQ key was used: the response carries the highest modseq found (RFC 7162 §3.1.5). */
  modseq: boolean;
}

export const ALL: Criterion = { op: 'all' };
export const NONE: Criterion = { op: 'none' };

const DAY_MS = 86_400_000;

/** A sequence set with more ranges than this at the top level is applied after the store search. */
const SQL_RANGES = 16;

/** Start of a calendar day in UTC (years 0-99 included, which Date.UTC would move to 19xx). */
export function utcDayStart(d: SearchDate): number {
  const t = new Date(0);
  t.setUTCFullYear(d.year, d.month - 1, d.day);
  return t.getTime();
}

export function and(of: readonly Criterion[]): Criterion {
  const out: Criterion[] = [];
  for (const c of of) {
    if (c.op === 'none') return NONE;
    if (c.op === 'all') continue;
    if (c.op === 'and') out.push(...c.of);
    else out.push(c);
  }
  if (out.length === 0) return ALL;
  return out.length === 1 ? out[0]! : { op: 'and', of: out };
}

export function or(of: readonly Criterion[]): Criterion {
  const out: Criterion[] = [];
  for (const c of of) {
    if (c.op === 'all') return ALL;
    if (c.op === 'none') continue;
    if (c.op === 'or') out.push(...c.of);
    else out.push(c);
  }
  if (out.length === 0) return NONE;
  return out.length === 1 ? out[0]! : { op: 'or', of: out };
}

export function not(c: Criterion): Criterion {
  if (c.op === 'all') return NONE;
  if (c.op === 'none') return ALL;
  if (c.op === 'not') return c.of;
  return { op: 'not', of: c };
}

function uids(ranges: UidRanges): Criterion {
  return ranges.length === 0 ? NONE : { op: 'uids', ranges };
}

function dateKey(field: 'internal' | 'saved' | 'header', rel: 'BEFORE' | 'ON' | 'SINCE', d: SearchDate): Criterion {
  const start = utcDayStart(d);
  const at = (cmp: Cmp, ms: number): Criterion => ({ op: 'date', field, cmp, ms });
  if (rel === 'BEFORE') return at('lt', start);
  if (rel === 'SINCE') return at('ge', start);
  return and([at('ge', start), at('lt', start + DAY_MS)]);
}

/** RFC 5032 §2: compared with the target time "to the resolution of a second". */
function within(kind: 'OLDER' | 'YOUNGER', seconds: number, now: number): Criterion {
  const targetSecond = Math.floor((now - seconds * 1000) / 1000);
  // OLDER: INTERNALDATE at or before the target second; YOUNGER: at or after it.
  return kind === 'OLDER'
    ? { op: 'date', field: 'internal', cmp: 'lt', ms: (targetSecond + 1) * 1000 }
    : { op: 'date', field: 'internal', cmp: 'ge', ms: targetSecond * 1000 };
}

function header(name: string, value: string): Criterion {
  return { op: 'header', name: name.toLowerCase(), value };
}

interface Walk {
  scope: SearchScope;
  modseq: boolean;
}

function compileKey(k: SearchKey, w: Walk): Criterion {
  switch (k.kind) {
    case 'ALL':
      return ALL;
    case 'ANSWERED':
    case 'UNANSWERED':
      return { op: 'flag', flag: '\\Answered', set: k.kind === 'ANSWERED' };
    case 'DELETED':
    case 'UNDELETED':
      return { op: 'flag', flag: '\\Deleted', set: k.kind === 'DELETED' };
    case 'DRAFT':
    case 'UNDRAFT':
      return { op: 'flag', flag: '\\Draft', set: k.kind === 'DRAFT' };
    case 'FLAGGED':
    case 'UNFLAGGED':
      return { op: 'flag', flag: '\\Flagged', set: k.kind === 'FLAGGED' };
    case 'SEEN':
    case 'UNSEEN':
      return { op: 'flag', flag: '\\Seen', set: k.kind === 'SEEN' };
    // RFC 3501 §6.4.4: NEW is RECENT UNSEEN, OLD is NOT RECENT; nothing is \Recent in Roost.
    case 'NEW':
    case 'RECENT':
      return NONE;
    case 'OLD':
      return ALL;
    case 'SAVEDATESUPPORTED':
      return ALL;
    case 'KEYWORD':
    case 'UNKEYWORD':
      return { op: 'keyword', keyword: k.flag, set: k.kind === 'KEYWORD' };
    // An empty string is a substring of every field (RFC 9051 §6.4.4): only HEADER tests presence.
    case 'SUBJECT':
    case 'FROM':
    case 'TO':
    case 'CC':
    case 'BCC':
      return k.value === '' ? ALL : header(k.kind, k.value);
    case 'BODY':
    case 'TEXT':
      return k.value === '' ? ALL : { op: 'text', where: k.kind === 'BODY' ? 'body' : 'text', value: k.value };
    case 'HEADER':
      return header(k.field, k.value);
    case 'BEFORE':
    case 'ON':
    case 'SINCE':
      return dateKey('internal', k.kind, k.date);
    case 'SENTBEFORE':
    case 'SENTON':
    case 'SENTSINCE':
      return dateKey('header', k.kind.slice(4) as 'BEFORE' | 'ON' | 'SINCE', k.date);
    case 'SAVEDBEFORE':
    case 'SAVEDON':
    case 'SAVEDSINCE':
      return dateKey('saved', k.kind.slice(5) as 'BEFORE' | 'ON' | 'SINCE', k.date);
    case 'OLDER':
    case 'YOUNGER':
      return within(k.kind, k.seconds, w.scope.now);
    case 'LARGER':
      return { op: 'size', cmp: 'gt', bytes: k.size };
    case 'SMALLER':
      return { op: 'size', cmp: 'lt', bytes: k.size };
    case 'UID':
      return uids(w.scope.ranges(k.set, true));
    case 'SEQUENCE':
      return uids(w.scope.ranges(k.set, false));
    case 'NOT':
      return not(compileKey(k.key, w));
    case 'OR':
      return or([compileKey(k.left, w), compileKey(k.right, w)]);
    case 'AND':
      return and(k.keys.map((x) => compileKey(x, w)));
    case 'MODSEQ':
      w.modseq = true;
      // Past 2^53 nothing can match (modseqs are far smaller); Number() keeps the comparison right.
      return { op: 'modseq', ge: Number(k.modseq) };
    case 'EMAILID': {
      const id = parseObjectId('E', k.id);
      return id === null ? NONE : { op: 'emailId', id };
    }
    case 'THREADID': {
      const id = parseObjectId('T', k.id);
      return id === null ? NONE : { op: 'threadId', id };
    }
  }
}

/** Flattens top-level parenthesised groups: `(A B) C` is `A B C`. */
function topLevel(keys: readonly SearchKey[]): SearchKey[] {
  const out: SearchKey[] = [];
  const stack = [...keys].reverse();
  while (stack.length > 0) {
    const k = stack.pop()!;
    if (k.kind === 'AND') for (let i = k.keys.length - 1; i >= 0; i--) stack.push(k.keys[i]!);
    else out.push(k);
  }
  return out;
}

/** The smallest single range holding every range. */
function bounds(ranges: UidRanges): Criterion {
  let lo = Infinity;
  let hi = 0;
  for (const [a, b] of ranges) {
    lo = Math.min(lo, a, b);
    hi = Math.max(hi, a, b);
  }
  return uids([[lo, hi]]);
}

/** The search criteria of SEARCH/SORT/THREAD (implicitly ANDed, RFC 9051 §6.4.4). */
export function compileSearch(keys: readonly SearchKey[], scope: SearchScope): CompiledSearch {
  const w: Walk = { scope, modseq: false };
  const parts: Criterion[] = [];
  const sets: UidRanges[] = [];
  for (const k of topLevel(keys)) {
    if (k.kind === 'UID' || k.kind === 'SEQUENCE') {
      const ranges = scope.ranges(k.set, k.kind === 'UID');
      if (ranges.length > SQL_RANGES) {
        // Long sets (a SEARCHRES result, a client's UID list) filter the result in memory instead.
        sets.push(ranges);
        parts.push(bounds(ranges));
        continue;
      }
      parts.push(uids(ranges));
      continue;
    }
    parts.push(compileKey(k, w));
  }
  return { criterion: and(parts), within: sets, modseq: w.modseq };
}


/** Keeps the ascending `uidsAsc` that lie in every range list of `within` (a linear merge per list). */
export function filterWithin(uidsAsc: readonly number[], within: readonly UidRanges[]): number[] {
  let out = [...uidsAsc];
  for (const ranges of within) {
    const disjoint = mergeUidRanges(ranges);
    const kept: number[] = [];
    let i = 0;
    for (const u of out) {
      while (i < disjoint.length && disjoint[i]![1] < u) i++;
      const r = disjoint[i];
      if (r === undefined) break;
      if (u >= r[0]) kept.push(u);
    }
    out = kept;
  }
  return out;
}
