/**
 * Ingest: parse a message once (DESIGN principle 5) and derive every column the store keeps for
 * FETCH, SEARCH, SORT, THREAD and JMAP. Runs outside the write transaction (pure CPU work).
 */
import { createHash } from 'node:crypto';
import { decodeHeaderValue, imapBodyStructure, imapEnvelope, parseMessage } from '../mime/index.js';
import type { DecodedAddress, EnvelopeAddress } from '../mime/types.js';
import type { NewMessage } from './engine.js';
import { searchFold } from './search.js';

export type IngestedMessage = Omit<NewMessage, 'accountId' | 'threadId'> & {
  raw: Buffer;
  /** Ids this message refers to, newest first, for thread lookup. */
  threadRefs: string[];
};

/**
 * The searchable text of an address field: "Name <addr>" of each mailbox, and the names of groups
 * (RFC 9051 §6.4.4: TO/CC/... match the envelope's field, where a group start carries the group name).
 */
function addressText(list: readonly DecodedAddress[], envelope: readonly EnvelopeAddress[] | null): string {
  const parts = list.map((a) => (a.name !== '' ? `${a.name} <${a.address}>` : a.address));
  for (const a of envelope ?? []) if (a.host === null && a.mailbox !== null && a.mailbox !== '') parts.push(decodeHeaderValue(a.mailbox));
  return searchFold(parts.join(', '));
}

/**
 * RFC 5256 §3: SORT FROM/TO/CC use the addr-mailbox of the first envelope address. When the field
 * starts with a group, that is the group start, whose addr-mailbox is the group name.
 */
function firstMailbox(envelope: readonly EnvelopeAddress[] | null): string {
  return (envelope?.[0]?.mailbox ?? '').toLowerCase();
}

/**
 * RFC 5957 §3: the decoded display name of the first envelope address when not empty, else
 * mailbox@host, else the mailbox (a group start: the group name), else "".
 */
function firstDisplay(envelope: readonly EnvelopeAddress[] | null): string {
  const a = envelope?.[0];
  if (a === undefined) return '';
  const name = a.name === null ? '' : decodeHeaderValue(a.name);
  if (name !== '') return searchFold(name);
  if (a.mailbox !== null && a.host !== null && a.host !== '') return searchFold(`${a.mailbox}@${a.host}`);
  return searchFold(a.mailbox ?? '');
}

export function ingest(raw: Buffer): IngestedMessage {
  const parsed = parseMessage(raw);
  const env = parsed.envelope;
  const refs = [...parsed.references].reverse();
  for (const id of parsed.inReplyTo) if (!refs.includes(id)) refs.unshift(id);
  return {
    raw,
    threadRefs: refs,
    blob: createHash('sha256').update(raw).digest('hex'),
    size: raw.length,
    headerSize: parsed.headerSize,
    date: parsed.date,
    dateZone: parsed.dateZone,
    subject: searchFold(parsed.subject),
    baseSubject: parsed.baseSubject,
    fromText: addressText(parsed.from, env.from),
    toText: addressText(parsed.to, env.to),
    ccText: addressText(parsed.cc, env.cc),
    bccText: addressText(parsed.bcc, env.bcc),
    sortFrom: firstMailbox(env.from),
    sortTo: firstMailbox(env.to),
    sortCc: firstMailbox(env.cc),
    displayFrom: firstDisplay(env.from),
    displayTo: firstDisplay(env.to),
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
