/**
 * The i;unicode-casemap collation of RFC 5051, which RFC 5256 §2.3/§3 prescribes for SORT and for
 * THREAD's subject comparisons, as sort keys compared with compareKeys():
 *   (1) each character to its titlecase (simple mapping),
 *   (2) the string to its full compatibility decomposition (NFKD),
 *   (3) compare the UTF-8 octets, i.e. the code points.
 * JavaScript has no titlecase mapping: a character's upper case stands in for it when that is a single
 * character (so "ß" stays "ß" as in the simple mapping; the title and upper case of a few digraphs
 * like "ǆ" differ — the only departure). Keys are built once per message, not per comparison.
 */

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

export interface SortKeyText {
  readonly key: string;
  /** The key holds UTF-16 code units at or above 0xD800, where code-unit order is not code-point order. */
  readonly high: boolean;
}

const HIGH = /[\ud800-\uffff]/;

export function casemapKey(s: string): SortKeyText {
  if (isAscii(s)) return { key: s.toUpperCase(), high: false };
  let out = '';
  for (const ch of s) {
    const up = ch.toUpperCase();
    // Single code point upper case only (the simple mapping never expands).
    out += up.length === 1 || [...up].length === 1 ? up : ch;
  }
  const key = out.normalize('NFKD');
  return { key, high: HIGH.test(key) };
}

/** Code-point order of two keys (= UTF-8 octet order, RFC 5051 step 3). */
export function compareKeys(a: SortKeyText, b: SortKeyText): number {
  if (a.key === b.key) return 0;
  if (!a.high || !b.high) return a.key < b.key ? -1 : 1;
  const n = Math.min(a.key.length, b.key.length);
  for (let i = 0; i < n; i++) {
    const x = a.key.charCodeAt(i);
    const y = b.key.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800-DFFF, code points above FFFF) sort after E000-FFFF in code-point order.
    return fixup(x) - fixup(y);
  }
  return a.key.length - b.key.length;
}

function fixup(c: number): number {
  if (c >= 0xe000) return c - 0x800;
  if (c >= 0xd800) return c + 0x2000;
  return c;
}
