/**
 * Decoded text of parts: preview (RFC 8970), SEARCH BODY/TEXT text, attachment detection.
 */
import type { MimePart } from './types.js';
import { LIMITS } from '../shared/limits.js';
import { decodeCharset } from './charset.js';
import { htmlToText } from './html.js';
import { paramText } from './params.js';
import { decodeTransfer } from './transfer.js';

/** Encoded bytes of a part looked at for a preview: enough for 200 characters behind markup. */
const PREVIEW_SCAN_BYTES = 64 * 1024;

/** Text subtypes a preview is made from; enriched/richtext markup is reduced like HTML. */
const PREVIEW_TYPES = new Set(['plain', 'html', 'enriched', 'richtext']);
const MARKUP_TYPES = new Set(['html', 'enriched', 'richtext']);

/** Children in reading order: the parts of a multipart, or the root of an encapsulated message. */
function childrenOf(p: MimePart): MimePart[] {
  if (p.children !== undefined) return p.children;
  if (p.message !== undefined) return [p.message.root];
  return [];
}

/** Every part of the tree, depth first in order (iterative). */
export function allParts(root: MimePart): MimePart[] {
  const out: MimePart[] = [];
  const stack: MimePart[] = [root];
  while (stack.length > 0) {
    const p = stack.pop() as MimePart;
    out.push(p);
    const kids = childrenOf(p);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as MimePart);
  }
  return out;
}

export function isAttachmentDisposition(p: MimePart): boolean {
  return p.disposition !== null && p.disposition.type === 'attachment';
}

/** The part's file name (Content-Disposition filename, else Content-Type name), decoded. */
export function fileName(p: MimePart): string | null {
  return (p.disposition === null ? null : paramText(p.disposition.params, 'filename')) ?? paramText(p.params, 'name');
}

/** True when any part is Content-Disposition: attachment, or is a non-text, non-multipart part with a file name. */
export function hasAttachment(root: MimePart): boolean {
  for (const p of allParts(root)) {
    if (isAttachmentDisposition(p)) return true;
    if (p.type !== 'text' && p.children === undefined && fileName(p) !== null) return true;
  }
  return false;
}

/**
 * The text of a text/* part: transfer-decoded, charset-decoded (unknown charsets: UTF-8 if valid,
 * else latin1), HTML (and enriched/richtext) markup reduced to text. `maxBytes` limits how much of the encoded body is used.
 */
export function partText(raw: Buffer, p: MimePart, maxBytes = Infinity): string {
  const end = Math.min(p.bodyEnd, p.bodyStart + maxBytes, raw.length);
  const encoded = raw.subarray(Math.min(p.bodyStart, end), end);
  const bytes = decodeTransfer(encoded, p.encoding) ?? encoded;
  const charset = p.params.find((x) => x.name === 'charset')?.value ?? null;
  const text = decodeCharset(bytes, charset);
  return MARKUP_TYPES.has(p.subtype) ? htmlToText(text) : text;
}

/** True for the characters a preview turns into a single space: controls and white space. */
function isBlank(c: number): boolean {
  return c <= 0x20 || c === 0x7f || (c >= 0x80 && /\s/.test(String.fromCharCode(c)));
}

/**
 * Runs of controls and white space become one space, ends trimmed; stops once `limit` characters are
 * out (the preview needs only its first few hundred, however long the text).
 */
function collapse(s: string, limit = Infinity): string {
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < s.length && out.length < limit; i++) {
    const c = s.charCodeAt(i);
    if (isBlank(c)) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) {
      out += ' ';
      pendingSpace = false;
    }
    out += s[i];
  }
  return out;
}

/** First read of a part for its preview; doubled (up to PREVIEW_SCAN_BYTES) while it yields too little text. */
const PREVIEW_FIRST_BYTES = 2048;

/**
 * The collapsed text at the start of a part, decoding only as much as the preview needs: this runs
 * at every delivery, and a 60 KB newsletter must not cost a 60 KB decode for 200 characters. Text
 * cut off at the end of a prefix (half a character, half a tag) lies past what the preview keeps.
 */
function previewText(raw: Buffer, p: MimePart): string {
  const whole = p.bodyEnd - p.bodyStart;
  for (let n = PREVIEW_FIRST_BYTES; ; n *= 2) {
    const enough = LIMITS.mime.previewChars + 64;
    const text = collapse(partText(raw, p, n), enough + 1);
    if (n >= whole || n >= PREVIEW_SCAN_BYTES || text.length > enough) return text;
  }
}

function truncate(s: string, max: number): string {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++; // keep surrogate pairs whole
    if (++count === max) return s.slice(0, i + 1).trimEnd();
  }
  return s;
}

/**
 * RFC 8970 preview: the first text body part (plain, html, enriched) in reading order that is not an
 * attachment (in multipart/alternative, text/plain first), reduced to plain text with whitespace
 * collapsed and cut to LIMITS.mime.previewChars characters. Encapsulated messages (forwards,
 * bounces) are only looked into when the message itself has no text.
 */
export function makePreview(raw: Buffer, root: MimePart): string {
  const stack: MimePart[] = [root];
  const deferred: MimePart[] = [];
  for (;;) {
    let p = stack.pop();
    if (p === undefined) {
      p = deferred.shift();
      if (p === undefined) return '';
    }
    if (isAttachmentDisposition(p)) continue;
    if (p.message !== undefined) {
      deferred.push(p.message.root);
      continue;
    }
    if (p.children !== undefined) {
      let kids = p.children;
      if (p.subtype === 'alternative') {
        const plain = kids.filter((k) => k.type === 'text' && k.subtype === 'plain');
        kids = plain.concat(kids.filter((k) => !plain.includes(k)));
      }
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as MimePart);
      continue;
    }
    if (p.type !== 'text' || !PREVIEW_TYPES.has(p.subtype)) continue;
    const text = previewText(raw, p);
    if (text !== '') return truncate(text, LIMITS.mime.previewChars);
  }
}

/** Decoded text of every text/* part (HTML reduced to text), for SEARCH BODY and TEXT. */
export function searchableText(raw: Buffer, root: MimePart): string {
  const texts: string[] = [];
  for (const p of allParts(root)) {
    if (p.type === 'text' && p.children === undefined) texts.push(partText(raw, p));
  }
  return texts.join('\n');
}
