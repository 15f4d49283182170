/**
 * BODY and BODYSTRUCTURE serialization, RFC 9051 §7.5.2 and §9 / RFC 3501 §7.4.2:
 *   body           = "(" (body-type-1part / body-type-mpart) ")"
 *   body-type-1part = (body-type-basic / body-type-msg / body-type-text) [SP body-ext-1part]
 *   body-type-basic = media-basic SP body-fields
 *   body-type-msg  = media-message SP body-fields SP envelope SP body SP body-fld-lines
 *   body-type-text = media-text SP body-fields SP body-fld-lines
 *   body-fields    = body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP body-fld-octets
 *   body-ext-1part = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc ...]]]
 *   body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
 *   body-ext-mpart = body-fld-param [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc ...]]]
 * BODY is the same without the extension data (also inside encapsulated messages).
 */
import type { MimeParam, MimePart } from './types.js';
import { imapString } from './imap-format.js';
import { imapEnvelope } from './imap-envelope.js';

/**
 * body-type-mpart needs at least one body, but an empty multipart (corpus empty-multipart.txt) has
 * none. Like Dovecot we send one zero-length text/plain child: every client parser accepts it, and
 * fetching its section gives the empty string, which is what is there.
 */
const EMPTY_CHILD = '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)';
const EMPTY_CHILD_EXT = '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)';

function paramList(params: MimeParam[], defaultCharset: boolean, utf8: boolean): string {
  const items: string[] = [];
  for (const p of params) items.push(imapString(p.name, utf8) + ' ' + imapString(p.value, utf8));
  // RFC 2045 §5.2: text without a charset parameter is us-ascii; say so, as Dovecot and Cyrus do.
  if (defaultCharset && !params.some((p) => p.name === 'charset')) items.push('"charset" "us-ascii"');
  return items.length === 0 ? 'NIL' : '(' + items.join(' ') + ')';
}

/** body-fld-dsp SP body-fld-lang SP body-fld-loc */
function commonExtension(p: MimePart, utf8: boolean): string {
  const dsp = p.disposition === null
    ? 'NIL'
    : '(' + imapString(p.disposition.type, utf8) + ' ' + paramList(p.disposition.params, false, utf8) + ')';
  const lang = p.language === null || p.language.length === 0
    ? 'NIL'
    : '(' + p.language.map((l) => imapString(l, utf8)).join(' ') + ')';
  return dsp + ' ' + lang + ' ' + imapString(p.location, utf8);
}

function multipart(p: MimePart, children: MimePart[], extended: boolean, utf8: boolean): string {
  let out = '(';
  if (children.length === 0) out += extended ? EMPTY_CHILD_EXT : EMPTY_CHILD;
  for (const c of children) out += body(c, extended, utf8);
  out += ' ' + imapString(p.subtype, utf8);
  if (extended) out += ' ' + paramList(p.params, false, utf8) + ' ' + commonExtension(p, utf8);
  return out + ')';
}

function onePart(p: MimePart, extended: boolean, utf8: boolean): string {
  const text = p.type === 'text';
  let out = '(' + imapString(p.type, utf8) + ' ' + imapString(p.subtype, utf8) + ' ' +
    paramList(p.params, text, utf8) + ' ' + imapString(p.id, utf8) + ' ' + imapString(p.description, utf8) + ' ' +
    imapString(p.encoding, utf8) + ' ' + Math.max(0, p.bodyEnd - p.bodyStart);
  if (text) {
    out += ' ' + p.bodyLines;
  } else if (p.message !== undefined) {
    out += ' ' + imapEnvelope(p.message.envelope, utf8) + ' ' + body(p.message.root, extended, utf8) + ' ' + p.bodyLines;
  }
  if (extended) out += ' ' + imapString(p.md5, utf8) + ' ' + commonExtension(p, utf8);
  return out + ')';
}

function body(p: MimePart, extended: boolean, utf8: boolean): string {
  return p.children !== undefined ? multipart(p, p.children, extended, utf8) : onePart(p, extended, utf8);
}

/**
 * The BODYSTRUCTURE (extended = true) or BODY (extended = false) of the part tree `root`, with its
 * outer parentheses. Recursion depth is bounded by LIMITS.mime.depth, which the parser enforces.
 */
export function imapBodyStructure(root: MimePart, extended: boolean, utf8 = false): string {
  return body(root, extended, utf8);
}
