/**
 * RFC 9051 §7.5.2 ENVELOPE from a message's header fields. Values stay raw (encoded words kept),
 * unfolded and trimmed; the Sender/Reply-To defaulting to From is done when serializing
 * (imap-envelope.ts), so the stored envelope says what the header said.
 */
import type { Envelope } from './types.js';
import type { HeaderFields } from './header.js';
import { fixLatin1 } from './charset.js';
import { unfold } from './encoded-words.js';
import { envelopeAddresses } from './address.js';

/** A present field's unfolded, trimmed text ("" when present but empty); null when absent. */
function raw(fields: HeaderFields, name: string): string | null {
  const v = fields.get(name);
  return v === undefined ? null : fixLatin1(unfold(v).trim());
}

export function buildEnvelope(fields: HeaderFields): Envelope {
  return {
    date: raw(fields, 'date'),
    subject: raw(fields, 'subject'),
    from: envelopeAddresses(fields.get('from')),
    sender: envelopeAddresses(fields.get('sender')),
    replyTo: envelopeAddresses(fields.get('reply-to')),
    to: envelopeAddresses(fields.get('to')),
    cc: envelopeAddresses(fields.get('cc')),
    bcc: envelopeAddresses(fields.get('bcc')),
    inReplyTo: raw(fields, 'in-reply-to'),
    messageId: raw(fields, 'message-id'),
  };
}
