/**
 * HTML to plain text, good enough for previews (RFC 8970) and text search: drops comments,
 * <head>, <script>, <style> and tags, turns block-level tags into line breaks and decodes
 * character references. Not a renderer; linear regular expressions only.
 */

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav',
  'ol', 'p', 'pre', 'section', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'title', 'tr', 'ul',
]);

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '\u00a9', reg: '\u00ae',
  hellip: '\u2026', mdash: '\u2014', ndash: '\u2013', lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c',
  rdquo: '\u201d', bull: '\u2022', middot: '\u00b7', euro: '\u20ac', pound: '\u00a3', trade: '\u2122',
  laquo: '\u00ab', raquo: '\u00bb', shy: '', zwnj: '', zwj: '\u200d', auml: '\u00e4', ouml: '\u00f6',
  uuml: '\u00fc', Auml: '\u00c4', Ouml: '\u00d6', Uuml: '\u00dc', szlig: '\u00df', eacute: '\u00e9',
  egrave: '\u00e8', agrave: '\u00e0', aacute: '\u00e1', ccedil: '\u00e7', ntilde: '\u00f1',
};

function decodeEntity(whole: string, body: string): string {
  if (body.charCodeAt(0) === 35) {
    const hex = body[1] === 'x' || body[1] === 'X';
    const code = parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
    if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
    return String.fromCodePoint(code);
  }
  return NAMED[body] ?? whole;
}

export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?/g, decodeEntity);
}

/** Text of an HTML document; block-level elements become line breaks. */
export function htmlToText(html: string): string {
  const stripped = html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/<(head|script|style|title)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ')
    .replace(/<\/?([A-Za-z][A-Za-z0-9]*)\b[^>]*>/g, (_m, name: string) => (BLOCK.has(name.toLowerCase()) ? '\n' : ''))
    .replace(/<![^>]*>/g, '');
  return decodeEntities(stripped);
}
