/**
 * CHUNKING (RFC 3030): `BDAT <size> [LAST]`, the alternative to DATA that smtp-server lacks.
 *
 * RFC 3030 §2: each chunk is exactly <size> octets taken as they are, read in full even when the
 * command is refused (the server MUST accept and discard them, so the session stays in step); every
 * chunk gets a reply, 250 for one accepted; after a failed chunk the rest of the transaction is read
 * and discarded until LAST or RSET. The LAST chunk hands the whole message to the listener's onData
 * exactly as smtp-server does for DATA, so the message path (SIZE, bare CR/LF refusal, checks,
 * delivery, 250 only when durable) is one for both commands. BINARYMIME (§3) is not offered: a message
 * sent with BDAT is still an RFC 5322 message with CRLF line endings.
 */
import { finished, PassThrough } from 'node:stream';
import type { SMTPServerDataStream, SMTPServerEnvelope, SMTPServerSession } from 'smtp-server';
import type { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { ChunkingStream } from './bdat-stream.js';

/** A BDAT command line: well formed, or not (`size` null when the octet count is unknown). */
export type BdatArgs = { ok: true; size: number; last: boolean } | { ok: false; size: number | null };

/** RFC 3030 §2: bdat-cmd ::= "BDAT" SP chunk-size [ SP end-marker ]; chunk-size ::= 1*DIGIT; end-marker ::= "LAST". */
export function parseBdat(line: string): BdatArgs {
  const parts = line.trim().split(/ +/);
  // At most 15 significant digits: every such size is an exact integer.
  const digits = /^0*(\d{1,15})$/.exec(parts[1] ?? '');
  if (parts[0]?.toUpperCase() !== 'BDAT' || digits?.[1] === undefined) return { ok: false, size: null };
  const size = Number(digits[1]);
  if (parts.length === 2) return { ok: true, size, last: false };
  if (parts.length === 3 && parts[2]?.toUpperCase() === 'LAST') return { ok: true, size, last: true };
  return { ok: false, size };
}

interface Reply {
  code: number;
  text: string;
}

interface Transaction {
  chunks: Buffer[];
  bytes: number;
  /** Once a chunk failed: the reply every later chunk of the transaction gets (its octets discarded). */
  failed: Reply | null;
}

/** BDAT state per transaction: smtp-server makes a new envelope for each (MAIL … end, RSET, EHLO, STARTTLS). */
const transactions = new WeakMap<SMTPServerEnvelope, Transaction>();

/** Whether the current transaction has had a BDAT (RFC 3030 §2: DATA may not follow it). */
export function bdatStarted(session: SMTPServerSession): boolean {
  return transactions.has(session.envelope);
}

const TOO_BIG: Reply = { code: 552, text: '5.3.4 Message too big' };
const SEQUENCE: Reply = { code: 503, text: '5.5.1 An earlier BDAT of this transaction failed: send RSET' };

/** The transaction a chunk belongs to and the reply that refuses it, if any. */
function classify(conn: SMTPConnection, args: BdatArgs & { size: number }): { tx: Transaction | undefined; refusal: Reply | null } {
  const envelope = conn.session.envelope;
  if (envelope.mailFrom === false || envelope.rcptTo.length === 0) {
    return { tx: undefined, refusal: { code: 503, text: '5.5.1 Send MAIL and RCPT before BDAT' } };
  }
  let tx = transactions.get(envelope);
  if (tx === undefined) {
    tx = { chunks: [], bytes: 0, failed: null };
    transactions.set(envelope, tx);
  }
  if (tx.failed !== null) return { tx, refusal: tx.failed };
  if (!args.ok) {
    tx.failed = SEQUENCE;
    return { tx, refusal: { code: 501, text: '5.5.4 Syntax: BDAT <size> [LAST]' } };
  }
  const limit = Number(conn._server.options.size) || Infinity;
  if (tx.bytes + args.size > limit) {
    // RFC 1870 §6.3 / RFC 3030 §2: refused as soon as it is known, the octets still read.
    tx.failed = TOO_BIG;
    tx.chunks = [];
    return { tx, refusal: TOO_BIG };
  }
  return { tx, refusal: null };
}

/** The BDAT command; `callback` lets smtp-server's parser go on (into the octets, or to the next command). */
export function handleBdat(conn: SMTPConnection, command: Buffer, callback: () => void): void {
  const parser = conn._parser;
  if (!(parser instanceof ChunkingStream)) {
    callback();
    return;
  }
  const args = parseBdat(command.toString('latin1'));
  if (args.size === null) {
    // Without a size the octets that follow cannot be told from commands (RFC 3030 §2, second Note).
    conn.send(501, '5.5.4 Syntax: BDAT <size> [LAST]; closing the connection');
    conn.close();
    callback();
    return;
  }
  const { tx, refusal } = classify(conn, { ...args, size: args.size });
  const last = args.ok && args.last;
  const done = (resume: () => void): void => {
    if (refusal !== null) {
      conn.send(refusal.code, refusal.text);
      if (last && tx !== undefined) endTransaction(conn);
      resume();
    } else if (!last) {
      conn.send(250, `2.0.0 ${args.size} octets received`);
      resume();
    } else if (tx !== undefined) {
      deliver(conn, tx, resume);
    }
  };
  if (args.size === 0) {
    done(callback);
    return;
  }
  const keep = (octets: Buffer): void => {
    if (refusal !== null || tx === undefined) return;
    tx.chunks.push(octets);
    tx.bytes += octets.length;
  };
  // As after every command, what follows waits until the replies so far are flushed (a client that
  // never reads them cannot make us buffer replies without limit).
  parser.readOctets(args.size, keep, (resume) => done(() => conn._whenWritable(resume)));
  callback();
}

/** The transaction is over, whatever its outcome: a new envelope, as after DATA. */
function endTransaction(conn: SMTPConnection): void {
  conn._transactionCounter++;
  conn._unrecognizedCommands = 0;
  conn._resetSession();
}

/** BDAT LAST: the message goes to the listener's onData and its answer to the client, as for DATA. */
function deliver(conn: SMTPConnection, tx: Transaction, resume: () => void): void {
  const raw = Buffer.concat(tx.chunks, tx.bytes);
  tx.chunks = [];
  const stream: SMTPServerDataStream = Object.assign(new PassThrough(), { byteLength: raw.length, sizeExceeded: false });
  // While onData decides, the client waits for us: smtp-server's idle timeout leaves it alone.
  conn._handlerPending = true;
  let answered = false;
  const answer = (err: Error | null | undefined, message: unknown): void => {
    if (answered) return;
    answered = true;
    // As for DATA, the reply waits until the message stream has ended (drained if the handler did not read it).
    finished(stream, () => {
      if (err) conn.send(replyCode(err), err.message);
      else conn.send(250, typeof message === 'string' ? message : 'OK: message queued', 'DATA_OK');
      endTransaction(conn);
      conn._handlerPending = false;
      resume();
    });
    if (stream.readableFlowing === null) stream.resume();
  };
  try {
    conn._server.onData(stream, conn.session, answer);
  } catch (err) {
    conn._server.logger.error({ err, tnx: 'bdat', cid: conn.id }, 'onData failed');
    answer(Object.assign(new Error('4.3.0 Internal error, try again later'), { responseCode: 451 }), undefined);
  }
  stream.end(raw);
}

function replyCode(err: Error): number {
  const code = (err as Error & { responseCode?: unknown }).responseCode;
  return typeof code === 'number' ? code : 450;
}
