/**
 * Content-Transfer-Encoding decoders (RFC 2045 §6): base64 and quoted-printable; identity for
 * 7bit, 8bit and binary. Lenient: never throws, garbage is skipped or kept as it is.
 */

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * RFC 2045 §6.8 base64. Node's decoder skips whitespace and junk but stops at the first "=";
 * bodies made of separately padded chunks are decoded chunk by chunk.
 */
export function decodeBase64(bytes: Buffer): Buffer {
  const s = bytes.toString('latin1');
  const firstPad = s.indexOf('=');
  if (firstPad < 0 || /^[=\s]*$/.test(s.slice(firstPad))) return Buffer.from(s, 'base64');
  const chunks = s.split(/=+/).filter((c) => /[A-Za-z0-9+/]/.test(c));
  return Buffer.concat(chunks.map((c) => Buffer.from(c, 'base64')));
}

/**
 * RFC 2045 §6.7 quoted-printable: "=XX" (either case), soft line breaks "=" CRLF (or LF, with
 * trailing whitespace tolerated), trailing whitespace on lines removed (rule 3), line breaks kept
 * as they are. A "=" that starts no valid escape is kept literally.
 */
export function decodeQuotedPrintable(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  let o = 0;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const c = bytes[i] as number;
    if (c === 61) {
      // Soft line break: "=" [WSP] (CRLF / LF), or "=" at the very end.
      let j = i + 1;
      while (j < n && (bytes[j] === 32 || bytes[j] === 9)) j++;
      if (j >= n) break;
      if (bytes[j] === 10) {
        i = j + 1;
        continue;
      }
      if (bytes[j] === 13 && bytes[j + 1] === 10) {
        i = j + 2;
        continue;
      }
      const hi = hexValue(bytes[i + 1] ?? 0);
      const lo = hexValue(bytes[i + 2] ?? 0);
      if (hi >= 0 && lo >= 0) {
        out[o++] = hi * 16 + lo;
        i += 3;
        continue;
      }
      out[o++] = c;
      i++;
    } else if (c === 32 || c === 9) {
      // Whitespace is kept unless only whitespace follows up to the end of the line.
      let j = i;
      while (j < n && (bytes[j] === 32 || bytes[j] === 9)) j++;
      const eol = j >= n || bytes[j] === 10 || (bytes[j] === 13 && bytes[j + 1] === 10);
      if (!eol) {
        for (; i < j; i++) out[o++] = bytes[i] as number;
      }
      i = j;
    } else {
      out[o++] = c;
      i++;
    }
  }
  return out.subarray(0, o);
}

/** Identity encodings (RFC 2045 §6.2) need no decoding. */
const IDENTITY = new Set(['7bit', '8bit', 'binary']);

/** Decode `bytes` of a part with Content-Transfer-Encoding `encoding`; null when the encoding is unknown. */
export function decodeTransfer(bytes: Buffer, encoding: string): Buffer | null {
  const enc = encoding.toLowerCase();
  if (IDENTITY.has(enc)) return bytes;
  if (enc === 'base64') return decodeBase64(bytes);
  if (enc === 'quoted-printable') return decodeQuotedPrintable(bytes);
  return null;
}
