/**
 * Modified UTF-7 mailbox names (RFC 3501 §5.1.3, RFC 9051 Appendix A.1), used for clients that
 * have not enabled UTF8=ACCEPT / IMAP4rev2.
 *
 * Printable US-ASCII except "&" stands for itself, "&" is "&-", and every other character is
 * UTF-16BE in modified base64 ("," instead of "/", no padding) between "&" and "-".
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUE[B64.charCodeAt(i)] = i;

function isPrintable(c: number): boolean {
  return c >= 0x20 && c <= 0x7e;
}

/** Encode a Unicode mailbox name as modified UTF-7. */
export function encodeMutf7(name: string): string {
  let ascii = true;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!isPrintable(c) || c === 0x26) {
      ascii = false;
      break;
    }
  }
  if (ascii) return name;
  let out = '';
  let i = 0;
  while (i < name.length) {
    const c = name.charCodeAt(i);
    if (isPrintable(c)) {
      out += c === 0x26 ? '&-' : name[i];
      i++;
      continue;
    }
    let j = i;
    while (j < name.length && !isPrintable(name.charCodeAt(j))) j++;
    out += '&' + encodeRun(name, i, j) + '-';
    i = j;
  }
  return out;
}

function encodeRun(s: string, from: number, to: number): string {
  let out = '';
  let bits = 0;
  let nbits = 0;
  for (let i = from; i < to; i++) {
    bits = (bits << 16) | s.charCodeAt(i);
    nbits += 16;
    while (nbits >= 6) {
      nbits -= 6;
      out += B64[(bits >> nbits) & 0x3f];
    }
    bits &= (1 << nbits) - 1;
  }
  if (nbits > 0) out += B64[(bits << (6 - nbits)) & 0x3f];
  return out;
}

/**
 * Decode a modified UTF-7 name strictly. Returns null when the text is not valid modified UTF-7:
 * a character outside printable ASCII, an unterminated shift, a character outside the modified
 * base64 alphabet, non-zero or excess padding bits, broken UTF-16 surrogates, base64 used for a
 * printable ASCII character, or a superfluous shift ("&...-&...-", RFC 9051 Appendix A.1).
 */
export function decodeMutf7(text: string): string | null {
  if (text.indexOf('&') === -1) {
    for (let i = 0; i < text.length; i++) if (!isPrintable(text.charCodeAt(i))) return null;
    return text;
  }
  let out = '';
  let i = 0;
  let lastRunEnd = -1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (!isPrintable(c)) return null;
    if (c !== 0x26) {
      out += text[i];
      i++;
      continue;
    }
    if (text.charCodeAt(i + 1) === 0x2d /* - */) {
      out += '&';
      i += 2;
      continue;
    }
    if (i === lastRunEnd) return null; // a shift right after the previous one: superfluous
    const end = text.indexOf('-', i + 1);
    if (end === -1) return null;
    const run = decodeRun(text, i + 1, end);
    if (run === null) return null;
    out += run;
    i = end + 1;
    lastRunEnd = i;
  }
  return out;
}

function decodeRun(text: string, from: number, to: number): string | null {
  let out = '';
  let bits = 0;
  let nbits = 0;
  let highSurrogate = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? B64_VALUE[code]! : -1;
    if (v < 0) return null;
    bits = ((bits << 6) | v) & 0x3fffff;
    nbits += 6;
    if (nbits < 16) continue;
    nbits -= 16;
    const unit = (bits >> nbits) & 0xffff;
    bits &= (1 << nbits) - 1;
    if (highSurrogate !== 0) {
      if (unit < 0xdc00 || unit > 0xdfff) return null;
      out += String.fromCharCode(highSurrogate, unit);
      highSurrogate = 0;
    } else if (unit >= 0xd800 && unit <= 0xdbff) {
      highSurrogate = unit;
    } else if ((unit >= 0xdc00 && unit <= 0xdfff) || isPrintable(unit)) {
      return null; // lone low surrogate, or printable ASCII that must stand for itself
    } else {
      out += String.fromCharCode(unit);
    }
  }
  // An empty run, a dangling surrogate, 6+ leftover bits or non-zero padding bits are all invalid.
  if (out.length === 0 || highSurrogate !== 0 || nbits >= 6 || bits !== 0) return null;
  return out;
}
