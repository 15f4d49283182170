/**
 * The MIME model produced once at ingest (DESIGN: "parse MIME once") and stored with the message.
 * All offsets are byte offsets into the raw message as stored; nothing here is ever re-derived
 * from a re-parse of the whole message at FETCH/SEARCH time.
 */

/** A header parameter (Content-Type / Content-Disposition), RFC 2231 continuations already joined. */
export interface MimeParam {
  /** Attribute name, lower-cased. */
  name: string;
  /** Value as it appears on the wire after unquoting and joining continuations (not charset-decoded). */
  value: string;
}

/**
 * One address of an envelope address list, in raw (undecoded) form, as IMAP ENVELOPE needs it.
 * RFC 9051 §7.5.2 group markers: start = { mailbox: group name, host: null }, end = all null.
 * A mailbox always has a non-null host ("" when the address had no domain).
 */
export interface EnvelopeAddress {
  name: string | null;
  adl: string | null;
  mailbox: string | null;
  host: string | null;
}

/**
 * RFC 9051 §7.5.2 ENVELOPE fields, raw header values (encoded words left as they are), unfolded and
 * trimmed; null when the field is absent (address lists: also when empty). Sender and Reply-To are
 * stored as the header says; imapEnvelope() applies the default to From.
 */
export interface Envelope {
  date: string | null;
  subject: string | null;
  from: EnvelopeAddress[] | null;
  sender: EnvelopeAddress[] | null;
  replyTo: EnvelopeAddress[] | null;
  to: EnvelopeAddress[] | null;
  cc: EnvelopeAddress[] | null;
  bcc: EnvelopeAddress[] | null;
  inReplyTo: string | null;
  messageId: string | null;
}

export interface MimePart {
  /** Byte offset where this part's header starts. */
  headerStart: number;
  /** Byte offset where the body starts (just after the blank line ending the header, or = bodyEnd if none). */
  bodyStart: number;
  /** Byte offset just past the body (before the CRLF that precedes the next boundary, RFC 2046 §5.1.1). */
  bodyEnd: number;
  /** Number of LF-terminated lines in the body (BODYSTRUCTURE text/* and message/rfc822 "body fld lines"). */
  bodyLines: number;
  /**
   * Lower-cased media type and subtype; defaults per RFC 2045 §5.2 (text/plain, or message/rfc822 in
   * multipart/digest). Parts the parser does not descend into (multipart without boundary, encoded
   * message/rfc822, past LIMITS.mime) are application/octet-stream, so type "multipart" always has
   * `children` and message/rfc822 (or message/global) always has `message`.
   */
  type: string;
  subtype: string;
  params: MimeParam[];
  /** Content-ID, Content-Description, Content-Transfer-Encoding (lower-cased, default "7bit"), Content-MD5, Content-Location: raw values. */
  id: string | null;
  description: string | null;
  encoding: string;
  md5: string | null;
  location: string | null;
  /** Content-Disposition: lower-cased type and its parameters. */
  disposition: { type: string; params: MimeParam[] } | null;
  /** Content-Language tags. */
  language: string[] | null;
  /** Children of a multipart/* part (may be empty for an empty multipart). */
  children?: MimePart[];
  /** For message/rfc822 (and message/global): the envelope and the root part of the encapsulated message. */
  message?: { envelope: Envelope; root: MimePart };
}

/** Everything the store keeps about a message's content. Computed once by parseMessage(). */
export interface ParsedMessage {
  root: MimePart;
  envelope: Envelope;
  /** Size in bytes of the top-level header block including the blank line. */
  headerSize: number;
  /** Decoded (RFC 2047, charsets) header values used for SEARCH, SORT and JMAP. */
  subject: string;
  /** RFC 5256 §2.1 base subject, for SORT SUBJECT and THREAD=ORDEREDSUBJECT. */
  baseSubject: string;
  /** Decoded address lists (display name decoded, groups flattened; empty arrays when absent). */
  from: DecodedAddress[];
  to: DecodedAddress[];
  cc: DecodedAddress[];
  bcc: DecodedAddress[];
  replyTo: DecodedAddress[];
  sender: DecodedAddress[];
  /** Date header in ms since epoch, or null when absent or unparseable. */
  date: number | null;
  /** The zone the Date header was written in, minutes east of UTC (0 when it names none); null with `date`. */
  dateZone: number | null;
  /** Message-ID without angle brackets, or null. */
  messageId: string | null;
  /** In-Reply-To and References message ids without brackets, in order. */
  inReplyTo: string[];
  references: string[];
  /** RFC 8970 preview: plain text, whitespace collapsed, at most LIMITS.mime.previewChars characters. */
  preview: string;
  /** True when any part has Content-Disposition attachment or is a non-text, non-multipart part with a filename. */
  hasAttachment: boolean;
}

export interface DecodedAddress {
  /** Decoded display name ("" when none). */
  name: string;
  /** addr-spec "local@domain" (just "local" without a domain; "" when unparseable, e.g. a bare phrase). */
  address: string;
}
