/**
 * The answer to SEARCH / UID SEARCH (pure): an RFC 3501 SEARCH response, or an ESEARCH response
 * (RFC 4731, RFC 9051 §6.4.4 / §7.3.4) with the requested MIN MAX ALL COUNT items and the TAG
 * correlator, plus the new SEARCHRES value when SAVE was asked (RFC 5182, RFC 9051 §6.4.4.1).
 */
import type { Response, SearchReturnOption } from './wire/index.js';

export interface SearchAnswerInput {
  tag: string;
  uid: boolean;
  /** RETURN options as parsed; null when the command had no RETURN. */
  returnOptions: readonly SearchReturnOption[] | null;
  /** The client enabled IMAP4rev2: a plain SEARCH answers with ESEARCH (RFC 9051 §6.4.4). */
  rev2: boolean;
  /** Matching UIDs, ascending. */
  uids: readonly number[];
  /** Their message sequence numbers, same order. */
  seqs: readonly number[];
  /** Modseq of each match (same order) when a MODSEQ key was used; null otherwise. */
  modseqs: readonly number[] | null;
}

export interface SearchAnswer {
  /** The untagged response, or null (RETURN (SAVE) alone asks for none). */
  response: Response | null;
  /** The new saved result (UIDs) when SAVE was asked, else null. */
  saved: number[] | null;
}

/** The highest modseq among the matches at `indexes`, or among all of them. */
function highest(modseqs: readonly number[], indexes: readonly number[] | 'all'): number {
  let m = 0;
  if (indexes === 'all') for (const v of modseqs) m = Math.max(m, v);
  else for (const i of indexes) m = Math.max(m, modseqs[i] ?? 0);
  return m;
}

export function searchAnswer(input: SearchAnswerInput): SearchAnswer {
  const { uids, modseqs } = input;
  const ids = input.uid ? uids : input.seqs;
  const n = ids.length;
  const opts = input.returnOptions;

  if (opts === null && !input.rev2) {
    // RFC 7162 §3.1.6: the highest modseq of the messages returned, when there are any.
    const modseq = modseqs !== null && n > 0 ? highest(modseqs, 'all') : undefined;
    return { response: { kind: 'SEARCH', ids: [...ids], ...(modseq !== undefined ? { modseq } : {}) }, saved: null };
  }

  // RFC 9051 §6.4.4: no result option (or "RETURN ()") means ALL.
  const want = new Set<SearchReturnOption>(opts ?? ['ALL']);
  const save = want.has('SAVE');
  const min = want.has('MIN');
  const max = want.has('MAX');
  const everything = want.has('ALL') || want.has('COUNT');
  const minMaxOnly = (min || max) && !everything;

  // RFC 9051 §6.4.4.1 table 4: SAVE with only MIN and/or MAX saves just those messages.
  let saved: number[] | null = null;
  if (save) saved = minMaxOnly ? [...new Set([...(min && n > 0 ? [uids[0]!] : []), ...(max && n > 0 ? [uids[n - 1]!] : [])])] : [...uids];

  // SAVE alone suppresses the ESEARCH response (RFC 9051 §6.4.4 "SAVE").
  if (!min && !max && !everything) return { response: null, saved };

  let modseq: number | undefined;
  if (modseqs !== null && n > 0) {
    // RFC 4731 §3.2: MIN or MAX alone report that message's modseq; MIN MAX the higher of the two;
    // otherwise the highest of all matches.
    const picked = minMaxOnly ? [...(min ? [0] : []), ...(max ? [n - 1] : [])] : 'all';
    modseq = highest(modseqs, picked);
  }
  return {
    response: {
      kind: 'ESEARCH',
      tag: input.tag,
      uid: input.uid,
      ...(min && n > 0 ? { min: ids[0]! } : {}),
      ...(max && n > 0 ? { max: ids[n - 1]! } : {}),
      ...(want.has('ALL') && n > 0 ? { all: [...ids] } : {}),
      ...(want.has('COUNT') ? { count: n } : {}),
      ...(modseq !== undefined ? { modseq } : {}),
    },
    saved,
  };
}
