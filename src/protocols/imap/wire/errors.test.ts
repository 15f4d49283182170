/**
 * Syntactically broken commands: each gives one error event (BAD unless noted), tagged when the
 * tag could be read, and the parser stays in sync (checked by the next command parsing).
 */
import { describe, expect, it } from 'vitest';
import { drive, parseError } from './test-support.js';

const BAD_COMMANDS: readonly string[] = [
  // framing and tokens
  'a',
  'a ',
  'a NOOP extra',
  'a CAPABILITY ',
  'a  NOOP',
  'a\tNOOP',
  'a NOOP\x00',
  'a XPIG-LATIN',
  'a UID FOO 1',
  'a UID',
  // FETCH
  'a FETCH 1 (FLAGS',
  'a FETCH 1 FLAGS)',
  'a FETCH 1 ()',
  'a FETCH 0 FLAGS',
  'a FETCH 4294967296 FLAGS',
  'a FETCH 1:2:3 FLAGS',
  'a FETCH 1,,2 FLAGS',
  'a FETCH 1 (FOO)',
  'a FETCH 1 (BODY[HEADER.FIELDS])',
  'a FETCH 1 (BODY[HEADER.FIELDS ()])',
  'a FETCH 1 (BODY[MIME])',
  'a FETCH 1 (BODY[1.])',
  'a FETCH 1 (BODY[0])',
  'a FETCH 1 (BODY[FOO])',
  'a FETCH 1 (BODY[TEXT)',
  'a FETCH 1 BODY.PEEK',
  'a FETCH 1 (BODY[]<0>)',
  'a FETCH 1 (BODY[]<0.0>)',
  'a FETCH 1 (BODY[]<x.1>)',
  'a FETCH 1 (BINARY[TEXT])',
  'a FETCH 1 (BINARY.SIZE[1]<0.5>)',
  'a FETCH 1 (PREVIEW (FUZZY))',
  'a FETCH 1 FLAGS (VANISHED)',
  'a UID FETCH 1 FLAGS (VANISHED)',
  'a UID FETCH 1 FLAGS (CHANGEDSINCE 0)',
  'a FETCH 1 FLAGS (CHANGEDSINCE 1 CHANGEDSINCE 2)',
  'a FETCH 1 FLAGS (FOO)',
  'a FETCH 1 FLAGS (CHANGEDSINCE 99999999999999999999)',
  // SEARCH
  'a SEARCH',
  'a SEARCH FOO',
  'a SEARCH SINCE 31-Feb-2020',
  'a SEARCH SINCE 1-Foo-2020',
  'a SEARCH SINCE 1-Feb-20',
  'a SEARCH OR ALL',
  'a SEARCH (ALL',
  'a SEARCH ALL)',
  'a SEARCH ()',
  'a SEARCH  ALL',
  'a SEARCH RETURN (FOO) ALL',
  'a SEARCH RETURN (MIN)',
  'a SEARCH MODSEQ "/foo/bar" all 5',
  'a SEARCH MODSEQ "/flags/\\\\seen" none 5',
  'a SEARCH MODSEQ -1',
  'a SEARCH EMAILID a.b',
  'a SEARCH UID $,1',
  'a SEARCH TEXT "bad\\x"',
  'a SEARCH TEXT "unterminated',
  'a SEARCH HEADER Subject',
  'a SEARCH OLDER 0',
  'a SEARCH KEYWORD \\Seen',
  'a SEARCH CHARSET',
  'a SORT (FOO) UTF-8 ALL',
  'a SORT (REVERSE) UTF-8 ALL',
  'a SORT DATE UTF-8 ALL',
  'a SORT (DATE) UTF-8',
  'a THREAD FOO UTF-8 ALL',
  'a THREAD REFERENCES ALL',
  // mailboxes
  'a SELECT',
  'a SELECT INBOX (FOO)',
  'a SELECT INBOX ()',
  'a SELECT INBOX (QRESYNC (0 5))',
  'a SELECT INBOX (QRESYNC (1 0))',
  'a SELECT INBOX (QRESYNC (1 5 1:*))',
  'a SELECT INBOX (QRESYNC (1 5 $))',
  'a SELECT INBOX (QRESYNC (1 5 1:3 (1:2)))',
  'a SELECT "caf\u00e9"',
  'a CREATE x (USE (Drafts))',
  'a CREATE x (FOO)',
  'a RENAME x',
  'a LIST (RECURSIVEMATCH) "" *',
  'a LIST (REMOTE RECURSIVEMATCH) "" *',
  'a LIST (FOO) "" *',
  'a LIST "" * RETURN (FOO)',
  'a LIST "" * FOO (CHILDREN)',
  'a LIST ""',
  'a LIST "" ()',
  'a STATUS INBOX ()',
  'a STATUS INBOX (FOO)',
  'a STATUS INBOX MESSAGES',
  // STORE / COPY / APPEND
  'a STORE 1 FLAGS',
  'a STORE 1 *FLAGS (\\Seen)',
  'a STORE 1 FLAGS.LOUD (\\Seen)',
  'a STORE 1 (UNCHANGEDSINCE 1 UNCHANGEDSINCE 2) FLAGS (\\Seen)',
  'a STORE 1 (FOO 1) FLAGS (\\Seen)',
  'a STORE 1 FLAGS (\\Seen',
  'a COPY 1',
  'a MOVE INBOX',
  'a EXPUNGE 1',
  'a UID EXPUNGE',
  'a APPEND INBOX (\\Seen)',
  'a APPEND INBOX "bad date" {1+}\r\nx',
  'a APPEND INBOX "32-Jan-2020 00:00:00 +0000" {1+}\r\nx',
  'a APPEND INBOX "01-Jan-2020 24:00:00 +0000" {1+}\r\nx',
  'a APPEND INBOX "01-Jan-2020 00:00:00 0000" {1+}\r\nx',
  'a APPEND INBOX FOO (~{1+}\r\nx)',
  'a APPEND INBOX {1+}\r\nx extra',
  'a REPLACE 0 INBOX {1+}\r\nx',
  // authentication and misc
  'a LOGIN a',
  'a LOGIN a b c',
  'a LOGIN {3+}\r\n\xff\xfe\xfd b',
  'a AUTHENTICATE',
  'a AUTHENTICATE PLAIN dGVzd',
  'a AUTHENTICATE PLAIN dGV=zdA==',
  'a ENABLE',
  'a ID ("a")',
  'a ID ("a" "b"',
  'a ID FOO',
  'a COMPRESS',
  'a GETQUOTA',
  'a SETQUOTA "" (STORAGE)',
  'a SETQUOTA "" STORAGE 1',
];

describe('syntax errors', () => {
  it.each(BAD_COMMANDS)('%j', (text) => {
    const e = parseError(text);
    expect(e).toMatchObject({ type: 'error', tag: 'a', status: 'BAD', fatal: false });
    expect(e.message.length).toBeGreaterThan(0);
    // The stream stays in sync: a following command parses.
    const after = drive([Buffer.from(`${text}\r\nz NOOP\r\n`, 'latin1')], { authenticated: true });
    expect(after[after.length - 1]).toEqual({ type: 'command', command: { tag: 'z', kind: 'NOOP' } });
  });

  it('has no tag when the tag itself is invalid', () => {
    for (const text of ['* NOOP', '+a NOOP', '{5} NOOP', '(a) NOOP', '"a" NOOP', '\xe9 NOOP']) {
      expect(parseError(Buffer.from(text, 'latin1'))).toMatchObject({ tag: null, status: 'BAD' });
    }
  });

  it('answers an unknown SEARCH charset with NO [BADCHARSET] (RFC 9051 §6.4.4)', () => {
    expect(parseError('a SEARCH CHARSET X-UNKNOWN-CHARSET TEXT x')).toEqual({
      type: 'error',
      tag: 'a',
      status: 'NO',
      code: { code: 'BADCHARSET', charsets: ['US-ASCII', 'UTF-8'] },
      message: 'Unsupported charset X-UNKNOWN-CHARSET',
      fatal: false,
    });
  });

  it('flags an unknown charset in SEARCH RETURN (SAVE) so the session empties "$" (RFC 9051 §6.4.4.1 example)', () => {
    expect(parseError('a SEARCH RETURN (SAVE) CHARSET KOI8-X TEXT x')).toMatchObject({ status: 'NO', resetsSearchResult: true });
    expect(parseError('a SEARCH RETURN (MIN SAVE) CHARSET KOI8-X TEXT x')).toMatchObject({ status: 'NO', resetsSearchResult: true });
    // Without SAVE, "$" is untouched; a BAD never touches it.
    expect(parseError('a SEARCH RETURN (MIN) CHARSET KOI8-X TEXT x')).not.toHaveProperty('resetsSearchResult');
    expect(parseError('a SEARCH RETURN (SAVE FOO) CHARSET KOI8-X TEXT x')).not.toHaveProperty('resetsSearchResult');
  });

  it('answers a name that is not modified UTF-7 with NO [CANNOT]: valid syntax, impossible name', () => {
    for (const cmd of ['a CREATE "&Jjo!"', 'a SELECT &Jjo', "a SELECT !#$&'+,-.0123456789:;<=>?@^_`|[}"]) {
      expect(parseError(cmd)).toMatchObject({ tag: 'a', status: 'NO', code: { code: 'CANNOT' } });
    }
  });

  it('rejects a conflicting CHARSET after ENABLE UTF8=ACCEPT (RFC 6855 §3)', () => {
    expect(parseError('a SEARCH CHARSET ISO-8859-1 TEXT x', { authenticated: true, utf8: true })).toMatchObject({ status: 'BAD' });
  });

  it('rejects 8-bit quoted strings unless UTF-8 is enabled (RFC 6855 §3)', () => {
    expect(parseError('a LOGIN "jörg" x')).toMatchObject({ status: 'BAD' });
    expect(parseError(Buffer.from('a LOGIN "\xff" x', 'latin1'), { utf8: true })).toMatchObject({ message: 'Invalid UTF-8 in string' });
  });
});
