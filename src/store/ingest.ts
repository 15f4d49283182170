/**
 * Ingest: parse a message once (DESIGN principle 5) and derive every column the store keeps for
 * FETCH, SEARCH, SORT, THREAD and JMAP. Runs outside the write transaction (pure CPU work).
 */
import { createHash } from 'node:crypto';
import { imapBodyStructure, imapEnvelope, parseMessage } from '../mime/index.js';
import type { DecodedAddress, ParsedMessage } from '../mime/types.js';
import type { NewMessage } from './engine.js';
import { searchFold } from './search.js';

export type IngestedMessage = Omit<NewMessage, 'accountId' | 'threadId'> & {
  parsed: ParsedMessage;
  raw: Buffer;
  /** Ids this message refers to, newest first, for thread lookup. */
  threadRefs: string[];
};

function addressText(list: readonly DecodedAddress[]): string {
  return searchFold(list.map((a) => (a.name !== '' ? `${a.name} <${a.address}>` : a.address)).join(', '));
}

/** RFC 5256 §3: SORT FROM/TO/CC use the addr-mailbox (local part) of the first address. */
function firstMailbox(list: readonly DecodedAddress[]): string {
  const a = list[0]?.address ?? '';
  const at = a.lastIndexOf('@');
  return (at >= 0 ? a.slice(0, at) : a).toLowerCase();
}

/** RFC 5957 §3.1: display name of the first address, else its addr-spec. */
function firstDisplay(list: readonly DecodedAddress[]): string {
  const a = list[0];
  if (a === undefined) return '';
  return searchFold(a.name !== '' ? a.name : a.address);
}

export function ingest(raw: Buffer): IngestedMessage {
  const parsed = parseMessage(raw);
  const refs = [...parsed.references].reverse();
  for (const id of parsed.inReplyTo) if (!refs.includes(id)) refs.unshift(id);
  return {
    parsed,
    raw,
    threadRefs: refs,
    blob: createHash('sha256').update(raw).digest('hex'),
    size: raw.length,
    headerSize: parsed.headerSize,
    date: parsed.date,
    subject: searchFold(parsed.subject),
    baseSubject: parsed.baseSubject,
    fromText: addressText(parsed.from),
    toText: addressText(parsed.to),
    ccText: addressText(parsed.cc),
    bccText: addressText(parsed.bcc),
    sortFrom: firstMailbox(parsed.from),
    sortTo: firstMailbox(parsed.to),
    sortCc: firstMailbox(parsed.cc),
    displayFrom: firstDisplay(parsed.from),
    displayTo: firstDisplay(parsed.to),
    messageIdHeader: parsed.messageId,
    inReplyTo: parsed.inReplyTo.length > 0 ? parsed.inReplyTo.join(' ') : null,
    references: parsed.references.length > 0 ? parsed.references.join(' ') : null,
    envelope: imapEnvelope(parsed.envelope),
    bodyStructure: imapBodyStructure(parsed.root, true),
    body: imapBodyStructure(parsed.root, false),
    mime: JSON.stringify(parsed.root),
    preview: parsed.preview,
    hasAttachment: parsed.hasAttachment,
  };
}
