/** RFC 7162 §3.2.5: what a QRESYNC SELECT tells a client that comes back with a known modseq. */
import type { SessionContext } from '../context.js';
import { flagList, type SelectedState } from '../selected.js';
import { seqSetMatcher, type FetchAttr, type QresyncParams } from '../wire/index.js';

export async function qresyncReplay(ctx: SessionContext, sel: SelectedState, q: QresyncParams): Promise<void> {
  const since = Number(q.modseq);
  let vanished = await ctx.store.expungedSince(sel.mailboxId, since);
  if (q.knownUids !== null) {
    const known = seqSetMatcher(q.knownUids, 0xffffffff);
    vanished = vanished.filter(known);
  }
  if (vanished.length > 0) ctx.send({ kind: 'VANISHED', earlier: true, uids: vanished });
  const max = sel.uids.maxUid;
  if (max === 0) return;
  const changed = await ctx.store.getFlags(sel.mailboxId, [[1, max]], since);
  sel.announceKeywords(changed, (r) => ctx.send(r));
  let sent = 0;
  for (const e of changed) {
    const seq = sel.uids.seqOf(e.uid);
    if (seq === 0) continue;
    const items: FetchAttr[] = [{ kind: 'UID', uid: e.uid }, { kind: 'FLAGS', flags: flagList(e) }, { kind: 'MODSEQ', modseq: e.modseq }];
    ctx.send({ kind: 'FETCH', seq, items });
    if (++sent % 500 === 0) await ctx.drain();
  }
}
