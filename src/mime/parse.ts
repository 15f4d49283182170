/**
 * parseMessage(): everything the store keeps about a message's content, computed once at ingest
 * (DESIGN principle 5). Never throws.
 */
import type { MimePart, ParsedMessage } from './types.js';
import type { HeaderFields } from './header.js';
import { parseStructure } from './structure.js';
import { buildEnvelope } from './envelope.js';
import { decodeHeaderValue } from './encoded-words.js';
import { decodedAddresses } from './address.js';
import { parseDateWithZone } from './date.js';
import { baseSubject } from './subject.js';
import { hasAttachment, makePreview } from './text.js';
import { fieldText } from './part-fields.js';

/** Message ids ("<id-left@id-right>") in order, without brackets. */
export function messageIds(value: string | null): string[] {
  if (value === null) return [];
  const ids: string[] = [];
  // RFC 5322 §3.6.4; obs-id-left/obs-id-right allow CFWS, seen as "<id@ host >".
  for (const m of value.matchAll(/<([^<>]+)>/g)) {
    const id = (m[1] as string).replace(/\s+/g, '');
    if (id !== '') ids.push(id);
  }
  if (ids.length === 0) {
    // Lenient: a bare id without brackets, as some software writes it.
    const bare = value.replace(/\([^()]*\)/g, ' ').trim();
    if (bare !== '' && !/\s/.test(bare) && bare.includes('@')) ids.push(bare);
  }
  return ids;
}

function decoded(fields: HeaderFields, name: string): string {
  const v = fieldText(fields, name);
  return v === null ? '' : decodeHeaderValue(v);
}

/** The parse, without the safety net: tests call this so that a bug shows up as an exception. */
export function parseMessageStrict(raw: Buffer): ParsedMessage {
  const { root, fields } = parseStructure(raw);
  const subject = decoded(fields, 'subject');
  const date = parseDateWithZone(fieldText(fields, 'date'));
  return {
    root,
    envelope: buildEnvelope(fields),
    headerSize: root.bodyStart - root.headerStart,
    subject,
    baseSubject: baseSubject(subject),
    from: decodedAddresses(fields.get('from')),
    to: decodedAddresses(fields.get('to')),
    cc: decodedAddresses(fields.get('cc')),
    bcc: decodedAddresses(fields.get('bcc')),
    replyTo: decodedAddresses(fields.get('reply-to')),
    sender: decodedAddresses(fields.get('sender')),
    date: date?.ms ?? null,
    dateZone: date?.zone ?? null,
    messageId: messageIds(fieldText(fields, 'message-id'))[0] ?? null,
    inReplyTo: messageIds(fieldText(fields, 'in-reply-to')),
    references: messageIds(fieldText(fields, 'references')),
    preview: makePreview(raw, root),
    hasAttachment: hasAttachment(root),
  };
}

/** A message we could not parse (only on a parser bug): one opaque part, nothing else. */
function opaque(raw: Buffer): ParsedMessage {
  const root: MimePart = {
    headerStart: 0, bodyStart: 0, bodyEnd: raw.length, bodyLines: 0,
    type: 'application', subtype: 'octet-stream', params: [],
    id: null, description: null, encoding: '7bit', md5: null, location: null, disposition: null, language: null,
  };
  const envelope = buildEnvelope(new Map());
  return {
    root, envelope, headerSize: 0, subject: '', baseSubject: '',
    from: [], to: [], cc: [], bcc: [], replyTo: [], sender: [],
    date: null, dateZone: null, messageId: null, inReplyTo: [], references: [], preview: '', hasAttachment: false,
  };
}

/**
 * Parse a raw message (CRLF or bare LF line endings, any bytes). Never throws: malformed input
 * gives the best structure that can be read from it.
 */
export function parseMessage(raw: Buffer): ParsedMessage {
  try {
    return parseMessageStrict(raw);
  } catch {
    return opaque(raw);
  }
}
