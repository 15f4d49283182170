/**
 * Mailbox names in the store: UTF-8, '/' as the hierarchy separator, INBOX case-insensitive
 * (RFC 9051 §5.1). Wire encodings (modified UTF-7, UTF8=ACCEPT) are the protocols' business.
 */
import { LIMITS } from '../shared/limits.js';
import { StoreError } from './errors.js';

export const SEPARATOR = '/';

/** Canonical form: "inbox" in any case (and as the first level) becomes "INBOX". */
export function canonicalName(name: string): string {
  if (name.toUpperCase() === 'INBOX') return 'INBOX';
  if (name.length > 6 && name.slice(0, 6).toUpperCase() === 'INBOX' + SEPARATOR) return 'INBOX' + name.slice(5);
  return name;
}

/** Validates a name for CREATE/RENAME and returns its canonical form (a trailing separator is dropped, RFC 9051 §6.3.4). */
export function validateNewName(input: string): string {
  let name = input.normalize('NFC');
  if (name.endsWith(SEPARATOR)) name = name.slice(0, -1);
  name = canonicalName(name);
  if (name === '') throw new StoreError('INVALID', 'Empty mailbox name');
  if (Buffer.byteLength(name) > LIMITS.imap.mailboxNameBytes) throw new StoreError('LIMIT', 'Mailbox name too long');
  const parts = name.split(SEPARATOR);
  if (parts.length > LIMITS.imap.mailboxDepth) throw new StoreError('LIMIT', 'Mailbox hierarchy too deep');
  for (const p of parts) {
    if (p === '') throw new StoreError('INVALID', 'Empty level in mailbox name');
    // Wildcards would make LIST patterns ambiguous; control characters break every client.
    if (/[*%]/.test(p) || [...p].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) throw new StoreError('INVALID', 'Invalid character in mailbox name');
  }
  return name;
}

export function parentNames(name: string): string[] {
  const parts = name.split(SEPARATOR);
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join(SEPARATOR));
  return out;
}

export function isInferior(name: string, of: string): boolean {
  return name.startsWith(of + SEPARATOR);
}

/** Default folders every new account gets (RFC 6154 special-use; Outlook finds "Deleted Items" by \Trash). */
export const DEFAULT_MAILBOXES = [
  { name: 'INBOX', specialUse: null },
  { name: 'Drafts', specialUse: '\\Drafts' },
  { name: 'Sent', specialUse: '\\Sent' },
  { name: 'Archive', specialUse: '\\Archive' },
  { name: 'Junk', specialUse: '\\Junk' },
  { name: 'Trash', specialUse: '\\Trash' },
] as const;
