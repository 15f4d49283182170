/**
 * The trace header a receiving server prepends (RFC 5321 §4.4), with the "with" protocol types of
 * RFC 3848 and RFC 6531 §3.7.3.
 *
 *   Received: from client.example (host.example [192.0.2.1])
 *           by mail.example.org (Roost) with ESMTPS id 1a2b3c
 *           for <bob@example.org>; Tue, 3 Jan 2023 10:00:00 +0000
 */

export interface ReceivedInfo {
  /** What the client said in EHLO/HELO ("" if nothing). */
  helo: string;
  /** The client's IP address. */
  ip: string;
  /** Its reverse DNS name, when known. */
  clientHostname?: string | undefined;
  /** Our host name. */
  by: string;
  /** EHLO (true) or HELO (false). */
  esmtp: boolean;
  tls: boolean;
  authenticated: boolean;
  /** The client asked for SMTPUTF8 (RFC 6531). */
  utf8: boolean;
  /** Our id of the transaction, for finding it in the logs. */
  id: string;
  /** The recipient, named only when the message had exactly one (RFC 5321 §7.2: no BCC leaks). */
  recipient?: string | undefined;
  date: Date;
  /** The TLS version and cipher, e.g. "TLSv1.3:TLS_AES_256_GCM_SHA384". */
  cipher?: string | undefined;
}

/** RFC 3848 / RFC 6531 §3.7.3 "with" keyword. */
export function withProtocol(i: Pick<ReceivedInfo, 'esmtp' | 'tls' | 'authenticated' | 'utf8'>): string {
  if (!i.esmtp) return 'SMTP';
  const base = i.utf8 ? 'UTF8SMTP' : 'ESMTP';
  return base + (i.tls ? 'S' : '') + (i.authenticated ? 'A' : '');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** RFC 5322 §3.3 date-time in UTC. */
export function rfc5322Date(d: Date): string {
  return `${DAYS[d.getUTCDay()] ?? 'Sun'}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? 'Jan'} ${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** A client-supplied word made safe for a header: printable ASCII without parentheses or brackets. */
function safe(text: string, max = 255): string {
  const s = text.replace(/[^\x21-\x7e]|[()<>[\]\\;]/g, '?');
  return s.length > max ? s.slice(0, max) : s;
}

function ipLiteral(ip: string): string {
  const v4 = ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  return v4.includes(':') ? `IPv6:${safe(v4)}` : safe(v4);
}

/** The whole header field, folded, ending in CRLF. */
export function receivedHeader(i: ReceivedInfo): string {
  const host = i.clientHostname !== undefined && i.clientHostname !== '' ? `${safe(i.clientHostname)} ` : '';
  const from = `from ${i.helo === '' ? 'unknown' : safe(i.helo)} (${host}[${ipLiteral(i.ip)}])`;
  const tls = i.cipher !== undefined ? ` (${safe(i.cipher)})` : '';
  const by = `by ${i.by} (Roost) with ${withProtocol(i)}${tls} id ${safe(i.id, 64)}`;
  // A recipient that would need more than ASCII is left out rather than mangled.
  const rcpt = i.recipient !== undefined && /^[\x21-\x7e]+$/.test(i.recipient) && !/[<>]/.test(i.recipient)
    ? `\r\n\tfor <${i.recipient}>` : '';
  return `Received: ${from}\r\n\t${by}${rcpt};\r\n\t${rfc5322Date(i.date)}\r\n`;
}
