/**
 * The MIME module: parse once at ingest, then serve ENVELOPE, BODYSTRUCTURE, BODY[section],
 * BINARY[section], SEARCH text and previews from the stored result. Pure: no I/O, no storage.
 */
export type {
  DecodedAddress, Envelope, EnvelopeAddress, MimeParam, MimePart, ParsedMessage,
} from './types.js';
export { parseMessage } from './parse.js';
export { imapEnvelope } from './imap-envelope.js';
export { imapBodyStructure } from './imap-bodystructure.js';
export {
  binarySection, findPart, resolveSection, sectionBytes,
  type BinaryResult, type SectionResult, type SectionSpec, type SectionText,
} from './section.js';
export { decodeHeaderValue } from './encoded-words.js';
export { searchableText, fileName, hasAttachment } from './text.js';
export { paramText } from './params.js';
export { parseDate } from './date.js';
export { baseSubject, subjectInfo } from './subject.js';
export { decodeTransfer } from './transfer.js';
export { encodeNulContent } from './nul-content.js';
export { decodeCharset } from './charset.js';
export { imapString } from './imap-format.js';
