import { FLAG_BITS, type EntryWithMessage } from '../../../store/types.js';
import { bad, no, ok, type CommandSpec, type SessionContext } from '../context.js';
import { planFetch, renderFetch } from '../fetch-plan.js';
import { resolveSet, uidChunks, uidsToRanges } from '../sequence.js';
import type { FetchCommand, FetchItem } from '../wire/index.js';

/** Messages read from the store per round trip; output is drained between chunks. */
const CHUNK = 500;
/** Body bytes sent before waiting for the client to read (a slow reader never costs more memory). */
const DRAIN_BYTES = 256 * 1024;

/** RFC 9051 §6.4.5 FETCH and §6.4.9 UID FETCH, with RFC 7162 CHANGEDSINCE / VANISHED. */
async function runFetch(ctx: SessionContext, cmd: FetchCommand) {
  const sel = ctx.selected!;
  if (cmd.vanished && (!cmd.uid || cmd.changedSince === null || !ctx.enabled.has('QRESYNC'))) {
    return bad('VANISHED needs UID FETCH with CHANGEDSINCE and QRESYNC enabled');
  }
  const changedSince = cmd.changedSince === null ? undefined : Number(cmd.changedSince);
  const wantsModseq = changedSince !== undefined || cmd.items.some((i) => i.kind === 'MODSEQ');
  if (wantsModseq) ctx.enableCondstore();
  // With CONDSTORE on, FLAGS always come with their MODSEQ (as Dovecot does): the answer stands in for
  // changes of other sessions still pending (acknowledgeFlags below), which RFC 7162 §3.1 says must
  // reach the client with their mod-sequence.
  const flagsWithModseq = ctx.condstore && cmd.items.some((i) => i.kind === 'FLAGS');
  const plan = planFetch(cmd.items, { uid: cmd.uid, modseq: changedSince !== undefined || flagsWithModseq });
  const ranges = resolveSet(ctx, cmd.sequence, cmd.uid);
  if (cmd.vanished && changedSince !== undefined) {
    // RFC 7162 §3.2.6: expunged UIDs in the set since the modseq, before the FETCH data.
    const gone = (await ctx.store.expungedSince(sel.mailboxId, changedSince)).filter((u) => ranges.some(([a, b]) => u >= a && u <= b));
    if (gone.length > 0) ctx.send({ kind: 'VANISHED', earlier: true, uids: gone });
  }
  const markSeen = plan.setsSeen && !sel.readOnly;
  const reportsFlags = plan.items.some((i) => i.kind === 'FLAGS');
  let missing = false;
  for (const chunk of uidChunks(ctx, ranges, CHUNK)) {
    const chunkRanges = uidsToRanges(chunk);
    let entries: EntryWithMessage[] = plan.flagsOnly
      ? ((await ctx.store.getFlags(sel.mailboxId, chunkRanges, changedSince)) as EntryWithMessage[])
      : await ctx.store.getEntries(sel.mailboxId, chunkRanges, plan.extras, changedSince);
    if (changedSince === undefined && entries.length < chunk.length) missing = true;
    let seenChanged = new Set<number>();
    if (markSeen) {
      const unseen = entries.filter((e) => (e.flags & FLAG_BITS['\\Seen']) === 0).map((e) => e.uid);
      if (unseen.length > 0) {
        const r = await ctx.store.storeFlags(ctx.account!.id, sel.mailboxId, uidsToRanges(unseen), 'add', FLAG_BITS['\\Seen'], []);
        const updated = new Map(r.entries.map((e) => [e.uid, e]));
        entries = entries.map((e) => {
          const u = updated.get(e.uid);
          return u === undefined ? e : { ...e, flags: u.flags, keywords: u.keywords, modseq: u.modseq };
        });
        seenChanged = r.changed;
        sel.acknowledgeFlags(r.entries);
      }
    }
    // FLAGS in the answer tell the client the current flags: earlier pending changes need no repeat.
    if (reportsFlags) sel.acknowledgeFlags(entries);
    if (reportsFlags || seenChanged.size > 0) sel.announceKeywords(entries, (r) => ctx.send(r));
    let sinceDrain = 0;
    for (const e of entries) {
      const raw = plan.needsBlob ? await readBlobOrNull(ctx, sel.mailboxId, e) : null;
      if (plan.needsBlob && raw === null) {
        // Expunged by another session (and its bytes freed) while we were sending earlier messages.
        missing = true;
        continue;
      }
      const items = seenChanged.has(e.uid) && !reportsFlags ? withSeenFlags(ctx, plan.items) : plan.items;
      const attrs = renderFetch(e, raw, items);
      if (attrs === 'unknown-cte') return no('Unknown Content-Transfer-Encoding', { code: 'UNKNOWN-CTE' });
      ctx.send({ kind: 'FETCH', seq: sel.uids.seqOf(e.uid), items: attrs });
      sinceDrain += raw === null ? 0 : raw.length;
      if (sinceDrain >= DRAIN_BYTES) {
        sinceDrain = 0;
        await ctx.drain();
      }
    }
    await ctx.drain();
  }
  // RFC 5530 EXPUNGEISSUED: some requested messages were expunged by another session meanwhile.
  if (missing) return ok('Some messages were expunged meanwhile', { code: 'EXPUNGEISSUED' });
  return ok('FETCH completed');
}

/**
 * The items of a message this FETCH just marked \Seen: its new FLAGS too (RFC 9051 §6.4.5), and with
 * CONDSTORE its UID and MODSEQ (RFC 7162 §3.2.4, which §3.1.4.2 applies to a server that has QRESYNC).
 */
function withSeenFlags(ctx: SessionContext, items: readonly FetchItem[]): FetchItem[] {
  const out: FetchItem[] = [...items, { kind: 'FLAGS' }];
  if (!ctx.condstore) return out;
  if (!items.some((i) => i.kind === 'MODSEQ')) out.push({ kind: 'MODSEQ' });
  if (!items.some((i) => i.kind === 'UID')) out.unshift({ kind: 'UID' });
  return out;
}

/** The message bytes, or null when the message was expunged (and its bytes freed) meanwhile. */
async function readBlobOrNull(ctx: SessionContext, mailboxId: number, e: EntryWithMessage): Promise<Buffer | null> {
  try {
    return await ctx.store.readBlob(e.blob);
  } catch (err) {
    const still = await ctx.store.getFlags(mailboxId, [[e.uid, e.uid]]);
    if (still.length === 0) return null;
    throw err;
  }
}

export const fetch = {
  name: 'FETCH',
  states: ['selected'],
  allowsExpunges: (cmd) => cmd.uid,
  run: runFetch,
} as const satisfies CommandSpec<'FETCH'>;
