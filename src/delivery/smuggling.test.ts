import { describe, expect, it } from 'vitest';
import { findLineEndingProblem, lineEndingMessage } from './smuggling.js';

const find = (s: string): ReturnType<typeof findLineEndingProblem> => findLineEndingProblem(Buffer.from(s, 'latin1'));

describe('findLineEndingProblem', () => {
  it.each([
    ['Subject: a\r\n\r\nbody\r\n', null],
    ['', null],
    ['no line end at all', null],
    ['a\r\n.\r\nb\r\n', null],
  ])('accepts %j', (input, expected) => {
    expect(find(input)).toBe(expected);
  });

  it.each([
    ['a\nb\r\n', 'bare-lf', 1],
    ['a\rb\r\n', 'bare-cr', 1],
    ['a\r\nb\r', 'bare-cr', 4],
    ['a\r\r\nb', 'bare-cr', 1],
    ['a\n', 'bare-lf', 1],
    ['x\n.\nMAIL FROM:<a@b>\r\n', 'smuggling', 1],
    ['x\n.\r\nMAIL', 'smuggling', 1],
    ['x\r\n.\nMAIL', 'smuggling', 4],
    ['x\r.\rMAIL', 'smuggling', 1],
    ['x\r\n.\rMAIL', 'smuggling', 4],
    ['x\r.\r\nMAIL', 'smuggling', 1],
  ])('refuses %j as %s at %d', (input, kind, offset) => {
    expect(find(input)).toEqual({ kind, offset });
  });

  it('finds a problem at any chunk position of a large message', () => {
    const body = Buffer.from('line\r\n'.repeat(100_000) + 'bad\nline\r\n', 'latin1');
    expect(findLineEndingProblem(body)).toEqual({ kind: 'bare-lf', offset: 600_003 });
  });

  it('gives 5.6.0 reply texts', () => {
    expect(lineEndingMessage({ kind: 'smuggling', offset: 0 })).toMatch(/^5\.6\.0 .*smuggling/);
    expect(lineEndingMessage({ kind: 'bare-lf', offset: 0 })).toMatch(/^5\.6\.0 .*bare LF/);
    expect(lineEndingMessage({ kind: 'bare-cr', offset: 0 })).toMatch(/^5\.6\.0 .*bare CR/);
  });
});
