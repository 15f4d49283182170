/**
 * IMAP string atoms shared by the MIME serializers (ENVELOPE, BODYSTRUCTURE) and the IMAP wire
 * serializer. RFC 9051 §4.3: a string is either quoted or a literal; quoted strings cannot carry
 * CR, LF or NUL, and we send 8-bit text as a literal unless the client enabled UTF8=ACCEPT.
 */

const QUOTED_SAFE_MAX = 1024;

/** True when `s` can be sent as a quoted string (7-bit, or UTF-8 when allowed, no CR/LF/NUL). */
export function isQuotable(s: string, utf8 = false): boolean {
  if (s.length > QUOTED_SAFE_MAX) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c === 10 || c === 13) return false;
    if (c > 127 && !utf8) return false;
  }
  return true;
}

/** Serialize a string value as an IMAP quoted string, a literal, or NIL for null. */
export function imapString(value: string | null | undefined, utf8 = false): string {
  if (value === null || value === undefined) return 'NIL';
  if (isQuotable(value, utf8)) {
    return '"' + value.replace(/[\\"]/g, (m) => '\\' + m) + '"';
  }
  return '{' + Buffer.byteLength(value, 'utf8') + '}\r\n' + value;
}
