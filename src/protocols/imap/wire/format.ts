/**
 * Small formatting helpers shared by the response serializers.
 */
import { imapString } from '../../../mime/imap-format.js';
import { encodeMutf7 } from './mutf7.js';
import { compressUids, formatSequenceSet } from './sequence-set.js';
import type { ResponseCode, UidList } from './responses.js';
import type { BodySection } from './types.js';

/** True when `s` is a non-empty run of ATOM-CHARs (RFC 9051 §9), so it may be sent bare. */
export function isAtom(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
    // atom-specials: ( ) { % * " \ ]
    if (c === 0x28 || c === 0x29 || c === 0x7b || c === 0x25 || c === 0x2a || c === 0x22 || c === 0x5c || c === 0x5d) return false;
  }
  return true;
}

/** An astring: bare atom when possible, otherwise quoted or literal. */
export function astring(s: string, utf8: boolean): string {
  return isAtom(s) ? s : imapString(s, utf8);
}

/**
 * A mailbox name as sent to this client: UTF-8 once UTF8=ACCEPT / IMAP4rev2 is enabled
 * (RFC 6855 §3), modified UTF-7 otherwise (RFC 3501 §5.1.3). Always quoted (or a literal).
 */
export function mailboxName(name: string, utf8: boolean): string {
  return imapString(utf8 ? name : encodeMutf7(name), utf8);
}

/** The hierarchy delimiter of LIST / NAMESPACE: a quoted character or NIL. */
export function delimiter(d: string | null): string {
  if (d === null) return 'NIL';
  return d === '\\' || d === '"' ? `"\\${d}"` : `"${d}"`;
}

export function uidList(list: UidList): string {
  if (Array.isArray(list)) return compressUids(list as readonly number[]);
  return formatSequenceSet(list as Exclude<UidList, readonly number[]>);
}

/**
 * Human-readable text of a status response: one line (CR/LF become spaces), 7-bit unless the
 * client enabled UTF-8 (RFC 9051 §9 "text"), and not starting with "[" when no code precedes it.
 */
export function respText(text: string, utf8: boolean, hasCode: boolean): string {
  let out = text;
  if (/[\r\n]/.test(out)) out = out.replace(/[\r\n]+/g, ' ');
  if (!utf8 && /[^\x20-\x7e]/.test(out)) out = out.replace(/[^\x20-\x7e]/g, '?');
  if (!hasCode && out.charCodeAt(0) === 0x5b) out = ' ' + out;
  return out;
}

/** The text inside "[...]" of a response code (RFC 9051 §7.1 and the extension RFCs). */
export function formatCode(c: ResponseCode): string {
  switch (c.code) {
    case 'BADCHARSET':
      return c.charsets && c.charsets.length > 0 ? `BADCHARSET (${c.charsets.map((s) => astring(s, false)).join(' ')})` : 'BADCHARSET';
    case 'CAPABILITY':
      return ['CAPABILITY', ...c.capabilities].join(' ');
    case 'PERMANENTFLAGS':
      return `PERMANENTFLAGS (${c.flags.join(' ')})`;
    case 'UIDNEXT':
    case 'UIDVALIDITY':
      return `${c.code} ${c.value}`;
    case 'APPENDUID':
      return `APPENDUID ${c.uidValidity} ${uidList(c.uids)}`;
    case 'COPYUID':
      return `COPYUID ${c.uidValidity} ${uidList(c.source)} ${uidList(c.destination)}`;
    case 'HIGHESTMODSEQ':
      return `HIGHESTMODSEQ ${c.modseq}`;
    case 'MODIFIED':
      return `MODIFIED ${uidList(c.set)}`;
    case 'MAILBOXID':
      return `MAILBOXID (${c.id})`;
    case 'OTHER': {
      const text = c.text === undefined ? '' : respText(c.text, false, true).replace(/\]/g, ' ');
      return text.length > 0 ? `${c.atom} ${text}` : c.atom;
    }
    default:
      return c.code;
  }
}

/** "1.2.HEADER.FIELDS (From To)" — the inside of BODY[...] as echoed in a FETCH response. */
export function formatSection(s: BodySection): string {
  let out = s.part.join('.');
  if (s.text !== null) out += (out.length > 0 ? '.' : '') + s.text;
  if (s.fields !== null) out += ` (${s.fields.map((f) => astring(f, false)).join(' ')})`;
  return out;
}
