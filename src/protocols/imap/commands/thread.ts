import { ok, type CommandSpec, type SessionContext } from '../context.js';
import { prepareSearch } from '../search-run.js';
import { THREAD_FIELDS, threadMessages } from '../thread-message.js';
import { orderedSubjectThreads } from '../thread-ordered.js';
import { referencesThreads } from '../thread-references.js';
import type { ThreadCommand } from '../wire/index.js';

/** RFC 5256 §3 THREAD / UID THREAD: ORDEREDSUBJECT and REFERENCES over the searched messages. */
async function runThread(ctx: SessionContext, cmd: ThreadCommand) {
  const sel = ctx.selected!;
  const found = await prepareSearch(ctx, cmd.criteria)();
  if (found.modseqKey) ctx.enableCondstore(); // RFC 7162 §3.1.9: THREAD responses stay as they are
  const rows = found.uids.length === 0 ? [] : await ctx.store.sortRows(sel.mailboxId, found.uids, THREAD_FIELDS);
  // Rows and matches are both in UID order; a message expunged between the two reads is left out.
  const ids = new Array<number>(rows.length);
  for (let i = 0, j = 0; i < rows.length; i++) {
    while (found.uids[j]! < rows[i]!.uid) j++;
    ids[i] = cmd.uid ? rows[i]!.uid : found.seqs[j]!;
  }
  const messages = threadMessages(rows, ids);
  const threads = cmd.algorithm === 'REFERENCES' ? referencesThreads(messages) : orderedSubjectThreads(messages);
  ctx.send({ kind: 'THREAD', threads });
  return ok('THREAD completed');
}

export const thread = {
  name: 'THREAD',
  states: ['selected'],
  // RFC 5256 §3: no EXPUNGE responses while answering THREAD; permitted during UID THREAD.
  allowsExpunges: (cmd) => cmd.uid,
  run: runThread,
} as const satisfies CommandSpec<'THREAD'>;
