/**
 * MIME structured header values: Content-Type (RFC 2045 §5.1), Content-Disposition (RFC 2183),
 * Content-Language (RFC 3282), Content-Transfer-Encoding (RFC 2045 §6.1), parameters with
 * RFC 2231 continuations.
 *
 * Input strings are header values read one char per byte (latin1), so the byte-level grammar
 * applies directly; values are turned into text (UTF-8 if valid) only at the end.
 */
import type { MimeParam } from './types.js';
import { decodeCharset, fixLatin1 } from './charset.js';
import { decodeHeaderValue } from './encoded-words.js';

/** RFC 2045 §5.1 tspecials plus SPACE and CTLs end a token. 8-bit bytes are let in (lenient). */
function isTokenChar(c: number): boolean {
  if (c <= 32 || c === 127) return false;
  switch (c) {
    case 40: case 41: case 60: case 62: case 64: case 44: case 59: case 58:
    case 92: case 34: case 47: case 91: case 93: case 63: case 61:
      return false;
    default:
      return true;
  }
}

/** Skip whitespace and (nested) RFC 5322 comments; returns the new position. */
export function skipCfws(s: string, pos: number): number {
  let i = pos;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13 || c === 10) {
      i++;
    } else if (c === 40) {
      let depth = 0;
      for (; i < s.length; i++) {
        const d = s.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 40) depth++;
        else if (d === 41 && --depth === 0) break;
      }
      i++;
    } else {
      break;
    }
  }
  return i;
}

function readToken(s: string, pos: number): [string, number] {
  let i = pos;
  while (i < s.length && isTokenChar(s.charCodeAt(i))) i++;
  return [s.slice(pos, i), i];
}

/** A quoted-string starting at `pos` (which is the opening quote): [content, position after it]. */
export function readQuoted(s: string, pos: number): [string, number] {
  let out = '';
  let i = pos + 1;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 34) return [out, i + 1];
    if (c === 92 && i + 1 < s.length) {
      out += s[i + 1];
      i += 2;
    } else {
      out += s[i];
      i++;
    }
  }
  return [out, i]; // unterminated: take what is there
}

interface RawParam {
  name: string;
  value: string;
}

/** A parameter value after "=": quoted-string, token, or (lenient) anything up to the next ";". */
function readValue(s: string, pos: number): [string, number] {
  if (s.charCodeAt(pos) === 34) return readQuoted(s, pos);
  const [token, end] = readToken(s, pos);
  const after = skipCfws(s, end);
  if (after >= s.length || s.charCodeAt(after) === 59) return [token, after];
  // Junk after the token, e.g. an unquoted file name with spaces: keep it all up to ";".
  let semi = s.indexOf(';', pos);
  if (semi < 0) semi = s.length;
  return [s.slice(pos, semi).trim(), semi];
}

function readRawParams(s: string, pos: number): RawParam[] {
  const out: RawParam[] = [];
  let i = pos;
  while (i < s.length) {
    i = skipCfws(s, i);
    if (i >= s.length) break;
    if (s.charCodeAt(i) === 59) {
      i++;
      continue;
    }
    const [name, afterName] = readToken(s, i);
    let j = skipCfws(s, afterName);
    if (name === '' || s.charCodeAt(j) !== 61) {
      // Not "attribute=value": skip to the next parameter.
      const semi = s.indexOf(';', Math.max(j, i + 1));
      i = semi < 0 ? s.length : semi + 1;
      continue;
    }
    j = skipCfws(s, j + 1);
    const [value, afterValue] = readValue(s, j);
    out.push({ name: name.toLowerCase(), value });
    i = afterValue;
  }
  return out;
}

// RFC 2231 §7: attribute-char excludes "*", "'", "%" and tspecials.
function percentEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isTokenChar(c) && c < 128 && c !== 42 && c !== 39 && c !== 37) out += s[i];
    else out += '%' + (c & 0xff).toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

const SECTION = /^(.+?)\*(\d{1,4})(\*?)$/;

/**
 * Join RFC 2231 §3 continuations ("name*0", "name*1*", ...). A joined value with any extended
 * section is reported as "name*" with value "charset'lang'%XX..." (non-extended sections
 * percent-encoded), so it stays one valid RFC 2231 extended value. First occurrence wins.
 */
function joinContinuations(raw: RawParam[]): MimeParam[] {
  const out: MimeParam[] = [];
  const seen = new Set<string>();
  const sections = new Map<string, { n: number; value: string; ext: boolean }[]>();
  for (const p of raw) {
    const m = SECTION.exec(p.name);
    if (m === null) {
      if (!seen.has(p.name)) {
        seen.add(p.name);
        out.push({ name: p.name, value: p.value });
      }
      continue;
    }
    const base = m[1] as string;
    let list = sections.get(base);
    if (list === undefined) {
      list = [];
      sections.set(base, list);
      out.push({ name: '\0' + base, value: '' }); // placeholder keeps the position
    }
    list.push({ n: Number(m[2]), value: p.value, ext: m[3] === '*' });
  }
  const result: MimeParam[] = [];
  for (const p of out) {
    if (p.name.charCodeAt(0) !== 0) {
      result.push(p);
      continue;
    }
    const base = p.name.slice(1);
    const list = (sections.get(base) ?? []).sort((a, b) => a.n - b.n);
    const extended = list.some((x) => x.ext);
    const name = extended ? base + '*' : base;
    if (seen.has(name)) continue;
    seen.add(name);
    let value = '';
    let lastN = -1;
    for (const sec of list) {
      if (sec.n === lastN) continue; // duplicate section number: first wins
      lastN = sec.n;
      value += extended && !sec.ext ? percentEncode(sec.value) : sec.value;
    }
    result.push({ name, value });
  }
  return result;
}

/** Parameters read as latin1 turned into text (UTF-8 when valid). */
export function textParams(params: MimeParam[]): MimeParam[] {
  return params.map((p) => ({ name: fixLatin1(p.name), value: fixLatin1(p.value) }));
}

export function parseParams(s: string, pos: number): MimeParam[] {
  return joinContinuations(readRawParams(s, pos));
}

/**
 * Content-Type: lower-cased type/subtype and parameters (still latin1, see textParams); null when
 * syntactically invalid, which RFC 2045 §5.2 says to treat like an absent Content-Type.
 */
export function parseContentType(s: string): { type: string; subtype: string; params: MimeParam[] } | null {
  let i = skipCfws(s, 0);
  const [type, afterType] = readToken(s, i);
  i = skipCfws(s, afterType);
  if (type === '' || s.charCodeAt(i) !== 47) return null;
  i = skipCfws(s, i + 1);
  const [subtype, afterSub] = readToken(s, i);
  if (subtype === '') return null;
  return { type: type.toLowerCase(), subtype: subtype.toLowerCase(), params: parseParams(s, afterSub) };
}

/** Content-Disposition (RFC 2183): lower-cased type and parameters (latin1); null without a type token. */
export function parseDisposition(s: string): { type: string; params: MimeParam[] } | null {
  const [type, after] = readToken(s, skipCfws(s, 0));
  if (type === '') return null;
  return { type: type.toLowerCase(), params: parseParams(s, after) };
}

/** Content-Language (RFC 3282): the language tags, or null when there are none. */
export function parseLanguage(s: string): string[] | null {
  const tags: string[] = [];
  let i = 0;
  while (i < s.length) {
    i = skipCfws(s, i);
    if (s.charCodeAt(i) === 44) {
      i++;
      continue;
    }
    const [tag, after] = readToken(s, i);
    if (tag === '') {
      i++;
      continue;
    }
    tags.push(fixLatin1(tag));
    i = after;
  }
  return tags.length > 0 ? tags : null;
}

/** Content-Transfer-Encoding mechanism, lower-cased; "7bit" when absent or not a token (RFC 2045 §6.1). */
export function parseEncoding(s: string | undefined): string {
  if (s === undefined) return '7bit';
  const [token] = readToken(s, skipCfws(s, 0));
  return token === '' ? '7bit' : token.toLowerCase();
}

/** RFC 2231 §4 extended value "charset'language'%XX..." to text. */
function decodeExtended(value: string): string {
  const first = value.indexOf("'");
  const second = first < 0 ? -1 : value.indexOf("'", first + 1);
  const charset = second < 0 ? '' : value.slice(0, first);
  const encoded = second < 0 ? value : value.slice(second + 1);
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded.charCodeAt(i);
    if (c === 37 && i + 2 < encoded.length && /^[0-9a-fA-F]{2}$/.test(encoded.slice(i + 1, i + 3))) {
      bytes.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c > 0x7f) {
      for (const b of Buffer.from(encoded[i] as string, 'utf8')) bytes.push(b);
    } else {
      bytes.push(c);
    }
  }
  return decodeCharset(Uint8Array.from(bytes), charset);
}

/**
 * A parameter's value as text: RFC 2231 extended form ("name*") preferred, else the plain value
 * with RFC 2047 encoded words decoded (not allowed there, but common in file names).
 */
export function paramText(params: MimeParam[], name: string): string | null {
  const lower = name.toLowerCase();
  for (const p of params) {
    if (p.name === lower + '*') return decodeExtended(p.value);
  }
  for (const p of params) {
    if (p.name === lower) return decodeHeaderValue(p.value);
  }
  return null;
}
