/**
 * FETCH BODY[section] and BINARY[section] from the stored part offsets (RFC 9051 §6.4.5.1,
 * RFC 3516), without re-parsing the message.
 */
import type { MimePart } from './types.js';
import { splitFields } from './header.js';
import { decodeTransfer } from './transfer.js';

export type SectionText = 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';

export interface SectionSpec {
  /** Part numbers, e.g. [4, 2, 1] for "4.2.1"; empty for the whole message. */
  part: number[];
  text?: SectionText;
  /** Field names for HEADER.FIELDS / HEADER.FIELDS.NOT. */
  fields?: string[];
}

/** A byte range of the raw message, or (HEADER.FIELDS subsets) the bytes themselves. */
export type SectionResult =
  | { kind: 'range'; start: number; end: number }
  | { kind: 'bytes'; data: Buffer };

const EMPTY: SectionResult = { kind: 'range', start: 0, end: 0 };

/**
 * The part a part-number path refers to (RFC 9051 §6.4.5.1), or null when it does not exist.
 * Numbers index the children of a multipart; after a message/rfc822 part they continue in the
 * encapsulated message; a message (top-level or encapsulated) that is not multipart has only part 1,
 * which is its body.
 */
export function findPart(root: MimePart, path: number[]): MimePart | null {
  let cur = root;
  let atMessage = true; // `cur` is the root of a message whose parts the next number picks from
  for (const n of path) {
    if (!Number.isInteger(n) || n < 1) return null;
    let container: MimePart;
    if (atMessage || cur.children !== undefined) container = cur;
    else if (cur.message !== undefined) container = cur.message.root;
    else return null;
    if (container.children !== undefined) {
      const child = container.children[n - 1];
      if (child === undefined) return null;
      cur = child;
    } else {
      if (n !== 1) return null;
      cur = container;
    }
    atMessage = false;
  }
  return cur;
}

/** Where the header's blank line starts, or bodyStart when the header has none. */
export function blankLineStart(raw: Buffer, m: MimePart): number {
  const b = m.bodyStart;
  if (b <= m.headerStart || raw[b - 1] !== 10) return b;
  const start = b >= 2 && raw[b - 2] === 13 ? b - 2 : b - 1;
  return start === m.headerStart || raw[start - 1] === 10 ? start : b;
}

/** HEADER.FIELDS / HEADER.FIELDS.NOT of the header of message root `m` (RFC 9051 §6.4.5.1). */
function headerFields(raw: Buffer, m: MimePart, names: string[], not: boolean): Buffer {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const blank = blankLineStart(raw, m);
  const chunks: Buffer[] = [];
  for (const f of splitFields(raw, m.headerStart, blank)) {
    const match = f.name !== null && wanted.has(f.name);
    if (match !== not) chunks.push(raw.subarray(f.start, f.end));
  }
  // "the blank line is included in all header fetches, except ... a message that has no body and no blank line"
  chunks.push(raw.subarray(blank, m.bodyStart));
  return Buffer.concat(chunks);
}

/** Resolve a BODY[section] to its bytes' location. Nonexistent parts give the empty string. */
export function resolveSection(raw: Buffer, root: MimePart, spec: SectionSpec): SectionResult {
  const part = findPart(root, spec.part);
  if (part === null) return EMPTY;
  const text = spec.text;
  if (text === undefined) {
    if (spec.part.length === 0) return { kind: 'range', start: 0, end: raw.length };
    return { kind: 'range', start: part.bodyStart, end: part.bodyEnd };
  }
  if (text === 'MIME') {
    if (spec.part.length === 0) return EMPTY;
    return { kind: 'range', start: part.headerStart, end: part.bodyStart };
  }
  // HEADER, HEADER.FIELDS[.NOT] and TEXT apply to a message: the top level, or a message/rfc822 part.
  const msg = spec.part.length === 0 ? root : part.message?.root;
  if (msg === undefined) return EMPTY;
  switch (text) {
    case 'HEADER':
      return { kind: 'range', start: msg.headerStart, end: msg.bodyStart };
    case 'TEXT':
      return { kind: 'range', start: msg.bodyStart, end: msg.bodyEnd };
    case 'HEADER.FIELDS':
    case 'HEADER.FIELDS.NOT':
      return { kind: 'bytes', data: headerFields(raw, msg, spec.fields ?? [], text === 'HEADER.FIELDS.NOT') };
  }
}

/** The bytes of a BODY[section]. */
export function sectionBytes(raw: Buffer, root: MimePart, spec: SectionSpec): Buffer {
  const r = resolveSection(raw, root, spec);
  return r.kind === 'bytes' ? r.data : raw.subarray(r.start, r.end);
}

export type BinaryResult =
  | { ok: true; data: Buffer }
  /** unknown-cte: answer NO [UNKNOWN-CTE] (RFC 3516 §4.3). */
  | { ok: false; reason: 'unknown-cte' };

/**
 * BINARY[section] (RFC 3516): the content-transfer-decoded body of a part. An empty path is the whole
 * message as stored; a nonexistent part is the empty string, as for BODY[].
 *
 * RFC 9051 §6.4.5 says clients ask BINARY only of leaf parts, without saying what a server answers
 * otherwise. A multipart or message/rfc822 part can only have an identity encoding (RFC 2045 §6.4,
 * RFC 2046 §5.2.1; one declared with another is parsed as a leaf), so its decoded content is its body
 * as stored, the same bytes as BODY[section]: that is the answer (Dovecot gives it too), not NIL.
 */
export function binarySection(raw: Buffer, root: MimePart, path: number[]): BinaryResult {
  if (path.length === 0) return { ok: true, data: raw };
  const part = findPart(root, path);
  if (part === null) return { ok: true, data: Buffer.alloc(0) };
  if (part.children !== undefined || part.message !== undefined) return { ok: true, data: raw.subarray(part.bodyStart, part.bodyEnd) };
  const data = decodeTransfer(raw.subarray(part.bodyStart, part.bodyEnd), part.encoding);
  return data === null ? { ok: false, reason: 'unknown-cte' } : { ok: true, data };
}
