/**
 * APPEND (RFC 9051 §6.3.12, RFC 3502 MULTIAPPEND, RFC 4466 append-message, RFC 3516 literal8,
 * RFC 6855 §4 UTF8 data) and REPLACE (RFC 8508).
 */
import { LIMITS } from '../../../shared/limits.js';
import { LIT, type Reader } from './reader.js';
import type { AppendCommand, AppendMessage, DateTime, ReplaceCommand } from './types.js';

/**
 * append-message = [SP flag-list] [SP date-time] SP append-data
 * append-data    = literal / literal8 / "UTF8" SP "(" literal8 ")"
 */
function parseAppendMessage(r: Reader): AppendMessage {
  r.sp();
  let flags: string[] | null = null;
  let internalDate: DateTime | null = null;
  if (r.peek() === 0x28) {
    flags = r.flagList();
    r.sp();
  }
  if (r.peek() === 0x22) {
    internalDate = r.dateTime();
    r.sp();
  }
  if (r.peek() === LIT) {
    const { data, binary } = r.literal(true);
    return { flags, internalDate, data, binary, utf8: false };
  }
  const ext = r.keyword();
  if (ext !== 'UTF8') r.fail(`Unknown APPEND data extension ${ext}`);
  r.sp();
  r.open();
  // RFC 6855 §4 asks for literal8; a plain literal carries the same bytes and is accepted too.
  const { data, binary } = r.literal(true);
  r.close();
  return { flags, internalDate, data, binary, utf8: true };
}

/** append = "APPEND" SP mailbox 1*append-message */
export function parseAppend(r: Reader, tag: string): AppendCommand {
  r.sp();
  const mailbox = r.mailbox();
  const messages: AppendMessage[] = [];
  do {
    if (messages.length === LIMITS.imap.multiappendMessages) r.fail('Too many messages in one APPEND');
    messages.push(parseAppendMessage(r));
  } while (!r.atEnd());
  return { tag, kind: 'APPEND', mailbox, messages };
}

/** replace = "REPLACE" SP seq-number SP mailbox append-message (RFC 8508 §5) */
export function parseReplace(r: Reader, tag: string, uid: boolean): ReplaceCommand {
  r.sp();
  const target = r.eat(0x2a) ? '*' : r.nzNumber();
  r.sp();
  const mailbox = r.mailbox();
  const message = parseAppendMessage(r);
  return { tag, kind: 'REPLACE', uid, target, mailbox, message };
}
