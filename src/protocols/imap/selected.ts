/**
 * The selected-mailbox state of one IMAP session: its view of the mailbox (the sequence map) and
 * the changes other sessions made that this client has not been told about yet. Changes arrive from
 * the change bus at any time; they reach the client only at points where the RFC allows
 * (RFC 9051 §7.5.1: no EXPUNGE during FETCH, STORE or SEARCH, nor when no command is in progress —
 * IDLE being the exception, RFC 2177), so sequence numbers stay right in every session.
 */
import type { UidRanges } from '../../store/search.js';
import type { Change, Entry, Mailbox, MailboxId } from '../../store/types.js';
import { flagNames } from '../../store/flags.js';
import { LIMITS } from '../../shared/limits.js';
import { UidList } from './uid-list.js';
import { seqSetIntervals, type SequenceSet } from './wire/index.js';
import type { FetchAttr, Response } from './wire/index.js';

export interface FlushOptions {
  /** EXPUNGE/VANISHED may be sent now. */
  expunges: boolean;
  /** QRESYNC enabled: VANISHED instead of EXPUNGE (RFC 7162 §3.2.10). */
  qresync: boolean;
  /** CONDSTORE enabled: unsolicited FETCH carries MODSEQ (RFC 7162 §3.1.4). */
  condstore: boolean;
}

const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

export function flagList(e: { flags: number; keywords: readonly string[] }): string[] {
  return [...flagNames(e.flags), ...e.keywords];
}

export class SelectedState {
  readonly mailboxId: MailboxId;
  readonly uidValidity: number;
  readonly readOnly: boolean;
  readonly uids: UidList;
  /** Keywords announced in FLAGS; a new one triggers a new FLAGS response. */
  keywords: string[];
  /** The keywords above, lower-cased (keywords compare case-insensitively). */
  private readonly keywordSet: Set<string>;
  private pendingAdded: number[] = [];
  private readonly pendingExpunged = new Set<number>();
  private readonly pendingFlags = new Map<number, Entry>();
  private keywordsChanged = false;
  /** The lowest modseq of expunges not told yet (null: none), see toldModseq(). */
  private heldExpungeModseq: number | null = null;
  /** The mailbox was deleted or renamed away by another session. */
  gone = false;

  /**
   * `uids` may be shared (it is copied before this view changes it); `sharedView` gives the current
   * shared array of the mailbox (uid-cache.ts), to share again once this view has caught up.
   */
  constructor(mailbox: Mailbox, uids: Uint32Array, readOnly: boolean, private readonly sharedView: (() => Uint32Array | null) | null = null) {
    this.mailboxId = mailbox.id;
    this.uidValidity = mailbox.uidValidity;
    this.readOnly = readOnly;
    this.uids = new UidList(uids, true);
    this.keywords = [...mailbox.keywords];
    this.keywordSet = new Set(this.keywords.map((k) => k.toLowerCase()));
  }

  get exists(): number {
    return this.uids.length;
  }

  /** True when something is waiting to be told (IDLE flushes at once when this turns true). */
  get hasPending(): boolean {
    return this.pendingAdded.length > 0 || this.pendingExpunged.size > 0 || this.pendingFlags.size > 0 || this.keywordsChanged;
  }

  onChange(c: Change): void {
    if (c.mailboxId !== this.mailboxId) return;
    switch (c.kind) {
      case 'added': {
        const max = Math.max(this.uids.maxUid, this.pendingAdded[this.pendingAdded.length - 1] ?? 0);
        for (const e of c.entries) {
          if (e.uid > max) this.pendingAdded.push(e.uid);
          this.noteKeywords(e.keywords);
        }
        return;
      }
      case 'expunged':
        this.heldExpungeModseq = Math.min(this.heldExpungeModseq ?? c.modseq, c.modseq);
        for (const uid of c.uids) {
          this.pendingExpunged.add(uid);
          this.pendingFlags.delete(uid);
        }
        return;
      case 'flags':
        for (const e of c.entries) {
          this.pendingFlags.set(e.uid, e);
          this.noteKeywords(e.keywords);
        }
        return;
      case 'mailbox':
        if (c.what === 'deleted') this.gone = true;
        return;
    }
  }

  /**
   * Keywords of messages about to be shown: one the client has not seen in FLAGS yet makes a new FLAGS
   * response due (flushKeywords sends it). A message's flags can be read from the store before the
   * change that created its keyword reached this session, so FETCH and STORE check what they show.
   */
  noteKeywords(used: readonly string[]): void {
    if (used.length === 0) return;
    for (const k of used) {
      const folded = k.toLowerCase();
      if (!this.keywordSet.has(folded)) {
        this.keywords.push(k);
        this.keywordSet.add(folded);
        this.keywordsChanged = true;
      }
    }
  }

  /** Before FLAGS of these entries are sent: a FLAGS response first if they use a keyword not announced. */
  announceKeywords(entries: ReadonlyArray<{ keywords: readonly string[] }>, send: (r: Response) => void): void {
    for (const e of entries) this.noteKeywords(e.keywords);
    this.flushKeywords(send);
  }

  /**
   * A HIGHESTMODSEQ that is safe to tell now, given the mailbox's current one: below any expunge still
   * held back (RFC 9051 §7.5.1), so a client that saves it and resynchronises later (RFC 7162 §3.2.5)
   * still learns of that expunge.
   */
  toldModseq(highest: number): number {
    return this.heldExpungeModseq === null ? highest : Math.min(highest, this.heldExpungeModseq - 1);
  }

  /** UIDs with a flag change from elsewhere not yet told to the client. */
  pendingFlagUids(): Set<number> {
    return new Set(this.pendingFlags.keys());
  }

  /**
   * The client was just told these messages' full current flags (a STORE echo, a FETCH with FLAGS):
   * pending changes up to those modseqs need not be repeated.
   */
  acknowledgeFlags(entries: readonly Entry[]): void {
    for (const e of entries) {
      const p = this.pendingFlags.get(e.uid);
      if (p !== undefined && p.modseq <= e.modseq) this.pendingFlags.delete(e.uid);
    }
  }

  /** Is this UID expunged but not yet announced? */
  isExpungedPending(uid: number): boolean {
    return this.pendingExpunged.has(uid);
  }

  /** Message-number set → UID ranges over this session's view (`*` is the last message). */
  seqSetToUidRanges(set: SequenceSet): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    const n = this.uids.length;
    if (n === 0) return out;
    for (const [a, b] of seqSetIntervals(set, n)) {
      if (a > n) continue;
      out.push([this.uids.uidAt(a), this.uids.uidAt(Math.min(b, n))]);
    }
    return out;
  }

  /**
   * UID set → UID ranges clamped to the view (`*` is the highest UID in it), so a UID command never
   * returns a message the client has not been told exists yet.
   */
  uidSetToUidRanges(set: SequenceSet): Array<[number, number]> {
    const max = this.uids.maxUid;
    const out: Array<[number, number]> = [];
    if (max === 0) return out;
    for (const [a, b] of seqSetIntervals(set, max)) {
      if (a > max) continue;
      out.push([a, Math.min(b, max)]);
    }
    return out;
  }

  /** UID ranges for a command, whether it used UIDs or message numbers. */
  ranges(set: SequenceSet, uid: boolean): UidRanges {
    return uid ? this.uidSetToUidRanges(set) : this.seqSetToUidRanges(set);
  }

  /** Tells the client what changed, in an order that keeps every sequence number right. */
  flush(send: (r: Response) => void, opts: FlushOptions): void {
    const present = new Set<number>();
    let seqs: number[] = [];
    if (opts.expunges && this.pendingExpunged.size > 0) {
      const gone = this.pendingExpunged;
      if (this.pendingAdded.length > 0) this.pendingAdded = this.pendingAdded.filter((u) => !gone.has(u));
      for (const u of gone) {
        const seq = this.uids.seqOf(u);
        if (seq > 0) {
          present.add(u);
          seqs.push(seq);
        }
      }
      gone.clear();
      this.heldExpungeModseq = null;
      // Descending, so each number is right at the moment it is sent (RFC 9051 §7.5.1).
      seqs = seqs.sort((a, b) => b - a);
    }
    // When expunges are held, messages added and already expunged are announced too; their
    // EXPUNGE follows at the next point where expunges may be sent.
    const added = this.pendingAdded;
    this.pendingAdded = [];
    this.applyStructure(present, added);
    if (present.size > 0) {
      if (opts.qresync) send({ kind: 'VANISHED', earlier: false, uids: [...present].sort((a, b) => a - b) });
      else for (const s of seqs) send({ kind: 'EXPUNGE', n: s });
    }
    this.flushKeywords(send);
    if (added.length > 0) send({ kind: 'EXISTS', n: this.uids.length });
    if (this.pendingFlags.size > 0) {
      const entries = [...this.pendingFlags.values()].sort((a, b) => a.uid - b.uid);
      this.pendingFlags.clear();
      for (const e of entries) {
        const seq = this.uids.seqOf(e.uid);
        if (seq === 0) continue;
        const items: FetchAttr[] = [{ kind: 'UID', uid: e.uid }, { kind: 'FLAGS', flags: flagList(e) }];
        if (opts.condstore) items.push({ kind: 'MODSEQ', modseq: e.modseq });
        send({ kind: 'FETCH', seq, items });
      }
    }
  }

  /**
   * Removes `gone` from the view and appends `added`. When nothing is held back afterwards the view
   * equals the mailbox as committed, i.e. the shared cached array: adopt that instead of keeping (or
   * making) a private copy. Length and last UID must agree, or we keep our own.
   */
  private applyStructure(gone: ReadonlySet<number>, added: readonly number[]): void {
    const shared = this.pendingExpunged.size === 0 && this.sharedView !== null ? this.sharedView() : null;
    if (shared !== null && (gone.size > 0 || added.length > 0 || !this.uids.isShared)) {
      const length = this.uids.length - gone.size + added.length;
      const max = added.length > 0 ? added[added.length - 1]! : this.uids.maxWithout(gone);
      const first = this.uids.length - gone.size > 0 ? this.firstWithout(gone) : added[0];
      if (shared.length === length && (length === 0 || (shared[length - 1] === max && shared[0] === first))) {
        this.uids.adopt(shared);
        return;
      }
    }
    this.uids.remove(gone);
    this.uids.push(added);
  }

  private firstWithout(gone: ReadonlySet<number>): number | undefined {
    for (let s = 1; s <= this.uids.length; s++) {
      const u = this.uids.uidAt(s);
      if (!gone.has(u)) return u;
    }
    return undefined;
  }

  /**
   * A keyword new to this mailbox was used: FLAGS (RFC 9051 §7.3.5) and, read-write, the new
   * PERMANENTFLAGS. STORE calls this before echoing flags so the client learns the keyword first.
   */
  flushKeywords(send: (r: Response) => void): void {
    if (!this.keywordsChanged) return;
    this.keywordsChanged = false;
    send({ kind: 'FLAGS', flags: this.flagsResponse() });
    if (!this.readOnly) {
      send({ kind: 'status', tag: null, status: 'OK', code: { code: 'PERMANENTFLAGS', flags: this.permanentFlags() }, text: 'Flags permitted' });
    }
  }

  /** The FLAGS response: system flags and every keyword in use (RFC 9051 §7.3.5). */
  flagsResponse(): string[] {
    return [...SYSTEM_FLAGS, ...this.keywords];
  }

  /** PERMANENTFLAGS: none when read-only; \\* while new keywords may still be created (RFC 9051 §7.1). */
  permanentFlags(): string[] {
    if (this.readOnly) return [];
    const out = [...SYSTEM_FLAGS, ...this.keywords];
    if (this.keywords.length < LIMITS.imap.keywordsPerMailbox) out.push('\\*');
    return out;
  }
}
