import { ok, type CommandSpec, type SessionContext } from '../context.js';
import { modseqsOf, prepareSearch } from '../search-run.js';
import { searchAnswer } from '../search-result.js';
import type { SearchCommand } from '../wire/index.js';

/**
 * RFC 9051 §6.4.4 SEARCH / UID SEARCH, with RFC 4731 ESEARCH result options, RFC 5182 SEARCHRES
 * (SAVE and `$`), RFC 7162 MODSEQ, and ESEARCH answers once the client enabled IMAP4rev2.
 */
async function runSearch(ctx: SessionContext, cmd: SearchCommand) {
  const save = cmd.returnOptions?.includes('SAVE') === true;
  const search = prepareSearch(ctx, cmd.criteria);
  let answer;
  try {
    const found = await search();
    if (found.modseqKey) ctx.enableCondstore(); // RFC 7162 §3.1: a CONDSTORE-enabling command
    const modseqs = found.modseqKey && found.uids.length > 0 ? await modseqsOf(ctx, found.uids) : null;
    answer = searchAnswer({
      tag: cmd.tag, uid: cmd.uid, returnOptions: cmd.returnOptions, rev2: ctx.enabled.has('IMAP4REV2'),
      uids: found.uids, seqs: found.seqs, modseqs,
    });
  } catch (err) {
    // A SEARCH with SAVE that fails with NO leaves "$" empty (RFC 9051 §6.4.4.1).
    if (save) ctx.savedSearch = [];
    throw err;
  }
  if (answer.response !== null) ctx.send(answer.response);
  if (answer.saved !== null) ctx.savedSearch = answer.saved;
  return ok(save ? 'SEARCH completed, result saved' : 'SEARCH completed');
}

export const search = {
  name: 'SEARCH',
  states: ['selected'],
  // RFC 9051 §7.5.1: no EXPUNGE while answering SEARCH by message number; UID SEARCH may.
  allowsExpunges: (cmd) => cmd.uid,
  run: runSearch,
} as const satisfies CommandSpec<'SEARCH'>;
