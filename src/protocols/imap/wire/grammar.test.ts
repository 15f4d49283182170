/**
 * Command grammar details beyond the RFC examples: every FETCH item and section form, every
 * SEARCH key, mailbox name decoding, strings and round trips with the serializer helpers.
 */
import { describe, expect, it } from 'vitest';
import { formatDateTime, formatSearchDate, parseDateTime, parseSearchDate } from './datetime.js';
import { formatSection, mailboxName } from './format.js';
import { parseSequenceSet } from './sequence-set.js';
import { parseOne } from './test-support.js';
import type { FetchCommand, SearchCommand, SearchKey } from './types.js';

const fetch = (text: string): FetchCommand => parseOne(`a FETCH 1 ${text}`) as FetchCommand;
const search = (text: string, utf8 = false): SearchCommand => parseOne(`a SEARCH ${text}`, { authenticated: true, utf8 }) as SearchCommand;
const key = (text: string): SearchKey => search(text).criteria[0]!;

describe('FETCH items', () => {
  it.each([
    ['FLAGS', { kind: 'FLAGS' }],
    ['INTERNALDATE', { kind: 'INTERNALDATE' }],
    ['RFC822', { kind: 'RFC822' }],
    ['RFC822.HEADER', { kind: 'RFC822.HEADER' }],
    ['RFC822.SIZE', { kind: 'RFC822.SIZE' }],
    ['RFC822.TEXT', { kind: 'RFC822.TEXT' }],
    ['ENVELOPE', { kind: 'ENVELOPE' }],
    ['BODY', { kind: 'BODY' }],
    ['BODYSTRUCTURE', { kind: 'BODYSTRUCTURE' }],
    ['UID', { kind: 'UID' }],
    ['MODSEQ', { kind: 'MODSEQ' }],
    ['EMAILID', { kind: 'EMAILID' }],
    ['THREADID', { kind: 'THREADID' }],
    ['SAVEDATE', { kind: 'SAVEDATE' }],
    ['PREVIEW', { kind: 'PREVIEW', lazy: false }],
    ['BODY[]', { kind: 'BODY[]', peek: false, section: { part: [], text: null, fields: null }, partial: null }],
    ['body.peek[]<0.2048>', { kind: 'BODY[]', peek: true, partial: { offset: 0, length: 2048 } }],
    ['BODY[1]', { kind: 'BODY[]', section: { part: [1], text: null, fields: null } }],
    ['BODY[1.2.3]', { kind: 'BODY[]', section: { part: [1, 2, 3], text: null } }],
    ['BODY[HEADER]', { section: { part: [], text: 'HEADER' } }],
    ['BODY[TEXT]', { section: { part: [], text: 'TEXT' } }],
    ['BODY[4.2.HEADER]', { section: { part: [4, 2], text: 'HEADER' } }],
    ['BODY[3.TEXT]', { section: { part: [3], text: 'TEXT' } }],
    ['BODY[1.MIME]', { section: { part: [1], text: 'MIME' } }],
    ['BODY[HEADER.FIELDS (From To "X-Odd Name" {4}\r\nX-Li)]', { section: { text: 'HEADER.FIELDS', fields: ['From', 'To', 'X-Odd Name', 'X-Li'] } }],
    ['BODY.PEEK[2.HEADER.FIELDS.NOT (Received)]<10.5>', { peek: true, section: { part: [2], text: 'HEADER.FIELDS.NOT', fields: ['Received'] }, partial: { offset: 10, length: 5 } }],
    ['BINARY[]', { kind: 'BINARY[]', peek: false, part: [], partial: null }],
    ['BINARY.PEEK[1.2]<0.1024>', { kind: 'BINARY[]', peek: true, part: [1, 2], partial: { offset: 0, length: 1024 } }],
    ['BINARY.SIZE[3]', { kind: 'BINARY.SIZE', part: [3] }],
    ['PREVIEW (LAZY)', { kind: 'PREVIEW', lazy: true }],
  ])('%s', (text, item) => {
    expect(fetch(text).items).toMatchObject([item]);
    expect(fetch(`(UID ${text})`).items).toMatchObject([{ kind: 'UID' }, item]);
  });

  it('expands the macros (RFC 9051 §6.4.5)', () => {
    expect(fetch('FAST')).toMatchObject({ macro: 'FAST', items: [{ kind: 'FLAGS' }, { kind: 'INTERNALDATE' }, { kind: 'RFC822.SIZE' }] });
    expect(fetch('full').items.map((i) => i.kind)).toEqual(['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY']);
    expect(fetch('ALL (CHANGEDSINCE 7)')).toMatchObject({ macro: 'ALL', changedSince: 7n });
  });

  it('tells PREVIEW (LAZY) from fetch modifiers after a single item', () => {
    expect(fetch('PREVIEW (CHANGEDSINCE 5)')).toMatchObject({ items: [{ kind: 'PREVIEW', lazy: false }], changedSince: 5n });
    expect(fetch('PREVIEW (LAZY) (CHANGEDSINCE 5)')).toMatchObject({ items: [{ kind: 'PREVIEW', lazy: true }], changedSince: 5n });
  });

  it('keeps 63-bit mod-sequences exact', () => {
    expect(parseOne('a UID FETCH 1:* FLAGS (CHANGEDSINCE 9223372036854775807 VANISHED)')).toMatchObject({ changedSince: 9223372036854775807n });
  });

  it.each(['', '1', '1.2.3', 'HEADER', 'TEXT', '1.MIME', '2.HEADER.FIELDS (From To)', 'HEADER.FIELDS.NOT ("X Y")'])('section [%s] round-trips', (text) => {
    const item = fetch(`BODY[${text}]`).items[0]!;
    if (item.kind !== 'BODY[]') throw new Error('no section');
    expect(formatSection(item.section)).toBe(text);
  });
});

describe('SEARCH keys', () => {
  it.each([
    'ALL', 'ANSWERED', 'DELETED', 'DRAFT', 'FLAGGED', 'NEW', 'OLD', 'RECENT', 'SEEN',
    'UNANSWERED', 'UNDELETED', 'UNDRAFT', 'UNFLAGGED', 'UNSEEN', 'SAVEDATESUPPORTED',
  ])('%s', (name) => {
    expect(key(name.toLowerCase())).toEqual({ kind: name });
  });

  it.each(['BCC', 'BODY', 'CC', 'FROM', 'SUBJECT', 'TEXT', 'TO'])('%s <string>', (name) => {
    expect(key(`${name} atom`)).toEqual({ kind: name, value: 'atom' });
    expect(key(`${name} "two words"`)).toEqual({ kind: name, value: 'two words' });
    expect(key(`${name} {3}\r\nlit`)).toEqual({ kind: name, value: 'lit' });
  });

  it.each(['BEFORE', 'ON', 'SINCE', 'SENTBEFORE', 'SENTON', 'SENTSINCE', 'SAVEDBEFORE', 'SAVEDON', 'SAVEDSINCE'])('%s <date>', (name) => {
    expect(key(`${name} 1-Feb-1994`)).toEqual({ kind: name, date: { year: 1994, month: 2, day: 1 } });
    expect(key(`${name} "29-feb-2024"`)).toEqual({ kind: name, date: { year: 2024, month: 2, day: 29 } });
  });

  it('parses the other keys', () => {
    expect(key('KEYWORD $Forwarded')).toEqual({ kind: 'KEYWORD', flag: '$Forwarded' });
    expect(key('UNKEYWORD foo')).toEqual({ kind: 'UNKEYWORD', flag: 'foo' });
    expect(key('HEADER "Message-ID" "<x@y>"')).toEqual({ kind: 'HEADER', field: 'Message-ID', value: '<x@y>' });
    expect(key('HEADER X-Empty ""')).toEqual({ kind: 'HEADER', field: 'X-Empty', value: '' });
    expect(key('LARGER 99999999999')).toEqual({ kind: 'LARGER', size: 99999999999 });
    expect(key('SMALLER 9000000000000000000')).toEqual({ kind: 'SMALLER', size: Number.MAX_SAFE_INTEGER });
    expect(key('OLDER 3600')).toEqual({ kind: 'OLDER', seconds: 3600 });
    expect(key('UID 1:*')).toEqual({ kind: 'UID', set: parseSequenceSet('1:*') });
    expect(key('2,4:*')).toEqual({ kind: 'SEQUENCE', set: parseSequenceSet('2,4:*') });
    expect(key('MODSEQ "/flags/$Junk" priv 0')).toEqual({ kind: 'MODSEQ', modseq: 0n, entry: { flag: '$Junk', type: 'priv' } });
    expect(key('NOT NOT SEEN')).toEqual({ kind: 'NOT', key: { kind: 'NOT', key: { kind: 'SEEN' } } });
    expect(key('OR (SEEN FLAGGED) OR 1 2')).toEqual({
      kind: 'OR',
      left: { kind: 'AND', keys: [{ kind: 'SEEN' }, { kind: 'FLAGGED' }] },
      right: { kind: 'OR', left: { kind: 'SEQUENCE', set: parseSequenceSet('1') }, right: { kind: 'SEQUENCE', set: parseSequenceSet('2') } },
    });
  });

  it('decodes strings in the given CHARSET', () => {
    expect(parseOne(Buffer.from('a SEARCH CHARSET ISO-8859-1 SUBJECT {4}\r\nd\xe9j\xe0', 'latin1'))).toMatchObject({
      charset: 'ISO-8859-1',
      criteria: [{ kind: 'SUBJECT', value: 'déjà' }],
    });
    expect(parseOne('a SEARCH CHARSET "utf-8" SUBJECT {5}\r\ndéjà'.replace('{5}', `{${Buffer.byteLength('déjà')}}`))).toMatchObject({
      charset: 'UTF-8',
      criteria: [{ value: 'déjà' }],
    });
  });

  it('accepts UTF-8 quoted strings once enabled', () => {
    expect(search('SUBJECT "отпуск"', true).criteria).toEqual([{ kind: 'SUBJECT', value: 'отпуск' }]);
  });

  it('keeps search keys order and RETURN options without duplicates', () => {
    expect(search('RETURN (MIN MIN COUNT) CHARSET US-ASCII UID 1:5 DELETED')).toMatchObject({
      returnOptions: ['MIN', 'COUNT'],
      charset: 'US-ASCII',
      criteria: [{ kind: 'UID' }, { kind: 'DELETED' }],
    });
  });
});

describe('mailbox names', () => {
  const select = (arg: string, utf8 = false): string => (parseOne(`a SELECT ${arg}`, { authenticated: true, utf8 }) as { mailbox: string }).mailbox;

  it('decodes modified UTF-7 unless UTF-8 names are enabled', () => {
    expect(select('"~peter/mail/&U,BTFw-/&ZeVnLIqe-"')).toBe('~peter/mail/台北/日本語');
    expect(select('AT&-T')).toBe('AT&T');
    expect(select('"&U,BTFw-"', true)).toBe('&U,BTFw-');
    expect(select('"台北"', true)).toBe('台北');
  });

  it('takes a LIST pattern that is not modified UTF-7 literally (it matches no encoded name)', () => {
    const list = (arg: string): readonly string[] => (parseOne(`a LIST "" ${arg}`, { authenticated: true }) as { patterns: readonly string[] }).patterns;
    expect(list("!#$&'+,-.0123456789:;<=>?@^_`|[}%*")).toEqual(["!#$&'+,-.0123456789:;<=>?@^_`|[}%*"]);
    expect(list('"&Jjo-/%"')).toEqual(['☺/%']);
  });

  it('canonicalises INBOX in any case, and only INBOX', () => {
    expect(select('inbox')).toBe('INBOX');
    expect(select('"InBoX"')).toBe('INBOX');
    expect(select('inbox/sub')).toBe('inbox/sub');
    expect(select('INBOXES')).toBe('INBOXES');
  });

  it('normalises UTF-8 names to NFC (RFC 9051 §5.1)', () => {
    expect(select('"Cafe\u0301"', true)).toBe('Café');
  });

  it('takes 8-bit names from literals as UTF-8', () => {
    expect(select(`{${Buffer.byteLength('Entwürfe')}}\r\nEntwürfe`)).toBe('Entwürfe');
  });

  it('unescapes quoted strings', () => {
    expect(select('"a\\"b\\\\c"')).toBe('a"b\\c');
  });

  it.each(['INBOX', 'AT&T', 'Entwürfe', '台北/日本語', 'quote"back\\slash', 'a b', '', '😀'])('%j round-trips through mailboxName()', (name) => {
    for (const utf8 of [false, true]) expect(select(mailboxName(name, utf8), utf8)).toBe(name);
  });
});

describe('dates', () => {
  it('round-trips date-time with its zone', () => {
    const d = parseDateTime('17-Jul-1996 02:44:25 -0700')!;
    expect(d).toEqual({ utcMs: Date.UTC(1996, 6, 17, 9, 44, 25), offsetMinutes: -420 });
    expect(formatDateTime(d)).toBe('17-Jul-1996 02:44:25 -0700');
    expect(parseDateTime(' 7-Feb-1994 21:52:25 +0530')).toMatchObject({ offsetMinutes: 330 });
    expect(formatDateTime(new Date(Date.UTC(2020, 0, 2, 3, 4, 5)))).toBe('02-Jan-2020 03:04:05 +0000');
  });

  it('round-trips search dates', () => {
    for (const t of ['1-Feb-1994', '29-Feb-2000', '31-Dec-9999']) expect(formatSearchDate(parseSearchDate(t)!)).toBe(t);
    for (const t of ['29-Feb-1900', '0-Jan-2000', '1-Feb-1994 ', '001-Feb-1994', '1 Feb 1994']) expect(parseSearchDate(t)).toBeNull();
  });
});
