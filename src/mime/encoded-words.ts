/**
 * RFC 2047 encoded words ("=?charset?B|Q?text?=") in header values.
 *
 * Lenient in the ways real mail needs: encoded words are recognised anywhere (also inside quoted
 * strings and glued to other text), adjacent encoded words separated only by whitespace are joined
 * (RFC 2047 §6.2) and, when they share a charset, their bytes are decoded together so a multi-byte
 * character split across two words survives. Malformed encoded words are left as they are.
 */
import { decodeCharset } from './charset.js';

// RFC 2047 §2: encoded-word = "=?" charset "?" encoding "?" encoded-text "?="; RFC 2231 §5 adds "*lang".
const ENCODED_WORD = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=/g;
const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Decoded bytes of adjacent encoded words, before their charset is applied. */
class ByteRun {
  private buf: Buffer;
  length = 0;
  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(Math.max(64, capacity));
  }
  push(b: number): void {
    if (this.length === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger);
      this.buf = bigger;
    }
    this.buf[this.length++] = b;
  }
  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

/** RFC 2047 §4.2 "Q" encoding to bytes; a "=" not followed by two hex digits stays literal. */
function decodeQ(text: string, out: ByteRun): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 95) {
      out.push(0x20); // "_" is always 0x20, RFC 2047 §4.2 (2)
    } else if (c === 61 && i + 2 < text.length) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out.push(hi * 16 + lo);
        i += 2;
      } else {
        out.push(c);
      }
    } else if (c > 0xff) {
      for (const b of Buffer.from(text[i] as string, 'utf8')) out.push(b);
    } else {
      out.push(c);
    }
  }
}

/** Is the payload of an encoded word decodable? (Only "B" can be malformed.) */
function validPayload(encoding: string, text: string): boolean {
  if (encoding !== 'b' && encoding !== 'B') return true;
  return BASE64_TEXT.test(text) && text.length % 4 !== 1;
}

function decodePayload(encoding: string, text: string, out: ByteRun): void {
  if (encoding === 'b' || encoding === 'B') {
    for (const b of Buffer.from(text, 'base64')) out.push(b);
  } else {
    decodeQ(text, out);
  }
}

function isWhitespace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return false;
  }
  return true;
}

/** RFC 5322 §2.2.3 unfolding: drop CRLF (or bare LF) before whitespace; stray CR/LF are dropped too. */
export function unfold(s: string): string {
  if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
  return s.replace(/\r?\n(?=[ \t])/g, '').replace(/[\r\n]/g, '');
}

/**
 * Decode a raw header value (as stored in the Envelope: a JS string) for display, search and sort:
 * unfold, then decode RFC 2047 encoded words (charsets via TextDecoder; unknown ones as UTF-8 if
 * valid, else latin1). Text outside encoded words is left as it is.
 */
export function decodeHeaderValue(raw: string): string {
  const value = unfold(raw);
  if (value.indexOf('=?') < 0) return value;

  let result = '';
  let last = 0;
  let pendingCharset: string | null = null;
  const run = new ByteRun(value.length);
  const flush = (): void => {
    if (pendingCharset !== null) result += decodeCharset(run.bytes(), pendingCharset);
    pendingCharset = null;
    run.length = 0;
  };

  ENCODED_WORD.lastIndex = 0;
  for (let m = ENCODED_WORD.exec(value); m !== null; m = ENCODED_WORD.exec(value)) {
    const [word, charset = '', encoding = 'q', text = ''] = m;
    if (!validPayload(encoding, text)) continue; // malformed: stays in the text as it is
    const between = value.slice(last, m.index);
    const cs = charset.toLowerCase();
    // RFC 2047 §6.2: whitespace between adjacent encoded words is dropped.
    if (pendingCharset === null || !isWhitespace(between)) {
      flush();
      result += between;
    } else if (pendingCharset !== cs) {
      flush();
    }
    pendingCharset = cs;
    decodePayload(encoding, text, run);
    last = m.index + word.length;
  }
  flush();
  return result + value.slice(last);
}
