/** The CAPA list (RFC 2449 §5–6), which depends on the connection and, after login, on the account. */
import type { PopSettings } from '../../store/pop.js';
import { SASL_MECHANISMS } from '../../auth/sasl.js';

export interface CapaState {
  secure: boolean;
  loginAllowed: boolean;
  loginDelaySeconds: number;
  /** The logged-in account's settings; null before login. */
  settings: PopSettings | null;
}

export function capabilities(s: CapaState): string[] {
  const caps = ['CAPA', 'TOP', 'UIDL', 'RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING'];
  // RFC 2449 §6.7: "EXPIRE 0" when downloaded mail leaves the maildrop, NEVER when it stays. Before login
  // the value may differ per user ("USER"); after login it is the account's.
  if (s.settings === null) caps.push('EXPIRE NEVER USER');
  else caps.push(s.settings.afterDownload === 'archive' || s.settings.afterDownload === 'trash' ? 'EXPIRE 0' : 'EXPIRE NEVER');
  if (s.loginDelaySeconds > 0) caps.push(`LOGIN-DELAY ${s.loginDelaySeconds}`);
  caps.push('IMPLEMENTATION Roost');
  if (s.settings === null) {
    // RFC 6856 §2.2: UTF-8 user names and passwords are accepted.
    caps.push('UTF8 USER');
    if (!s.secure) caps.push('STLS');
    // RFC 2595 §4 / RFC 5034 §3: no cleartext login offered where it would be refused.
    if (s.loginAllowed) caps.push('USER', `SASL ${SASL_MECHANISMS.join(' ')}`);
  }
  return caps;
}
