/**
 * Mail authentication of an incoming message: SPF (RFC 7208), DKIM (RFC 6376), DMARC (RFC 7489) and
 * ARC (RFC 8617) through mailauth, asking DNS only through our resolver port. The result is the
 * Authentication-Results header (RFC 8601) and Received-SPF, plus the one verdict policy acts on: the
 * sender's domain publishes p=reject (sp= for a subdomain) and the message fails DMARC.
 */
import { authenticate } from 'mailauth';
import { LIMITS } from '../shared/limits.js';
import { mailauthResolver, type DnsResolver } from './dns.js';

export interface AuthInput {
  raw: Buffer;
  /** The client's IP address. */
  ip: string;
  /** Its EHLO/HELO name. */
  helo: string;
  /** MAIL FROM ("" for the null sender). */
  sender: string;
  /** Our host name: the authserv-id of the Authentication-Results header. */
  mta: string;
  resolver: DnsResolver;
}

export interface AuthVerdict {
  /** Header fields to prepend, each ending in CRLF. */
  headers: string;
  /** DMARC result: pass, fail, none, temperror, permerror … */
  dmarc: string;
  /** The DMARC policy that applies ("none", "quarantine", "reject"), or null without a record. */
  dmarcPolicy: string | null;
  /** DMARC failed and the domain asks for rejection. */
  dmarcReject: boolean;
  /** DMARC failed and the domain asks for quarantine (Junk). */
  dmarcQuarantine: boolean;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`mail authentication took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function ensureCrlf(headers: string): string {
  const h = headers.replace(/\r?\n/g, '\r\n');
  return h.endsWith('\r\n') ? h : h + '\r\n';
}

/** Never throws: a failure of the checks themselves is recorded as a temporary error in the header. */
export async function authenticateMessage(input: AuthInput): Promise<AuthVerdict> {
  try {
    const result = await withTimeout(authenticate(input.raw, {
      ip: input.ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, ''),
      helo: input.helo,
      sender: input.sender,
      mta: input.mta,
      resolver: mailauthResolver(input.resolver),
      disableBimi: true,
    }), LIMITS.smtp.authenticationMs);
    const dmarc = result.dmarc === false ? null : result.dmarc;
    const outcome = dmarc?.status.result ?? 'none';
    const policy = dmarc !== null && typeof dmarc.policy === 'string' && dmarc.policy !== '' ? dmarc.policy.toLowerCase() : null;
    return { headers: ensureCrlf(result.headers), dmarc: outcome, dmarcPolicy: policy, dmarcReject: outcome === 'fail' && policy === 'reject',
      dmarcQuarantine: outcome === 'fail' && policy === 'quarantine' };
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).replace(/[^\x20-\x7e]|[()]/g, ' ').slice(0, 200);
    return {
      headers: `Authentication-Results: ${input.mta}; none (checks failed: ${why})\r\n`,
      dmarc: 'temperror', dmarcPolicy: null, dmarcReject: false, dmarcQuarantine: false,
    };
  }
}
