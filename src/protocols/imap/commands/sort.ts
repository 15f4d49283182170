import { ok, type CommandSpec, type SessionContext } from '../context.js';
import { modseqsOf, prepareSearch } from '../search-run.js';
import { sortFields, sortOrder } from '../sort-order.js';
import type { SortCommand } from '../wire/index.js';

/** RFC 5256 §3 SORT / UID SORT (with RFC 5957 DISPLAYFROM/DISPLAYTO): a search, then an order. */
async function runSort(ctx: SessionContext, cmd: SortCommand) {
  const sel = ctx.selected!;
  const found = await prepareSearch(ctx, cmd.criteria)();
  const rows = found.uids.length === 0 ? [] : await ctx.store.sortRows(sel.mailboxId, found.uids, sortFields(cmd.sortCriteria));
  // Rows and matches are both in UID order; a message expunged between the two reads is left out.
  const seqs = new Array<number>(rows.length);
  for (let i = 0, j = 0; i < rows.length; i++) {
    while (found.uids[j]! < rows[i]!.uid) j++;
    seqs[i] = found.seqs[j]!;
  }
  const ids = sortOrder(rows, cmd.sortCriteria).map((i) => (cmd.uid ? rows[i]!.uid : seqs[i]!));
  let modseq: number | undefined;
  if (found.modseqKey) {
    ctx.enableCondstore();
    // RFC 7162 §3.1.9: a non-empty result carries the highest modseq of the messages returned.
    if (rows.length > 0) modseq = (await modseqsOf(ctx, rows.map((r) => r.uid))).reduce((a, b) => Math.max(a, b), 0);
  }
  ctx.send({ kind: 'SORT', ids, ...(modseq !== undefined ? { modseq } : {}) });
  return ok('SORT completed');
}

export const sort = {
  name: 'SORT',
  states: ['selected'],
  // RFC 5256 §3: no EXPUNGE responses while answering SORT; permitted during UID SORT.
  allowsExpunges: (cmd) => cmd.uid,
  run: runSort,
} as const satisfies CommandSpec<'SORT'>;
