import { describe, expect, it } from 'vitest';
import { baseSubject, subjectInfo } from './subject.js';

describe('baseSubject (RFC 5256 §2.1)', () => {
  const cases: [string, string][] = [
    ['foo', 'foo'],
    ['Re: foo', 'foo'],
    ['RE: Re: re: foo', 'foo'],
    ['Fwd: foo', 'foo'],
    ['fw: foo', 'foo'],
    ['Re : foo', 'foo'], // subj-refwd allows WSP before ":"
    ['Re[2]: foo', 'foo'], // subj-refwd with a subj-blob
    ['Re: [list] foo', 'foo'], // (4) blob removed: "foo" remains
    ['[list] Re: foo', 'foo'], // blob before subj-refwd is part of subj-leader
    ['Fwd: Re: [x] [y] Re: foo', 'foo'],
    ['[list]', '[list]'], // (4) removing it would leave nothing
    ['Re: [list]', '[list]'],
    ['foo (fwd)', 'foo'], // (2) subj-trailer
    ['foo (fwd) (FWD)  ', 'foo'],
    ['[fwd: foo]', 'foo'], // (6)
    ['[Fwd: Re: foo] (fwd)', 'foo'],
    ['Re:\tfoo   bar', 'foo bar'], // (1) tabs and runs of spaces
    ['Re:', ''],
    ['', ''],
    ['Subject with Re: inside', 'Subject with Re: inside'],
    ['Reply: not a prefix', 'Reply: not a prefix'],
    ['R: R: R: I: FR-selca', 'R: R: R: I: FR-selca'], // only re/fw/fwd are removed
  ];
  it.each(cases)('%j -> %j', (input, expected) => {
    expect(baseSubject(input)).toBe(expected);
  });
});

describe('subjectInfo: reply or forward (RFC 5256 §3 THREAD=REFERENCES)', () => {
  const cases: [string, boolean][] = [
    ['foo', false],
    ['[list] foo', false], // a blob alone is not a reply marker
    ['Re: foo', true],
    ['[list] Re: foo', true],
    ['foo (fwd)', true],
    ['[fwd: foo]', true],
    ['Subject with Re: inside', false],
    ['Re:', true],
  ];
  it.each(cases)('%j -> %j', (input, reply) => {
    expect(subjectInfo(input)).toEqual({ base: baseSubject(input), isReply: reply });
  });
});
