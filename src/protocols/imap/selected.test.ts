import { describe, expect, it } from 'vitest';
import { LocalChangeBus } from '../../store/change-bus.js';
import type { MailStore } from '../../store/store.js';
import type { Change, Entry, Mailbox } from '../../store/types.js';
import { SelectedState } from './selected.js';
import { UidCache } from './uid-cache.js';
import { parseSequenceSet, type Response, type SequenceSet } from './wire/index.js';

const MAILBOX: Mailbox = {
  id: 7, accountId: 1, name: 'INBOX', specialUse: null, uidValidity: 42, uidNext: 100, highestModseq: 5,
  messages: 0, unseen: 0, size: 0, subscribed: true, keywords: [],
};

function entry(uid: number, flags = 0, keywords: string[] = [], modseq = 10): Entry {
  return { mailboxId: 7, uid, messageId: uid, modseq, flags, keywords, internalDate: 0, saveDate: 0 };
}

const added = (uids: number[], modseq = 10): Change => ({ kind: 'added', accountId: 1, mailboxId: 7, modseq, entries: uids.map((u) => entry(u)) });
const expunged = (uids: number[], modseq = 11): Change => ({ kind: 'expunged', accountId: 1, mailboxId: 7, modseq, uids });
const flags = (es: Entry[], modseq = 12): Change => ({ kind: 'flags', accountId: 1, mailboxId: 7, modseq, entries: es });

function set(text: string): SequenceSet {
  return parseSequenceSet(text)!;
}

/** Flushes and returns the responses in a readable form. */
function flush(s: SelectedState, opts: { expunges?: boolean; qresync?: boolean; condstore?: boolean } = {}): string[] {
  const out: Response[] = [];
  s.flush((r) => out.push(r), { expunges: opts.expunges ?? true, qresync: opts.qresync ?? false, condstore: opts.condstore ?? false });
  return out.map((r) => {
    switch (r.kind) {
      case 'EXPUNGE':
        return `EXPUNGE ${r.n}`;
      case 'EXISTS':
        return `EXISTS ${r.n}`;
      case 'VANISHED':
        return `VANISHED ${Array.isArray(r.uids) ? r.uids.join(',') : JSON.stringify(r.uids)}`;
      case 'FLAGS':
        return `FLAGS ${r.flags.join(' ')}`;
      case 'FETCH':
        return `FETCH ${r.seq} ${JSON.stringify(r.items)}`;
      case 'status':
        return `OK ${r.code?.code ?? ''}`;
      default:
        return r.kind;
    }
  });
}

describe('SelectedState', () => {
  it('maps message-number and UID sets onto its view, clamped to what the client knows', () => {
    const s = new SelectedState(MAILBOX, Uint32Array.from([2, 4, 6, 8]), false);
    expect(s.ranges(set('1:2'), false)).toEqual([[2, 4]]);
    expect(s.ranges(set('3:*'), false)).toEqual([[6, 8]]);
    expect(s.ranges(set('*'), false)).toEqual([[8, 8]]);
    expect(s.ranges(set('5:9'), true)).toEqual([[5, 8]]);
    expect(s.ranges(set('9:20'), true)).toEqual([]);
    expect(s.ranges(set('*'), true)).toEqual([[8, 8]]);
    const empty = new SelectedState(MAILBOX, new Uint32Array(0), false);
    expect(empty.ranges(set('1:*'), false)).toEqual([]);
    expect(empty.ranges(set('1:*'), true)).toEqual([]);
  });

  it('tells new messages with EXISTS and flag changes with UID FETCH, MODSEQ with CONDSTORE', () => {
    const s = new SelectedState(MAILBOX, Uint32Array.from([1, 2, 3]), false);
    s.onChange(added([4, 5]));
    s.onChange(flags([entry(2, 4, [], 20)]));
    expect(s.hasPending).toBe(true);
    expect(flush(s, { condstore: true })).toEqual([
      'EXISTS 5',
      'FETCH 2 [{"kind":"UID","uid":2},{"kind":"FLAGS","flags":["\\\\Flagged"]},{"kind":"MODSEQ","modseq":20}]',
    ]);
    expect(s.hasPending).toBe(false);
    expect(flush(s)).toEqual([]);
    // Already-known UIDs (a change replayed after the list was read) are not added twice.
    s.onChange(added([3, 5]));
    expect(flush(s)).toEqual([]);
  });

  it('holds expunges when told to, and never reuses a message number meanwhile', () => {
    const s = new SelectedState(MAILBOX, Uint32Array.from([1, 2, 3, 4, 5, 6]), false);
    s.onChange(expunged([2, 5]));
    s.onChange(added([7]));
    s.onChange(flags([entry(3, 1)]));
    expect(flush(s, { expunges: false })).toEqual(['EXISTS 7', 'FETCH 3 [{"kind":"UID","uid":3},{"kind":"FLAGS","flags":["\\\\Seen"]}]']);
    expect(s.uids.toArray()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(s.isExpungedPending(2)).toBe(true);
    expect(flush(s)).toEqual(['EXPUNGE 5', 'EXPUNGE 2']);
    expect(s.uids.toArray()).toEqual([1, 3, 4, 6, 7]);
  });

  it('an expunged message`s pending flag change is dropped; added-then-expunged is never announced when allowed', () => {
    const s = new SelectedState(MAILBOX, Uint32Array.from([1, 2]), false);
    s.onChange(flags([entry(2, 1)]));
    s.onChange(added([3]));
    s.onChange(expunged([2, 3]));
    expect(flush(s)).toEqual(['EXPUNGE 2']);
    expect(s.uids.toArray()).toEqual([1]);
  });

  it('QRESYNC: VANISHED with the UIDs instead of EXPUNGE', () => {
    const s = new SelectedState(MAILBOX, Uint32Array.from([1, 2, 3, 4]), false);
    s.onChange(expunged([4, 2, 99]));
    expect(flush(s, { qresync: true })).toEqual(['VANISHED 2,4']);
  });

  it('new keywords: FLAGS and PERMANENTFLAGS once; acknowledged flags are not repeated', () => {
    const s = new SelectedState(MAILBOX, Uint32Array.from([1, 2]), false);
    s.onChange(flags([entry(1, 0, ['$Work'], 30)]));
    s.acknowledgeFlags([entry(1, 0, ['$Work'], 30)]);
    expect(flush(s)).toEqual(['FLAGS \\Answered \\Flagged \\Deleted \\Seen \\Draft $Work', 'OK PERMANENTFLAGS']);
    expect(s.permanentFlags()).toContain('\\*');
    s.onChange(flags([entry(2, 0, ['$work'], 31)]));
    s.acknowledgeFlags([entry(2, 0, ['$work'], 30)]);
    // Older acknowledgement: the newer change stays; the keyword (case-insensitive) is not new.
    expect(flush(s)).toEqual(['FETCH 2 [{"kind":"UID","uid":2},{"kind":"FLAGS","flags":["$work"]}]']);
    const ro = new SelectedState({ ...MAILBOX, keywords: ['$A'] }, Uint32Array.from([1]), true);
    expect(ro.permanentFlags()).toEqual([]);
    ro.onChange(flags([entry(1, 0, ['$B'])]));
    expect(flush(ro).filter((l) => !l.startsWith('FETCH'))).toEqual(['FLAGS \\Answered \\Flagged \\Deleted \\Seen \\Draft $A $B']);
  });

  it('a deleted mailbox marks the view gone; other mailboxes are ignored', () => {
    const s = new SelectedState(MAILBOX, Uint32Array.from([1]), false);
    s.onChange({ ...added([5]), mailboxId: 8 });
    expect(s.hasPending).toBe(false);
    s.onChange({ kind: 'mailbox', accountId: 1, mailboxId: 7, modseq: 3, what: 'deleted' });
    expect(s.gone).toBe(true);
  });
});

describe('SelectedState with the shared UID cache', () => {
  function world(initial: number[]) {
    const bus = new LocalChangeBus();
    let truth = [...initial];
    const store = {
      bus,
      listUids: async () => Uint32Array.from(truth),
    } as unknown as MailStore;
    const cache = new UidCache(store, 1_000_000);
    const publish = (c: Change): void => {
      if (c.kind === 'added') truth.push(...c.entries.map((e) => e.uid));
      if (c.kind === 'expunged') truth = truth.filter((u) => !c.uids.includes(u));
      bus.publish(c);
    };
    const open = async (): Promise<SelectedState> => {
      const view = await cache.get(1, 7);
      const s = new SelectedState(MAILBOX, view, false, () => cache.current(7));
      bus.subscribe(1, (c) => s.onChange(c));
      return s;
    };
    return { cache, publish, open, truth: () => truth };
  }

  it('sessions share one array, copy on their own change and share again once caught up', async () => {
    const w = world([1, 2, 3, 4]);
    const a = await w.open();
    const b = await w.open();
    expect(w.cache.size).toEqual({ mailboxes: 1, messages: 4 });
    expect(a.uids.isShared && b.uids.isShared).toBe(true);
    w.publish(added([5, 6]));
    // b flushes at once (IDLE), a holds expunges (in a FETCH) later.
    expect(flush(b)).toEqual(['EXISTS 6']);
    expect(b.uids.isShared).toBe(true);
    expect(a.uids.toArray()).toEqual([1, 2, 3, 4]);
    w.publish(expunged([2]));
    expect(flush(a, { expunges: false })).toEqual(['EXISTS 6']);
    expect(a.uids.isShared).toBe(false);
    expect(a.uids.toArray()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(flush(b)).toEqual(['EXPUNGE 2']);
    expect(b.uids.toArray()).toEqual([1, 3, 4, 5, 6]);
    expect(flush(a)).toEqual(['EXPUNGE 2']);
    expect(a.uids.isShared).toBe(true);
    expect(a.uids.toArray()).toEqual(w.truth());
    // A third session selecting now reads nothing new and sees the same.
    const c = await w.open();
    expect(c.uids.toArray()).toEqual(w.truth());
  });

  it('random interleavings: every session`s view and its EXPUNGE/EXISTS stay right', async () => {
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 20; round++) {
      const w = world(Array.from({ length: 50 }, (_, i) => i + 1));
      let next = 51;
      const sessions: Array<{ s: SelectedState; client: number[] }> = [];
      for (let i = 0; i < 3; i++) {
        const s = await w.open();
        sessions.push({ s, client: s.uids.toArray() });
      }
      for (let step = 0; step < 200; step++) {
        const op = rnd(10);
        if (op < 3) {
          const n = 1 + rnd(3);
          w.publish(added(Array.from({ length: n }, () => next++)));
        } else if (op < 5) {
          const t = w.truth();
          if (t.length > 0) w.publish(expunged([...new Set(Array.from({ length: 1 + rnd(4) }, () => t[rnd(t.length)]!))]));
        } else {
          const x = sessions[rnd(sessions.length)]!;
          const allow = rnd(3) > 0;
          const out = flush(x.s, { expunges: allow });
          // The client applies the responses to what it knew: EXPUNGE n removes the n-th, EXISTS grows.
          for (const line of out) {
            const e = /^EXPUNGE (\d+)$/.exec(line);
            if (e !== null) x.client.splice(Number(e[1]) - 1, 1);
            const m = /^EXISTS (\d+)$/.exec(line);
            if (m !== null) {
              const grow = Number(m[1]) - x.client.length;
              expect(grow).toBeGreaterThan(0);
              x.client.push(...x.s.uids.toArray().slice(x.client.length));
            }
          }
          expect(x.client).toEqual(x.s.uids.toArray());
          if (allow) {
            // Caught up: exactly the committed mailbox.
            expect(x.s.uids.toArray()).toEqual(w.truth());
          }
        }
      }
      for (const x of sessions) {
        flush(x.s);
        expect(x.s.uids.toArray()).toEqual(w.truth());
      }
    }
  });
});
