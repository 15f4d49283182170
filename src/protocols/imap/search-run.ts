/**
 * Running the search criteria of SEARCH, SORT and THREAD against the selected mailbox: compile, one
 * store query, then keep only messages of the session's view. Messages the client has not been told
 * about yet (added by another session, announced after this command) are never returned, and
 * sequence numbers are those of the view, so they stay right while EXPUNGEs are held back.
 */
import type { Criterion } from '../../store/search.js';
import type { SessionContext } from './context.js';
import { and, compileSearch, filterWithin } from './search-compile.js';
import { resolveSet, uidsToRanges } from './sequence.js';
import type { SearchKey } from './wire/index.js';

export interface SearchMatches {
  /** Matching UIDs of the view, ascending. */
  uids: number[];
  /** Their message sequence numbers, in the same order. */
  seqs: number[];
  /** A MODSEQ key was used (RFC 7162 §3.1.5: the response reports the highest modseq). */
  modseqKey: boolean;
}

/** UIDs read back per getFlags call when modseqs are needed. */
const MODSEQ_CHUNK = 500;

/**
 * Compiles the criteria now (before anything is read), and returns the function that runs them.
 *
 * A message number past the end in a search key matches nothing rather than failing the command: the
 * key is a criterion ("messages with these numbers"), not an operation on named messages, and RFC 9051
 * §9 (seq-number) only says the server "should" answer BAD. Dovecot answers the same way.
 */
export function prepareSearch(ctx: SessionContext, keys: readonly SearchKey[]): () => Promise<SearchMatches> {
  const sel = ctx.selected!;
  const compiled = compileSearch(keys, { ranges: (set, uid) => resolveSet(ctx, set, uid, false), now: Date.now() });
  return async () => {
    const max = sel.uids.maxUid;
    if (max === 0 || compiled.criterion.op === 'none') return { uids: [], seqs: [], modseqKey: compiled.modseq };
    // Never past the view: later UIDs belong to messages not announced yet.
    const criterion: Criterion = and([compiled.criterion, { op: 'uids', ranges: [[1, max]] }]);
    let found = await ctx.store.search(sel.mailboxId, criterion);
    if (compiled.within.length > 0) found = filterWithin(found, compiled.within);
    const uids: number[] = [];
    const seqs: number[] = [];
    for (const u of found) {
      const seq = sel.uids.seqOf(u);
      if (seq === 0) continue;
      uids.push(u);
      seqs.push(seq);
    }
    return { uids, seqs, modseqKey: compiled.modseq };
  };
}

/** The modseq of each given UID (ascending input), read in chunks; a message gone meanwhile gives 0. */
export async function modseqsOf(ctx: SessionContext, uids: readonly number[]): Promise<number[]> {
  const sel = ctx.selected!;
  const byUid = new Map<number, number>();
  for (let i = 0; i < uids.length; i += MODSEQ_CHUNK) {
    const entries = await ctx.store.getFlags(sel.mailboxId, uidsToRanges(uids.slice(i, i + MODSEQ_CHUNK)));
    for (const e of entries) byUid.set(e.uid, e.modseq);
  }
  return uids.map((u) => byUid.get(u) ?? 0);
}
