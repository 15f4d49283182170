import { describe, expect, it } from 'vitest';
import { canonicalPattern, compilePattern, PatternSet } from './list-pattern.js';

/** [pattern, name, matches] */
const TABLE: ReadonlyArray<readonly [string, string, boolean]> = [
  // "*" matches everything, the delimiter included (RFC 9051 §6.3.9).
  ['*', 'INBOX', true],
  ['*', 'a/b/c', true],
  ['*', '', true],
  // "%" stops at the delimiter.
  ['%', 'Drafts', true],
  ['%', 'a/b', false],
  ['%', '', true],
  ['%/%', 'a/b', true],
  ['%/%', 'a/b/c', false],
  ['%/%', 'a', false],
  ['a/%', 'a/b', true],
  ['a/%', 'a', false],
  ['a/%', 'a/', true],
  ['a/%', 'ab/c', false],
  ['a/*', 'a/b/c', true],
  ['a/*', 'a', false],
  ['a*', 'a', true],
  ['a*', 'a/b/c', true],
  ['a*', 'ba', false],
  ['a%', 'abc', true],
  ['a%', 'ab/c', false],
  ['*c', 'a/b/c', true],
  ['*c', 'a/b/cd', false],
  ['%c', 'a/c', false],
  ['%c', 'abc', true],
  ['*/b', 'x/y/b', true],
  ['%/b', 'x/y/b', false],
  ['f*o*o', 'fooo', true],
  ['f*o*o', 'fo', false],
  ['f%o%o', 'f/o/o', false],
  ['f*o%o', 'f/o/xo', false],
  ['f*o%o', 'f/o/xoo', true],
  ['f*o%o', 'f/o/xoyo', true],
  ['f*o%o', 'f/o/xo/o', false],
  ['f%o*o', 'fx/o', false],
  ['f%o*o', 'fxo/o', true],
  // Runs of wildcards.
  ['**', 'a/b', true],
  ['%%', 'a/b', false],
  ['%*', 'a/b', true],
  ['*%', 'a/b', true],
  ['a%%b', 'axyb', true],
  // Literal names are case-sensitive ...
  ['drafts', 'Drafts', false],
  ['Drafts', 'Drafts', true],
  ['Drafts', 'Drafts/x', false],
  // ... except INBOX and the INBOX level of its children (RFC 9051 §5.1).
  ['inbox', 'INBOX', true],
  ['InBoX', 'INBOX', true],
  ['inbox/%', 'INBOX/Sub', true],
  ['inbox/sub', 'INBOX/Sub', false],
  ['inbox/Sub', 'INBOX/Sub', true],
  ['in*', 'INBOX', true],
  ['in%', 'INBOX', true],
  ['%BOX', 'INBOX', true],
  ['%box', 'INBOX', true],
  ['%box', 'MailBOX', false],
  ['%box', 'Mailbox', true],
  ['i*', 'INBOX/x', true],
  ['inb*', 'Inbox2', false],
  ['inbox*', 'INBOXES', false],
  ['INBOX*', 'INBOXES', true],
  ['inboxes', 'INBOXES', false],
  // Unicode names compare as NFC code points.
  ['Entw%', 'Entwürfe', true],
  ['日本*', '日本語/子', true],
  ['日本%', '日本語/子', false],
  ['*語', '日本語', true],
];

describe('LIST pattern matching', () => {
  it.each(TABLE)('%j against %j → %j', (pattern, name, expected) => {
    expect(compilePattern(pattern).matches(name)).toBe(expected);
  });

  it('stays linear on patterns that make backtracking matchers explode', () => {
    const p = compilePattern('*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b');
    const name = 'a'.repeat(1000);
    const t0 = performance.now();
    expect(p.matches(name)).toBe(false);
    expect(p.matches(name + 'b')).toBe(true);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('can be reused for many names', () => {
    const p = compilePattern('%/x%');
    const names = ['a/x', 'a/xy', 'a/y', 'a/x/z', 'b/x', 'x'];
    expect(names.filter((n) => p.matches(n))).toEqual(['a/x', 'a/xy', 'b/x']);
    expect(names.filter((n) => p.matches(n))).toEqual(['a/x', 'a/xy', 'b/x']);
  });
});

describe('canonical patterns and pattern sets', () => {
  it('puts the reference in front and normalises to NFC', () => {
    expect(canonicalPattern('a/', '%')).toBe('a/%');
    expect(canonicalPattern('', '*')).toBe('*');
    expect(canonicalPattern('Entwu\u0308', '*')).toBe('Entw\u00fc*');
  });

  it('matches a name when any pattern does, and ignores empty patterns (RFC 5258 §3)', () => {
    const set = new PatternSet('', ['INBOX', 'Work/%', '']);
    expect(set.patterns.map((p) => p.pattern)).toEqual(['INBOX', 'Work/%']);
    expect(set.matches('INBOX')).toBe(true);
    expect(set.matches('Work/a')).toBe(true);
    expect(set.matches('Work/a/b')).toBe(false);
    expect(set.matches('Work')).toBe(false);
    expect(new PatternSet('', ['']).empty).toBe(true);
  });

  it('applies the reference to every pattern', () => {
    const set = new PatternSet('Work/', ['%', 'x/*']);
    expect(set.matches('Work/a')).toBe(true);
    expect(set.matches('Work/x/y/z')).toBe(true);
    expect(set.matches('a')).toBe(false);
  });
});
