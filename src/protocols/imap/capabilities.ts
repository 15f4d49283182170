/**
 * The capabilities Roost announces, by session state (RFC 9051 §7.2.2: the list may change after
 * STARTTLS and after login). docs/rfc-status.md says what each one covers.
 */
import { LIMITS } from '../../shared/limits.js';

/** Announced at every stage. */
const BASE = ['IMAP4rev1', 'IMAP4rev2', 'LITERAL+', 'SASL-IR', 'ID', 'ENABLE', 'IDLE'];

/** Announced once logged in. */
const AUTHENTICATED = [
  'NAMESPACE', 'UNSELECT', 'UIDPLUS', 'MOVE', 'CHILDREN', 'LIST-EXTENDED', 'LIST-STATUS', 'SPECIAL-USE',
  'CREATE-SPECIAL-USE', 'MULTIAPPEND', `APPENDLIMIT=${LIMITS.imap.appendBytes}`, 'BINARY', 'CONDSTORE', 'QRESYNC',
  'ESEARCH', 'SEARCHRES', 'WITHIN', 'SORT', 'SORT=DISPLAY', 'THREAD=REFERENCES', 'THREAD=ORDEREDSUBJECT',
  'STATUS=SIZE', 'SAVEDATE', 'OBJECTID', 'PREVIEW', 'UTF8=ACCEPT', 'QUOTA', 'QUOTA=RES-STORAGE', 'REPLACE',
];

export interface CapabilityState {
  authenticated: boolean;
  secure: boolean;
  loginAllowed: boolean;
  compressed: boolean;
}

export function capabilityList(s: CapabilityState): string[] {
  const caps = [...BASE];
  if (!s.authenticated) {
    if (!s.secure) caps.push('STARTTLS');
    // RFC 9051 §6.2.3 / RFC 2595 §3.2: no plaintext passwords on an unprotected connection.
    if (s.loginAllowed) caps.push('AUTH=PLAIN', 'AUTH=LOGIN');
    else caps.push('LOGINDISABLED');
    return caps;
  }
  caps.push(...AUTHENTICATED);
  // RFC 4978 §3: not announced once compression is active. Nor is UNAUTHENTICATE (RFC 8437 §4.1 would end
  // the DEFLATE layer mid-stream; commands/unauthenticate.ts says why we do not).
  if (!s.compressed) caps.push('UNAUTHENTICATE', 'COMPRESS=DEFLATE');
  return caps;
}
