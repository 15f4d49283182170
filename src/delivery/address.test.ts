import { describe, expect, it } from 'vitest';
import { joinAddress, splitAddress, withoutTag } from './address.js';

describe('splitAddress', () => {
  it.each([
    ['alice@example.com', { local: 'alice', domain: 'example.com' }],
    ['Alice@EXAMPLE.com.', { local: 'Alice', domain: 'example.com' }],
    ['"a b"@example.com', null],
    ['a@b@example.com', { local: 'a@b', domain: 'example.com' }],
    ['jörg@bücher.example', { local: 'jörg', domain: 'bücher.example' }],
    ['@example.com', null],
    ['alice@', null],
    ['alice', null],
    ['', null],
    ['al\u0000ice@example.com', null],
    ['<alice@example.com>', null],
    [`${'a'.repeat(65)}@example.com`, null],
    [`a@${'b'.repeat(256)}`, null],
  ])('%j', (input, expected) => {
    expect(splitAddress(input)).toEqual(expected);
  });
});

describe('withoutTag (plus-addressing)', () => {
  const tag = (s: string): string | null => {
    const a = splitAddress(s);
    if (a === null) throw new Error(s);
    const t = withoutTag(a);
    return t === null ? null : joinAddress(t);
  };
  it.each([
    ['alice+lists@example.com', 'alice@example.com'],
    ['alice+a+b@example.com', 'alice@example.com'],
    ['alice@example.com', null],
    ['+1@example.com', null],
    ['alice+@example.com', null],
  ])('%s → %s', (input, expected) => {
    expect(tag(input)).toBe(expected);
  });
});
