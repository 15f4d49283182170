/**
 * Envelope addresses (RFC 5321 §4.1.2 Mailbox, RFC 6531 for UTF-8): split into local part and domain,
 * and plus-addressing (alice+tag@example.com is delivered to alice@example.com).
 */

export interface MailAddress {
  /** As the client wrote it (case kept: RFC 5321 §2.4 local parts may be case-sensitive). */
  local: string;
  /** Lower-cased, without a trailing dot. */
  domain: string;
}

/** RFC 5321 §4.5.3.1.1 and §4.5.3.1.2: local part at most 64 octets, domain at most 255. */
const LOCAL_MAX = 64;
const DOMAIN_MAX = 255;

/** Splits an envelope address; null for anything that is not local@domain. */
export function splitAddress(address: string): MailAddress | null {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1).toLowerCase().replace(/\.$/, '');
  // Control characters, spaces and brackets never reach the store (smtp-server already parsed the path).
  if (/[\s<>()]/.test(address) || [...address].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return null;
  if (Buffer.byteLength(local) > LOCAL_MAX || Buffer.byteLength(domain) > DOMAIN_MAX || domain === '') return null;
  return { local, domain };
}

export function joinAddress(a: MailAddress): string {
  return `${a.local}@${a.domain}`;
}

/**
 * The address without its +tag (alice+lists → alice), or null when it has none. A local part that
 * starts with "+" or ends with it has no tag: "+1" is a whole name.
 */
export function withoutTag(a: MailAddress): MailAddress | null {
  const plus = a.local.indexOf('+');
  if (plus <= 0 || plus === a.local.length - 1) return null;
  return { local: a.local.slice(0, plus), domain: a.domain };
}
