/**
 * Charset handling: bytes to JS strings.
 *
 * Node ships full ICU, so TextDecoder knows every WHATWG Encoding Standard label (utf-8, iso-8859-*,
 * windows-125*, iso-2022-jp, shift_jis, euc-kr, gbk, gb18030, big5, koi8-*, ...). The WHATWG tables
 * map "us-ascii" and "iso-8859-1" to windows-1252, which is what mail in the wild needs.
 */
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';

const decoders = new Map<string, TextDecoder | null>();

/** The TextDecoder for a charset label, or null when the label is unknown. Cached per label. */
function decoderFor(charset: string): TextDecoder | null {
  const label = charset.trim().toLowerCase();
  let d = decoders.get(label);
  if (d !== undefined) return d;
  try {
    d = new TextDecoder(label);
  } catch {
    d = null;
  }
  // Labels come from untrusted mail: bound the cache so junk labels cannot grow it forever.
  if (decoders.size < 256) decoders.set(label, d);
  return d;
}

function hasHighBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if ((bytes[i] as number) > 0x7f) return true;
  }
  return false;
}

// WHATWG index-windows-1252 for 0x80-0x9F. Node 20's TextDecoder decodes this range as latin1
// (C1 controls), so the one table that matters most in mail is applied here.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80] as number));
}

/**
 * Bytes of unknown or undeclared charset: UTF-8 when they are valid UTF-8 (7-bit text is), else latin1.
 * Valid multi-byte UTF-8 is very unlikely to occur by accident in another charset, and it is what
 * unlabelled 8-bit mail mostly is today.
 */
export function decodeUnknown(bytes: Uint8Array): string {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (!hasHighBytes(buf)) return buf.toString('latin1');
  if (isUtf8(buf)) return buf.toString('utf8');
  return buf.toString('latin1');
}

/**
 * Decode `bytes` in `charset` (a MIME charset name). Unknown charsets, and the 7-bit "us-ascii"
 * default that is so often wrong, fall back to decodeUnknown (UTF-8 if valid, else latin1).
 */
export function decodeCharset(bytes: Uint8Array, charset: string | null | undefined): string {
  if (!charset) return decodeUnknown(bytes);
  const label = charset.trim().toLowerCase();
  if (label === 'us-ascii' || label === 'ascii' || label === 'unknown-8bit' || label === 'x-unknown') {
    return decodeUnknown(bytes);
  }
  const d = decoderFor(label);
  if (d === null) return decodeUnknown(bytes);
  if (d.encoding === 'windows-1252') return decodeWindows1252(bytes);
  return d.decode(bytes);
}

/**
 * Turn a header string that was read as latin1 (one char per byte) into the text it most likely is:
 * UTF-8 when its bytes are valid UTF-8 (RFC 6532 headers), else the latin1 reading unchanged.
 */
export function fixLatin1(s: string): string {
  let high = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) return s; // not a one-char-per-byte reading: already text
    if (c > 0x7f) high = true;
  }
  if (!high) return s;
  const bytes = Buffer.from(s, 'latin1');
  return isUtf8(bytes) ? bytes.toString('utf8') : s;
}
