/**
 * THREAD=ORDEREDSUBJECT and THREAD=REFERENCES (RFC 5256 §3) on hand-checked cases: each expected
 * tree is worked out from the RFC's steps in the comment above it.
 */
import { describe, expect, it } from 'vitest';
import type { SortRow } from '../../store/engine.js';
import { normalizeMessageId, references, threadMessages } from './thread-message.js';
import { orderedSubjectThreads } from './thread-ordered.js';
import { referencesThreads } from './thread-references.js';
import { threadList, type ThreadNode } from './wire/index.js';

interface Spec {
  mid?: string;
  refs?: string[];
  irt?: string[];
  date?: number | null;
  subject?: string;
}

/** Rows in sequence order; message n (1-based) answers as n. */
function rows(specs: Spec[]): SortRow[] {
  return specs.map((s, i) => {
    const subject = s.subject ?? '';
    const base = subject.replace(/^((re|fwd?):\s*)+/i, '');
    return {
      uid: i + 1, messageId: i + 1, threadId: i + 1, internalDate: 1_000_000 + i, date: s.date === undefined ? i : s.date, size: 0,
      baseSubject: base, subject: subject.toLowerCase(), sortFrom: '', sortTo: '', sortCc: '', displayFrom: '', displayTo: '',
      messageIdHeader: s.mid ?? null, inReplyTo: s.irt?.join(' ') ?? null, references: s.refs?.join(' ') ?? null,
    };
  });
}

const wire = (threads: ThreadNode[]) => threads.map(threadList).join('');
const refsThread = (specs: Spec[]) => {
  const r = rows(specs);
  return wire(referencesThreads(threadMessages(r, r.map((x) => x.uid))));
};
const subjectThread = (specs: Spec[]) => {
  const r = rows(specs);
  return wire(orderedSubjectThreads(threadMessages(r, r.map((x) => x.uid))));
};

describe('THREAD=REFERENCES', () => {
  it('links replies by References, branches sorted by date', () => {
    // (1) a<-b<-c and a<-d; (4) roots 1, 5; (5) different subjects; (6) children of 1: 2 (date 2), 4 (date 4).
    expect(refsThread([
      { mid: 'a', subject: 'hello', date: 1 },
      { mid: 'b', refs: ['a'], subject: 'Re: hello', date: 2 },
      { mid: 'c', refs: ['a', 'b'], subject: 'Re: hello', date: 3 },
      { mid: 'd', irt: ['a'], subject: 'Re: hello', date: 4 },
      { mid: 'e', subject: 'other', date: 5 },
    ])).toBe('(1 (2 3)(4))(5)');
  });

  it('keeps a dummy for an absent parent with several children, sorted by date', () => {
    // (1) dummy p with children 1 and 2; (3) kept at the root (two children); (4)/(6) 2 (date 5) before 1 (date 10).
    expect(refsThread([
      { mid: 'x1', refs: ['p'], subject: 'Re: topic', date: 10 },
      { mid: 'x2', refs: ['p'], subject: 'Re: topic', date: 5 },
    ])).toBe('((2)(1))');
  });

  it('promotes the only child of a dummy to the root, and drops childless dummies', () => {
    // c's References make dummies a<-b<-c; then b's own References say x: (1)(B) moves b under x.
    // (3): a has no children left (deleted); x has one child, promoted: b is a root with child c.
    expect(refsThread([{ mid: 'y', refs: ['q'], subject: 'Re: q' }])).toBe('(1)');
    expect(refsThread([
      { mid: 'c', refs: ['a', 'b'], date: 3, subject: 'Re: s' },
      { mid: 'b', refs: ['x'], date: 2, subject: 'Re: s' },
    ])).toBe('(2 1)');
  });

  it('gathers threads with the same base subject (5): reply under non-reply, two non-replies under a dummy', () => {
    // (B) table "meeting" -> 1; (C) 2 is a reply and 1 is not: 2 becomes 1's child; 3 is not a reply:
    // a new dummy holds 1 and 3. (6) dummy sorts by its first child (date 1), before 4 (date 4).
    expect(refsThread([
      { mid: 'm1', subject: 'Meeting', date: 1 },
      { mid: 'm2', subject: 'Re: Meeting', date: 2 },
      { mid: 'm3', subject: 'MEETING', date: 3 },
      { mid: 'm4', subject: 'Lunch', date: 4 },
    ])).toBe('((1 2)(3))(4)');
  });

  it('puts a reply found first under the non-reply with that subject', () => {
    // (B) "plan" -> 1 (a reply), replaced by 2 (not a reply); (C) 1 becomes 2's child.
    expect(refsThread([{ subject: 'Re: Plan', date: 1 }, { subject: 'Plan', date: 2 }])).toBe('(2 1)');
  });

  it('merges into a dummy of the same subject, and two dummies into one', () => {
    // Dummy D0 (children 1, 2; first date 3); 3 "Z" (date 1). (4) root: 3, D0. (B) "z": 3, replaced by
    // the dummy D0; (C) 3 goes under D0. (6) D0's children by date: 3, 1, 2.
    expect(refsThread([
      { mid: 'r1', refs: ['root0'], subject: 'Re: Z', date: 3 },
      { mid: 'r2', refs: ['root0'], subject: 'Re: Z', date: 4 },
      { mid: 'z3', subject: 'Z', date: 1 },
    ])).toBe('((3)(1)(2))');
    // Dummies P1 (1, 2) and P2 (3, 4), same subject: P2's children join P1.
    expect(refsThread([
      { refs: ['p1'], subject: 'Re: K', date: 1 },
      { refs: ['p1'], subject: 'Re: K', date: 2 },
      { refs: ['p2'], subject: 'Re: K', date: 3 },
      { refs: ['p2'], subject: 'Re: K', date: 4 },
    ])).toBe('((1)(2)(3)(4))');
  });

  it('never links in a loop, uses the first of duplicate ids, and ignores empty subjects in (5)', () => {
    // 1 says its parent is b; 2 (b) says its parent is a = 1, which is below it: no link. 2 is the root.
    expect(refsThread([{ mid: 'a', refs: ['b'], subject: 'L1', date: 1 }, { mid: 'b', refs: ['a'], subject: 'L2', date: 2 }])).toBe('(2 1)');
    // A self-reference is no parent.
    expect(refsThread([{ mid: 's', refs: ['s'], subject: 'self' }])).toBe('(1)');
    // Duplicate id: only 1 owns "same"; 3 replies to 1; 2 (same subject, not a reply) joins 1 under a dummy.
    expect(refsThread([
      { mid: 'same', subject: 'dup', date: 1 },
      { mid: 'same', subject: 'dup', date: 2 },
      { refs: ['same'], subject: 'Re: dup', date: 3 },
    ])).toBe('((1 3)(2))');
    expect(refsThread([{ subject: '', date: 1 }, { subject: '', date: 2 }])).toBe('(1)(2)');
  });

  it('breaks a parent link from others\' References even when its own would loop (1)(B)', () => {
    // 2 (b) refs a, c: (A) links a<-c, (B) c<-b. 3 (c) refs b: (B) breaks c's link to a first, then
    // b<-c would loop (b is below c): no link. c is a root with child b; a (1) is alone. (4) by date:
    // c (date 2) before a (date 3). Dovecot answers the same: (3 2)(1).
    expect(refsThread([
      { mid: 'a', date: 3, subject: 'x' },
      { mid: 'b', refs: ['a', 'c'], date: 1, subject: 'y' },
      { mid: 'c', refs: ['b'], date: 2, subject: 'z' },
    ])).toBe('(3 2)(1)');
  });

  it('treats quoted and unquoted forms of a msg-id as one (RFC 5256 §3)', () => {
    expect(normalizeMessageId('"01KF8JCEOCBS0045PS"@xxx.yyy.com')).toBe('01KF8JCEOCBS0045PS@xxx.yyy.com');
    expect(normalizeMessageId('"a\\"b"@x')).toBe('a"b@x');
    expect(refsThread([{ mid: '"abc"@x', subject: 'q', date: 1 }, { refs: ['abc@x'], subject: 'Re: q', date: 2 }])).toBe('(1 2)');
  });

  it('uses In-Reply-To only without References, and only its first id', () => {
    expect(references({ references: 'a b', inReplyTo: 'c' })).toEqual(['a', 'b']);
    expect(references({ references: null, inReplyTo: 'c d' })).toEqual(['c']);
    const long = Array.from({ length: 500 }, (_, i) => `id${i}`);
    const kept = references({ references: long.join(' '), inReplyTo: null });
    expect(kept).toHaveLength(100);
    expect(kept[0]).toBe('id0');
    expect(kept[99]).toBe('id499');
  });

  it('threads a 10,000-message reply chain without recursion, in either arrival order', () => {
    const n = 10_000;
    // Each message refers to the root and its 150 latest ancestors (more than limits.ts keeps).
    const chain: Spec[] = Array.from({ length: n }, (_, i) => ({
      mid: `m${i}`,
      refs: [...(i > 150 ? ['m0'] : []), ...Array.from({ length: Math.min(i, 150) }, (_, k) => `m${i - Math.min(i, 150) + k}`)],
      subject: i === 0 ? 'deep' : 'Re: deep',
      date: i,
    }));
    const expected = '(' + Array.from({ length: n }, (_, i) => i + 1).join(' ') + ')';
    expect(refsThread(chain)).toBe(expected);
    // Newest first: the References are truncated the way limits.ts says, the result still holds every message once.
    const reversed = refsThread([...chain].reverse());
    const numbers = reversed.match(/\d+/g)!.map(Number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  it('survives an In-Reply-To chain 10,000 deep and a cycle of 10,000 ids', () => {
    const n = 10_000;
    const deep: Spec[] = Array.from({ length: n }, (_, i) => ({ mid: `d${i}`, irt: i === 0 ? [] : [`d${i - 1}`], date: i }));
    expect(refsThread(deep)).toBe('(' + Array.from({ length: n }, (_, i) => i + 1).join(' ') + ')');
    const cycle: Spec[] = Array.from({ length: n }, (_, i) => ({ mid: `c${i}`, irt: [`c${(i + 1) % n}`], date: i }));
    const out = refsThread(cycle);
    expect(out.match(/\d+/g)).toHaveLength(n);
  });
});

describe('THREAD=ORDEREDSUBJECT', () => {
  it('groups by base subject (case-insensitive), children flat, threads by first date', () => {
    // "a" group by date: 5 (2), 2 (3), 3 (4); "b": 4 (1), 1 (5); "c": 6 (0). Threads by first date: 6, 4, 5.
    expect(subjectThread([
      { subject: 'b', date: 5 },
      { subject: 'Re: a', date: 3 },
      { subject: 'a', date: 4 },
      { subject: 'b', date: 1 },
      { subject: 'A', date: 2 },
      { subject: 'c', date: 0 },
    ])).toBe('(6)(4 1)(5 (2)(3))');
  });

  it('uses INTERNALDATE without a Date: header, and sequence order on equal dates', () => {
    // 1 has no date: its INTERNALDATE (1,000,000) sorts it last; 2 and 3 tie at 7: sequence order.
    expect(subjectThread([{ subject: 'x', date: null }, { subject: 'x', date: 7 }, { subject: 'x', date: 7 }])).toBe('(2 (3)(1))');
    expect(subjectThread([])).toBe('');
  });
});
