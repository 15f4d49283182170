/**
 * From a part's header fields to the MimePart model: media type with defaults (RFC 2045 §5.2,
 * RFC 2046 §5.1.5), transfer encoding, Content-ID/-Description/-MD5/-Location, disposition and
 * language; and whether the parser descends into the part.
 */
import type { MimePart } from './types.js';
import type { HeaderFields } from './header.js';
import { fixLatin1 } from './charset.js';
import { unfold } from './encoded-words.js';
import { parseContentType, parseDisposition, parseEncoding, parseLanguage, textParams } from './params.js';

/** An unfolded, trimmed header value as text; null when absent or empty. */
export function fieldText(fields: HeaderFields, name: string): string | null {
  const v = fields.get(name);
  if (v === undefined) return null;
  const t = unfold(v).trim();
  return t === '' ? null : fixLatin1(t);
}

export interface BuiltPart {
  part: MimePart;
  /** The boundary parameter's bytes (for a multipart), exactly as in the header. */
  boundary: Buffer | null;
}

/**
 * The part whose header starts at `headerStart` and whose body starts at `bodyStart` (bodyEnd and
 * bodyLines are filled in later). Without a valid Content-Type a part is text/plain, or
 * message/rfc822 inside multipart/digest.
 */
export function buildPart(fields: HeaderFields, headerStart: number, bodyStart: number, digestChild: boolean): BuiltPart {
  const ct = fields.get('content-type');
  const parsed = ct === undefined ? null : parseContentType(unfold(ct));
  const disposition = fields.get('content-disposition');
  const language = fields.get('content-language');
  const cte = fields.get('content-transfer-encoding');
  const disp = disposition === undefined ? null : parseDisposition(unfold(disposition));
  const rawBoundary = parsed?.params.find((p) => p.name === 'boundary')?.value;
  const part: MimePart = {
    headerStart,
    bodyStart,
    bodyEnd: bodyStart,
    bodyLines: 0,
    type: parsed?.type ?? (digestChild ? 'message' : 'text'),
    subtype: parsed?.subtype ?? (digestChild ? 'rfc822' : 'plain'),
    params: parsed === null ? [] : textParams(parsed.params),
    id: fieldText(fields, 'content-id'),
    description: fieldText(fields, 'content-description'),
    encoding: parseEncoding(cte === undefined ? undefined : unfold(cte)),
    md5: fieldText(fields, 'content-md5'),
    location: fieldText(fields, 'content-location'),
    disposition: disp === null ? null : { type: fixLatin1(disp.type), params: textParams(disp.params) },
    language: language === undefined ? null : parseLanguage(unfold(language)),
  };
  return { part, boundary: rawBoundary === undefined ? null : Buffer.from(rawBoundary, 'latin1') };
}

export type PartKind = 'multipart' | 'message' | 'leaf';

const IDENTITY = new Set(['7bit', '8bit', 'binary']);

/**
 * Does the parser descend into this part? A multipart without a boundary, an encapsulated message
 * with a transfer encoding (RFC 2046 §5.2.1 forbids it; we cannot see its structure), and anything
 * past the depth or part limits become opaque leaves, typed application/octet-stream as Dovecot
 * does, so that "multipart/*" always has children and "message/rfc822" always has a message.
 */
export function classify(built: BuiltPart, depth: number, partCount: number, maxDepth: number, maxParts: number): PartKind {
  const part = built.part;
  const roomy = depth < maxDepth && partCount < maxParts;
  if (part.type === 'multipart') {
    if (built.boundary !== null && roomy) return 'multipart';
  } else if (part.type === 'message' && (part.subtype === 'rfc822' || part.subtype === 'global')) {
    if (IDENTITY.has(part.encoding) && roomy) return 'message';
  } else {
    return 'leaf';
  }
  part.type = 'application';
  part.subtype = 'octet-stream';
  return 'leaf';
}
