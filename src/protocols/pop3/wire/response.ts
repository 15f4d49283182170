/**
 * POP3 responses (RFC 1939 §3, RFC 2449 §8): status lines with optional extended response codes, and
 * multi-line bodies with byte-stuffing and the "." terminator. Pure functions returning bytes.
 */

/** RFC 2449 §8 response codes Roost uses (RFC 3206 adds SYS and AUTH; RFC 6856 §5 UTF8). */
export type RespCode = 'IN-USE' | 'LOGIN-DELAY' | 'SYS/TEMP' | 'SYS/PERM' | 'AUTH' | 'UTF8';

/** Status text kept at most (octets): with "-ERR [SYS/TEMP] ", "…" and CRLF well under 512. */
const STATUS_TEXT_BYTES = 400;
const CRLF = Buffer.from('\r\n');
const TERMINATOR = Buffer.from('.\r\n');
const DOT = Buffer.from('.');
const LF_DOT = Buffer.from('\n.');

/** Text for a status line: no CR/LF can slip in, and it stays within RFC 2449 §4's 512 octets. */
function clean(text: string): string {
  const t = text.replace(/[\r\n]+/g, ' ');
  if (Buffer.byteLength(t, 'utf8') <= STATUS_TEXT_BYTES) return t;
  // Cut at a character boundary: drop any partial UTF-8 sequence the byte cut leaves at the end.
  return `${Buffer.from(t, 'utf8').subarray(0, STATUS_TEXT_BYTES).toString('utf8').replace(/\uFFFD+$/, '')}…`;
}

export function okLine(text = ''): string {
  return text === '' ? '+OK\r\n' : `+OK ${clean(text)}\r\n`;
}

export function errLine(text: string, code?: RespCode): string {
  return code === undefined ? `-ERR ${clean(text)}\r\n` : `-ERR [${code}] ${clean(text)}\r\n`;
}

/** A multi-line body of text lines (CAPA, LIST, UIDL), stuffed and terminated. */
export function textLines(lines: readonly string[]): string {
  let out = '';
  for (const l of lines) out += (l.startsWith('.') ? `.${l}` : l) + '\r\n';
  return `${out}.\r\n`;
}

/**
 * Message bytes as a multi-line body (RFC 1939 §3): every line that starts with "." gets one more,
 * and the body ends with CRLF "." CRLF. The bytes are otherwise sent exactly as stored; a message
 * that does not end in a line break gets one, as the terminator must start a line. Lines are split
 * at LF, so a line after a bare LF is stuffed too (a client reading by LF would otherwise see "."
 * and stop early).
 */
export function stuffedBody(data: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  // A dot at the very start, then every LF followed by a dot: one native search per dot line.
  let dot = data.length > 0 && data[0] === 0x2e ? 0 : nextDotLine(data, 0);
  while (dot >= 0) {
    // Send up to (not including) the dot, then an extra dot; the dot itself starts the next part.
    if (dot > start) parts.push(data.subarray(start, dot));
    parts.push(DOT);
    start = dot;
    dot = nextDotLine(data, dot + 1);
  }
  if (start < data.length) parts.push(data.subarray(start));
  if (data.length > 0 && data[data.length - 1] !== 0x0a) parts.push(CRLF);
  parts.push(TERMINATOR);
  return parts;
}

/** The offset of the next "." that starts a line, searching from `from`; -1 when none. */
function nextDotLine(data: Buffer, from: number): number {
  const i = data.indexOf(LF_DOT, from);
  return i < 0 ? -1 : i + 1;
}

/**
 * The part of a message TOP n sends (RFC 1939 §7): the header, the blank line after it, and the
 * first `lines` lines of the body (all of it when it has fewer). `headerSize` counts the header
 * with its blank line.
 */
export function topOf(data: Buffer, headerSize: number, lines: number): Buffer {
  const bodyStart = Math.min(headerSize, data.length);
  let end = bodyStart;
  for (let i = 0; i < lines && end < data.length; i++) {
    const nl = data.indexOf(0x0a, end);
    end = nl < 0 ? data.length : nl + 1;
  }
  return data.subarray(0, end);
}
