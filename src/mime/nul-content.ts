/**
 * Message bytes that IMAP can carry. RFC 9051 §4.3 literals cannot contain NUL (only BINARY answers
 * may use literal8, RFC 3516 §4.2), yet an APPEND with literal8 (RFC 3516 §4.4) may bring parts whose
 * content has NUL octets, under Content-Transfer-Encoding binary (or none). Such a message could never
 * be returned by FETCH BODY[] or RFC822 as it is, so those parts are re-encoded in base64 before the
 * message is stored: RFC 3516 §4.4 lets the server "modify the CTE of the appended data" when it does
 * not lose data, and §6 asks for that only "when it is absolutely necessary" — which NUL makes it.
 * Every other byte of the message stays as it was; BINARY[part] still returns the original content.
 */
import { splitFields } from './header.js';
import { parseMessage } from './parse.js';
import { blankLineStart } from './section.js';
import type { MimePart } from './types.js';

/** RFC 2045 §6.8: encoded lines are at most 76 characters. */
const BASE64_LINE = 76;
const IDENTITY = new Set(['7bit', '8bit', 'binary']);

interface Edit {
  start: number;
  end: number;
  data: Buffer;
}

function base64Lines(data: Buffer): Buffer {
  const text = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += BASE64_LINE) lines.push(text.slice(i, i + BASE64_LINE));
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

/** The part's header without its Content-Transfer-Encoding fields, declaring base64 instead. */
function base64Header(raw: Buffer, part: MimePart): Buffer {
  const blank = blankLineStart(raw, part);
  const kept = splitFields(raw, part.headerStart, blank)
    .filter((f) => f.name !== 'content-transfer-encoding')
    .map((f) => raw.subarray(f.start, f.end));
  // A header whose last field lacks its line break (no blank line follows) gets one first.
  const last = kept[kept.length - 1];
  if (last !== undefined && last[last.length - 1] !== 10) kept.push(Buffer.from('\r\n'));
  kept.push(Buffer.from('Content-Transfer-Encoding: base64\r\n'));
  // The blank line, or one made when the part had none.
  kept.push(blank < part.bodyStart ? raw.subarray(blank, part.bodyStart) : Buffer.from('\r\n'));
  return Buffer.concat(kept);
}

function collect(raw: Buffer, part: MimePart, edits: Edit[]): void {
  if (part.children !== undefined) {
    for (const c of part.children) collect(raw, c, edits);
    return;
  }
  if (part.message !== undefined) {
    collect(raw, part.message.root, edits);
    return;
  }
  const body = raw.subarray(part.bodyStart, part.bodyEnd);
  if (!IDENTITY.has(part.encoding) || !body.includes(0)) return;
  edits.push({ start: part.headerStart, end: part.bodyStart, data: base64Header(raw, part) });
  edits.push({ start: part.bodyStart, end: part.bodyEnd, data: base64Lines(body) });
}

/**
 * `raw` with every part whose content holds a NUL octet (and has an identity encoding) re-encoded in
 * base64; `raw` itself when it has no NUL. NUL octets elsewhere (in header fields, or in content that
 * claims another encoding) are left as they are: no encoding can carry them.
 */
export function encodeNulContent(raw: Buffer): Buffer {
  if (!raw.includes(0)) return raw;
  const edits: Edit[] = [];
  collect(raw, parseMessage(raw).root, edits);
  if (edits.length === 0) return raw;
  const out: Buffer[] = [];
  let at = 0;
  for (const e of edits) {
    out.push(raw.subarray(at, e.start), e.data);
    at = e.end;
  }
  out.push(raw.subarray(at));
  return Buffer.concat(out);
}
