import { flagBits, isSystemFlag } from '../../../store/flags.js';
import { LIMITS } from '../../../shared/limits.js';
import type { SystemFlag } from '../../../store/types.js';
import { bad, no, ok, type CommandSpec, type SessionContext } from '../context.js';
import { resolveSet } from '../sequence.js';
import { flagList } from '../selected.js';
import type { FetchAttr, StoreCommand } from '../wire/index.js';

/** FETCH responses sent between waits for a slow client (a STORE may touch a whole mailbox). */
const DRAIN_EVERY = 500;

/** RFC 9051 §6.4.6 STORE / UID STORE, with RFC 7162 UNCHANGEDSINCE. */
async function runStore(ctx: SessionContext, cmd: StoreCommand) {
  const sel = ctx.selected!;
  if (sel.readOnly) return no('Mailbox is read-only', { code: 'READ-ONLY' });
  const system: SystemFlag[] = [];
  const keywords: string[] = [];
  for (const f of cmd.flags) {
    const s = isSystemFlag(f);
    if (s !== null) system.push(s);
    else if (f.startsWith('\\')) {
      // \Recent cannot be stored (RFC 9051 §2.3.2); other unknown system flags are refused.
      if (f.toLowerCase() === '\\recent') continue;
      return bad(`Invalid system flag ${f}`);
    } else if (f.length > LIMITS.imap.keywordBytes) return bad('Keyword too long');
    else keywords.push(f);
  }
  const unchangedSince = cmd.unchangedSince === null ? undefined : Number(cmd.unchangedSince);
  if (unchangedSince !== undefined) ctx.enableCondstore();
  const ranges = resolveSet(ctx, cmd.sequence, cmd.uid);
  if (ranges.length === 0) return ok('STORE completed');
  // With .SILENT the client only learns what it asked for: changes others made before stay pending.
  const foreign = cmd.silent ? sel.pendingFlagUids() : new Set<number>();
  const r = await ctx.store.storeFlags(ctx.account!.id, sel.mailboxId, ranges, cmd.action, flagBits(system), keywords, unchangedSince);
  const modified = new Set(r.modified);
  // Messages that failed UNCHANGEDSINCE are not echoed: their changes by others stay pending.
  sel.acknowledgeFlags(r.entries.filter((e) => !modified.has(e.uid) && !foreign.has(e.uid)));
  if (!cmd.silent) sel.announceKeywords(r.entries, (resp) => ctx.send(resp));
  else sel.flushKeywords((resp) => ctx.send(resp));
  let sent = 0;
  for (const e of r.entries) {
    if (modified.has(e.uid)) continue;
    // .SILENT suppresses FLAGS, but with CONDSTORE a changed message's new MODSEQ is still reported, or the
    // client's cache keeps an old one (RFC 7162 §3.1.3 with UNCHANGEDSINCE, Example 14 without).
    const changed = r.changed.has(e.uid);
    if (cmd.silent && !(ctx.condstore && changed)) continue;
    const seq = sel.uids.seqOf(e.uid);
    if (seq === 0) continue;
    const items: FetchAttr[] = [];
    // RFC 7162 §3.2.4 (and §3.1.4.2 for a server that also has QRESYNC): UID too once CONDSTORE is on.
    if (cmd.uid || ctx.condstore) items.push({ kind: 'UID', uid: e.uid });
    if (!cmd.silent) items.push({ kind: 'FLAGS', flags: flagList(e) });
    if (ctx.condstore) items.push({ kind: 'MODSEQ', modseq: e.modseq });
    ctx.send({ kind: 'FETCH', seq, items });
    if (++sent % DRAIN_EVERY === 0) await ctx.drain();
  }
  if (r.modified.length > 0) {
    // RFC 7162 §3.1.3: MODIFIED lists message numbers (UIDs for UID STORE) that failed the test.
    const ids = cmd.uid ? r.modified : r.modified.map((u) => sel.uids.seqOf(u)).filter((s) => s > 0);
    return ok('Conditional STORE failed for some messages', { code: 'MODIFIED', set: ids });
  }
  return ok('STORE completed');
}

export const store = {
  name: 'STORE',
  states: ['selected'],
  allowsExpunges: (cmd) => cmd.uid,
  run: runStore,
} as const satisfies CommandSpec<'STORE'>;
