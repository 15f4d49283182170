/**
 * One APPEND / REPLACE message argument checked and turned into a store item (pure).
 *
 * Decisions:
 * - An empty message is refused with NO: RFC 3502 §6.3.11 ("A zero-length message literal argument is an
 *   error, and MUST return a NO"; clients use it to cancel a MULTIAPPEND).
 * - Any other bytes are accepted as they are, RFC 5322 or not: RFC 9051 §6.3.12 only says SHOULD (drafts
 *   may lack header fields), and a server that refuses odd mail breaks migrations (Dovecot accepts any
 *   bytes too). The MIME parser copes with anything; the bytes come back unchanged.
 * - literal8 (RFC 3516 §4.4) and the UTF8 (...) data extension (RFC 6855 §4) are stored byte for byte:
 *   no CTE conversion, so signatures over the content stay valid. The one exception is content with NUL
 *   octets, which no IMAP literal may carry back (RFC 9051 §4.3): those parts are stored in base64
 *   (mime/nul-content.ts; RFC 3516 §4.4 allows it), or FETCH BODY[] could never return the message.
 * - 8-bit header bytes are accepted without ENABLE UTF8=ACCEPT, although RFC 6855 §4 asks for NO:
 *   RFC 9051 §6.3.12 (IMAP4rev2, which we announce) permits 8-bit characters in the message, and legacy
 *   mail with raw 8-bit headers must survive being copied between servers.
 */
import { encodeNulContent } from '../../mime/index.js';
import { LIMITS } from '../../shared/limits.js';
import type { AppendItem } from '../../store/append.js';
import { isSystemFlag } from '../../store/flags.js';
import { FLAG_BITS } from '../../store/types.js';
import type { AppendMessage, ResponseCode } from './wire/index.js';

export type CheckedMessage =
  | { readonly ok: true; readonly item: AppendItem }
  | { readonly ok: false; readonly text: string; readonly code: ResponseCode | null };

function refuse(text: string, code: ResponseCode | null = null): CheckedMessage {
  return { ok: false, text, code };
}

/** Flags of APPEND: system flags as bits, keywords kept; \Recent is ignored (RFC 9051 §2.3.2: only the server sets it). */
export function appendFlags(flags: readonly string[]): { bits: number; keywords: string[] } | { error: string } {
  let bits = 0;
  const keywords: string[] = [];
  for (const f of flags) {
    const system = isSystemFlag(f);
    if (system !== null) bits |= FLAG_BITS[system];
    else if (f.startsWith('\\')) {
      if (f.toLowerCase() === '\\recent') continue;
      return { error: `Invalid system flag ${f}` };
    } else if (Buffer.byteLength(f) > LIMITS.imap.keywordBytes) return { error: 'Keyword too long' };
    else keywords.push(f);
  }
  return { bits, keywords };
}

/** Checks one message argument against the rules above and the APPEND size limit (RFC 7889). */
export function checkAppendMessage(m: AppendMessage, appendLimit: number): CheckedMessage {
  if (m.data.length === 0) return refuse('Empty message (RFC 3502: a zero-length message cancels the APPEND)');
  // RFC 7889 §4: the parser refuses announced literals above APPENDLIMIT; this catches any that arrive anyway.
  if (m.data.length > appendLimit) return refuse(`Message larger than APPENDLIMIT=${appendLimit}`, { code: 'TOOBIG' });
  const flags = appendFlags(m.flags ?? []);
  if ('error' in flags) return refuse(flags.error);
  const item: AppendItem = { raw: encodeNulContent(m.data), flags: flags.bits, keywords: flags.keywords };
  if (m.internalDate !== null) item.internalDate = m.internalDate.utcMs;
  return { ok: true, item };
}

/** Checks every message of a MULTIAPPEND before anything is stored (RFC 3502: all or none). */
export function checkAppendMessages(messages: readonly AppendMessage[], appendLimit: number):
  { ok: true; items: AppendItem[] } | Extract<CheckedMessage, { ok: false }> {
  const items: AppendItem[] = [];
  for (const [i, m] of messages.entries()) {
    const c = checkAppendMessage(m, appendLimit);
    if (!c.ok) return messages.length > 1 ? { ...c, text: `Message ${i + 1}: ${c.text}` } : c;
    items.push(c.item);
  }
  return { ok: true, items };
}
