/**
 * RCPT TO answers from a resolved recipient (delivery/recipients.ts). Roost never relays: a domain
 * that is not local is refused on port 25 (RFC 5321 §3.6.2: no open relay) and, until the outbound
 * queue exists, deferred on submission.
 */
import type { Recipient } from '../../delivery/recipients.js';
import { smtpError, type SmtpReplyError } from './reply.js';

export type Port = 'mx' | 'submission';

export function rcptError(r: Recipient, address: string, port: Port): SmtpReplyError | null {
  const shown = address.length > 100 ? address.slice(0, 100) + '…' : address;
  switch (r.kind) {
    case 'local':
      return null;
    case 'unknown':
      return smtpError(550, `5.1.1 <${shown}>: no such user here`);
    case 'invalid':
      return smtpError(501, `5.1.3 <${shown}>: not a valid address`);
    case 'remote':
      return port === 'mx'
        ? smtpError(550, `5.7.1 <${shown}>: relay access denied`)
        : smtpError(450, '4.3.2 Remote delivery is not available yet on this server');
    case 'forward':
      return smtpError(450, '4.3.2 Forwarding to another domain is not available yet on this server');
  }
}
