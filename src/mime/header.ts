/**
 * Reading a header block (RFC 5322 §2.2) straight from the raw bytes, with CRLF or bare LF lines.
 *
 * Lenient like the servers clients are used to: in a message header a line without a valid
 * "name:" (an mbox "From " line, broken folding) is skipped rather than ending the header. In the
 * MIME header of a body part such a line is taken as the first line of the body: generators that
 * forget the blank line put content there (corpus issue1189.mbox.txt). A header without a blank
 * line also ends at the end of input, or at a boundary line of an enclosing multipart (the caller
 * decides what a boundary is). Field values are read one char per byte (latin1), so structured parsing works on
 * bytes; the caller turns them into text.
 */

/** Lower-cased names of the fields the parser keeps (first occurrence of each). */
const WANTED = new Set([
  'content-type', 'content-transfer-encoding', 'content-id', 'content-description', 'content-md5',
  'content-disposition', 'content-language', 'content-location',
  'date', 'subject', 'from', 'sender', 'reply-to', 'to', 'cc', 'bcc', 'in-reply-to', 'message-id', 'references',
]);

export type HeaderFields = Map<string, string>;

export interface HeaderScan<T> {
  fields: HeaderFields;
  /** Offset just past the last header field line (where the blank line, or the cut, starts). */
  end: number;
  /** Offset after the blank line; equals `end` when there is none. */
  bodyStart: number;
  /** Set when a line for which `boundaryAt` returned a hit ended the header. */
  cut: T | null;
  /** Number of LF bytes in [start, bodyStart). */
  lfs: number;
}

function isFieldNameByte(c: number): boolean {
  return c > 32 && c < 127 && c !== 58; // RFC 5322 §3.6.8 ftext
}

/** Name of the field starting at `p` (lower-cased) and the offset of its colon, or null if not a field. */
function fieldName(raw: Buffer, p: number, contentEnd: number): [string, number] | null {
  let i = p;
  while (i < contentEnd && isFieldNameByte(raw[i] as number)) i++;
  if (i === p) return null;
  const nameEnd = i;
  while (i < contentEnd && (raw[i] === 32 || raw[i] === 9)) i++; // obs-optional WSP before ":"
  if (i >= contentEnd || raw[i] !== 58) return null;
  return [raw.toString('latin1', p, nameEnd).toLowerCase(), i];
}

/** Offset of the end of line content (before CRLF/LF) for a line whose LF is at `nl` (or -1). */
export function contentEndOf(raw: Buffer, p: number, nl: number): number {
  if (nl < 0) return raw.length;
  return nl > p && raw[nl - 1] === 13 ? nl - 1 : nl;
}

/**
 * Scan the header starting at `start`. `boundaryAt(lineStart)`, when given, is asked about lines
 * starting with "--". Field values are collected while within `maxBytes` of start. `bodyPart`:
 * this is the MIME header of a body part, where a line that is not a field starts the body.
 */
export function scanHeader<T>(
  raw: Buffer,
  start: number,
  maxBytes: number,
  boundaryAt: ((lineStart: number) => T | null) | null,
  bodyPart = false,
): HeaderScan<T> {
  const fields: HeaderFields = new Map();
  const len = raw.length;
  let p = start;
  let lfs = 0;
  let curName: string | null = null;
  let curValueStart = 0;
  let curEnd = 0;
  const finish = (): void => {
    if (curName !== null && !fields.has(curName)) {
      const value = raw.toString('latin1', curValueStart, curEnd);
      // NUL cannot be sent in an IMAP string (RFC 9051 §4.3): it never reaches a field value.
      fields.set(curName, value.indexOf('\0') < 0 ? value : value.replace(/\0/g, ''));
    }
    curName = null;
  };
  // A UTF-8 byte order mark before the first field is not part of its name.
  if (start === 0 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) p = 3;

  while (p < len) {
    if (boundaryAt !== null && raw[p] === 45 && raw[p + 1] === 45) {
      const hit = boundaryAt(p);
      if (hit !== null) {
        finish();
        return { fields, end: p, bodyStart: p, cut: hit, lfs };
      }
    }
    const nl = raw.indexOf(10, p);
    const contentEnd = contentEndOf(raw, p, nl);
    const lineEnd = nl < 0 ? len : nl + 1;
    if (contentEnd === p) {
      finish();
      return { fields, end: p, bodyStart: lineEnd, cut: null, lfs: lfs + (nl < 0 ? 0 : 1) };
    }
    const c = raw[p];
    if (c === 32 || c === 9) {
      if (curName !== null) curEnd = contentEnd; // continuation line (folding)
    } else {
      finish();
      const f = p - start <= maxBytes || bodyPart ? fieldName(raw, p, contentEnd) : null;
      if (f === null && bodyPart) return { fields, end: p, bodyStart: p, cut: null, lfs };
      if (f !== null && p - start <= maxBytes && WANTED.has(f[0])) {
        curName = f[0];
        curValueStart = f[1] + 1;
        curEnd = contentEnd;
      }
    }
    if (nl >= 0) lfs++;
    p = lineEnd;
  }
  finish();
  return { fields, end: len, bodyStart: len, cut: null, lfs };
}

/** One header field's raw extent, for HEADER.FIELDS subsetting. */
export interface RawField {
  /** Lower-cased field name, or null for a line that is not a valid field. */
  name: string | null;
  start: number;
  /** Offset after the field's last line including its line break. */
  end: number;
}

/** Split the header fields in [start, end) into fields with their continuation lines. */
export function splitFields(raw: Buffer, start: number, end: number): RawField[] {
  const out: RawField[] = [];
  let p = start;
  while (p < end) {
    const nl = raw.indexOf(10, p);
    const lineEnd = nl < 0 || nl >= end ? end : nl + 1;
    const c = raw[p];
    const last = out[out.length - 1];
    if ((c === 32 || c === 9) && last !== undefined) {
      last.end = lineEnd;
    } else {
      const contentEnd = Math.min(contentEndOf(raw, p, nl), end);
      let nameStart = p;
      if (p === 0 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) nameStart = 3;
      const f = fieldName(raw, nameStart, contentEnd);
      out.push({ name: f === null ? null : f[0], start: p, end: lineEnd });
    }
    p = lineEnd;
  }
  return out;
}
