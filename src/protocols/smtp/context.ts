/**
 * What the SMTP handlers share: the services of one listener and the per-session state kept beside
 * smtp-server's session objects (an authenticated account, the accounts of the current transaction).
 */
import type { SMTPServerEnvelope, SMTPServerSession } from 'smtp-server';
import type { Authenticator } from '../../auth/authenticator.js';
import type { DmarcRejectAction } from '../../config/schema.js';
import type { DnsResolver } from '../../delivery/dns.js';
import type { Logger } from '../../shared/logger.js';
import type { MailStore } from '../../store/store.js';
import type { Account } from '../../store/types.js';
import type { RateLimiter } from './rate.js';

export type { DmarcRejectAction };

export interface SmtpContext {
  store: MailStore;
  auth: Authenticator;
  hostname: string;
  resolver: DnsResolver;
  dmarcReject: DmarcRejectAction;
  limiter: RateLimiter;
  /** Rows were queued for remote delivery. */
  onQueued: () => void;
  logger: Logger;
}

/** The local accounts the current transaction's recipients reach (in RCPT order, repeats kept). */
const transactions = new WeakMap<SMTPServerEnvelope, Account[]>();

/** smtp-server makes a new envelope for every transaction (MAIL … DATA, RSET, EHLO). */
export function recipientsOf(session: SMTPServerSession): Account[] {
  let list = transactions.get(session.envelope);
  if (list === undefined) {
    list = [];
    transactions.set(session.envelope, list);
  }
  return list;
}

/** The remote addresses of the current transaction (other domains, and forwarding alias targets). */
const remotes = new WeakMap<SMTPServerEnvelope, string[]>();

export function remotesOf(session: SMTPServerSession): string[] {
  let list = remotes.get(session.envelope);
  if (list === undefined) {
    list = [];
    remotes.set(session.envelope, list);
  }
  return list;
}

const users = new WeakMap<SMTPServerSession, Account>();

export function setUser(session: SMTPServerSession, account: Account): void {
  users.set(session, account);
}

/** The account that logged in on this session, if any. */
export function userOf(session: SMTPServerSession): Account | undefined {
  return users.get(session);
}
