/**
 * ENVELOPE serialization, RFC 9051 §7.5.2 / §9 (envelope, address):
 *   envelope = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP env-to
 *              SP env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")"
 *   address  = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"
 */
import type { Envelope, EnvelopeAddress } from './types.js';
import { imapString } from './imap-format.js';

function addressList(list: EnvelopeAddress[] | null, utf8: boolean): string {
  if (list === null || list.length === 0) return 'NIL';
  let out = '(';
  for (const a of list) {
    out += '(' + imapString(a.name, utf8) + ' ' + imapString(a.adl, utf8) + ' ' +
      imapString(a.mailbox, utf8) + ' ' + imapString(a.host, utf8) + ')';
  }
  return out + ')';
}

/**
 * The ENVELOPE of a message. RFC 9051 §7.5.2: an absent (or empty) Sender or Reply-To is sent as
 * the From value. `utf8`: the client enabled UTF8=ACCEPT, so 8-bit text may be quoted.
 */
export function imapEnvelope(env: Envelope, utf8 = false): string {
  const sender = env.sender !== null && env.sender.length > 0 ? env.sender : env.from;
  const replyTo = env.replyTo !== null && env.replyTo.length > 0 ? env.replyTo : env.from;
  return '(' + [
    imapString(env.date, utf8),
    imapString(env.subject, utf8),
    addressList(env.from, utf8),
    addressList(sender, utf8),
    addressList(replyTo, utf8),
    addressList(env.to, utf8),
    addressList(env.cc, utf8),
    addressList(env.bcc, utf8),
    imapString(env.inReplyTo, utf8),
    imapString(env.messageId, utf8),
  ].join(' ') + ')';
}
