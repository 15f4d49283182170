/**
 * One SMTP transaction with one remote server (nodemailer's SMTP client): connect, opportunistic
 * STARTTLS (any certificate: RFC 7435 opportunistic security) or the smarthost's required TLS, AUTH
 * for a smarthost, MAIL/RCPT/DATA. Whatever the server answers (or fails to), the result is a value,
 * never an exception: each recipient accepted, or refused for now or for good.
 */
import { isIP } from 'node:net';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { NodemailerError } from 'nodemailer/lib/errors';
import { LIMITS } from '../../shared/limits.js';
import type { Hop } from './route.js';

/** What became of one recipient. `reply` is the server's words (or ours, for a connection problem). */
export type RecipientOutcome =
  | { ok: true; reply: string }
  | { ok: false; permanent: boolean; reply: string };

export type HopResult =
  /** The transaction ran: an outcome for every recipient. */
  | { kind: 'done'; outcomes: Map<string, RecipientOutcome> }
  /** The server could not be reached or would not talk (try the next hop); or it refused the whole transaction. */
  | { kind: 'failed'; nextHop: boolean; permanent: boolean; reply: string };

export interface Envelope {
  /** "" for the null sender. */
  from: string;
  to: readonly string[];
}

function clean(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[^\x20-\x7e]/g, '?').trim().slice(0, LIMITS.outbound.errorChars);
}

function describe(err: NodemailerError): string {
  if (typeof err.response === 'string' && err.response !== '') return clean(err.response);
  return clean(`${err.code ?? 'ERROR'} ${err.message}`);
}

/** A reply code is permanent when 5xx (RFC 5321 §4.2.1); 503 means a broken sequence, not the message. */
function permanentCode(code: number | undefined): boolean {
  return code !== undefined && code >= 500 && code !== 503;
}

/**
 * Runs one client step. nodemailer reports socket failures, timeouts and a closed connection as
 * 'error'/'end' events, not through the step's callback: whichever comes first settles the step.
 */
function step<T>(conn: SMTPConnection, run: (done: (err: NodemailerError | null, value: T | null) => void) => void): Promise<{ err: NodemailerError | null; value: T | null }> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (err: NodemailerError | null, value: T | null): void => {
      if (settled) return;
      settled = true;
      conn.off('error', onError);
      conn.off('end', onEnd);
      resolve({ err, value });
    };
    const onError = (err: NodemailerError): void => finish(err, null);
    const onEnd = (): void => finish(Object.assign(new Error('connection closed by the server'), { code: 'ECONNECTION' }), null);
    conn.on('error', onError);
    conn.once('end', onEnd);
    try {
      run(finish);
    } catch (err) {
      finish(Object.assign(err instanceof Error ? err : new Error(String(err)), { code: 'EPROTOCOL' }), null);
    }
  });
}

async function connect(conn: SMTPConnection): Promise<NodemailerError | null> {
  return (await step<true>(conn, (done) => conn.connect((err) => done(err ?? null, true)))).err;
}

async function login(conn: SMTPConnection, auth: { user: string; pass: string }): Promise<NodemailerError | null> {
  return (await step<true>(conn, (done) => conn.login({ credentials: { user: auth.user, pass: auth.pass } }, (err) => done(err, true)))).err;
}

function has8bit(raw: Buffer): boolean {
  for (const b of raw) if (b > 0x7f) return true;
  return false;
}

interface SendInfo {
  accepted: string[];
  rejectedErrors?: NodemailerError[] | undefined;
  response: string;
}

type SendOutcome = { err: NodemailerError; info: null } | { err: null; info: SendInfo };

async function send(conn: SMTPConnection, envelope: Envelope, raw: Buffer): Promise<SendOutcome> {
  const r = await step<SendInfo>(conn, (done) => {
    conn.send({ from: envelope.from, to: [...envelope.to], size: raw.length, use8BitMime: has8bit(raw) }, raw, (err, info) => {
      done(err ?? null, info ?? null);
    });
  });
  if (r.err !== null) return { err: r.err, info: null };
  if (r.value === null) return { err: Object.assign(new Error('no answer from the SMTP client'), { code: 'EPROTOCOL' }), info: null };
  return { err: null, info: r.value };
}

function rejectedOutcomes(errors: readonly NodemailerError[] | undefined, outcomes: Map<string, RecipientOutcome>): void {
  for (const e of errors ?? []) {
    if (e.recipient === undefined) continue;
    outcomes.set(e.recipient, { ok: false, permanent: permanentCode(e.responseCode), reply: describe(e) });
  }
}

/** Runs one transaction; `name` is our EHLO name. */
export async function deliverToHop(hop: Hop, envelope: Envelope, raw: Buffer, name: string): Promise<HopResult> {
  const conn = new SMTPConnection({
    host: hop.host, port: hop.port, secure: hop.implicitTls, requireTLS: hop.requireTls, opportunisticTLS: !hop.requireTls,
    name, ...(isIP(hop.name) === 0 ? { servername: hop.name } : {}), logger: false,
    connectionTimeout: LIMITS.outbound.connectMs, greetingTimeout: LIMITS.outbound.greetingMs, socketTimeout: LIMITS.outbound.socketMs,
    // Opportunistic TLS takes any certificate; a smarthost's must be valid.
    tls: { rejectUnauthorized: hop.requireTls || hop.implicitTls },
  });
  // Errors are taken by each step (above); one after the last step must not throw either.
  conn.on('error', () => undefined);
  try {
    const failed = await connect(conn);
    if (failed !== null) {
      const code = failed.responseCode;
      // A server that greets with 554 refuses us for good (RFC 5321 §3.1); anything else: the next hop.
      return { kind: 'failed', nextHop: !permanentCode(code), permanent: permanentCode(code), reply: describe(failed) };
    }
    if (hop.auth !== null) {
      const denied = await login(conn, hop.auth);
      if (denied !== null) return { kind: 'failed', nextHop: false, permanent: false, reply: `smarthost login failed: ${describe(denied)}` };
    }
    const outcomes = new Map<string, RecipientOutcome>();
    const sent = await send(conn, envelope, raw);
    if (sent.err !== null) {
      const e = sent.err;
      if (e.rejectedErrors !== undefined && e.rejectedErrors.length > 0 && e.command === 'RCPT TO') {
        rejectedOutcomes(e.rejectedErrors, outcomes);
      } else {
        const outcome: RecipientOutcome = { ok: false, permanent: permanentCode(e.responseCode), reply: describe(e) };
        for (const r of envelope.to) outcomes.set(r, outcome);
      }
    } else {
      const reply = clean(sent.info.response);
      rejectedOutcomes(sent.info.rejectedErrors, outcomes);
      for (const r of sent.info.accepted) outcomes.set(r, { ok: true, reply });
    }
    // A recipient the client did not report on was not confirmed: try again later.
    for (const r of envelope.to) if (!outcomes.has(r)) outcomes.set(r, { ok: false, permanent: false, reply: 'no reply for this recipient' });
    conn.quit();
    return { kind: 'done', outcomes };
  } finally {
    setTimeout(() => conn.close(), 1_000).unref();
  }
}
