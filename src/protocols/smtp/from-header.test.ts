import { describe, expect, it } from 'vitest';
import { fromHeader } from './from-header.js';

const h = (s: string): ReturnType<typeof fromHeader> => fromHeader(Buffer.from(s, 'utf8'));

describe('fromHeader', () => {
  it('reads the addresses of the From: field', () => {
    expect(h('Subject: x\r\nFrom: "Alice A." <alice@example.com>\r\n\r\nFrom: <body@example.com>\r\n'))
      .toEqual({ fields: 1, addresses: ['alice@example.com'] });
  });

  it('unfolds, and lists every mailbox and every field', () => {
    expect(h('From: a@example.com,\r\n b@example.com\r\nfrom: c@example.com\r\n\r\n'))
      .toEqual({ fields: 2, addresses: ['a@example.com', 'b@example.com', 'c@example.com'] });
  });

  it('keeps UTF-8 addresses (RFC 6532)', () => {
    expect(h('From: Jörg <jörg@bücher.example>\r\n\r\n').addresses).toEqual(['jörg@bücher.example']);
  });

  it('finds nothing without a From: field, or in a header-only message', () => {
    expect(h('Subject: x\r\n\r\nbody')).toEqual({ fields: 0, addresses: [] });
    expect(h('\r\nFrom: a@example.com\r\n')).toEqual({ fields: 0, addresses: [] });
    expect(h('From: undisclosed:;\r\n\r\n')).toEqual({ fields: 1, addresses: [] });
  });
});
