/**
 * The incremental IMAP command parser (DESIGN principle 1): `feed(chunk)` bytes as they arrive,
 * then pull events with `next()` until it says needMore.
 *
 * Framing is by lines (RFC 9051 §2.2): a line ending in a literal marker "{n}", "{n+}" or "~{n}"
 * (RFC 7888 §3, RFC 3516) is followed by n octets and more of the same command. Sync literals
 * wait for the session: it answers "+ " and calls acceptLiteral(), or answers NO/BAD and calls
 * rejectLiteral() (the client then drops the command). Memory stays bounded: a line or literal
 * beyond LIMITS is never buffered; it is discarded while streaming, or, when the stream cannot
 * be re-synchronised (a too large non-synchronizing literal), a fatal error asks the session to
 * close.
 */
import { LIMITS } from '../../../shared/limits.js';
import { parseAuthLine } from './auth.js';
import { parseCommand } from './commands.js';
import { findLiteralMarker, scanHead, truncatedMarker, type CommandHead, type LiteralMarker } from './framing.js';
import type { WireError } from './reader.js';
import type { ResponseCode } from './responses.js';
import type { Command } from './types.js';

/** What the next line means: a command, an AUTHENTICATE response line, or IDLE's "DONE". */
export type ParserMode = 'command' | 'authenticate' | 'idle';

export interface ParserOptions {
  /** Post-login limits (LIMITS.imap.lineBytes etc.) instead of the pre-login ones. */
  authenticated?: boolean;
  /** UTF8=ACCEPT or IMAP4rev2 enabled (RFC 6855 §3, RFC 9051 §5.1). */
  utf8?: boolean;
  /** The advertised non-synchronizing literal extension; LITERAL- caps them at 4096 octets (RFC 7888 §5). */
  nonSyncLiterals?: 'LITERAL+' | 'LITERAL-';
}

export type ParseEvent =
  | { readonly type: 'needMore' }
  /** Decide with acceptLiteral() / rejectLiteral(); for a sync literal answer "+ ..." or a tagged NO/BAD. */
  | {
      readonly type: 'needLiteral';
      readonly tag: string;
      readonly command: string;
      readonly size: number;
      readonly nonSync: boolean;
      readonly binary: boolean;
    }
  | { readonly type: 'command'; readonly command: Command }
  /** Answer `tag status [code] message` (untagged when tag is null); on `fatal` send BYE and close. */
  | {
      readonly type: 'error';
      readonly tag: string | null;
      readonly status: 'BAD' | 'NO';
      readonly code: ResponseCode | null;
      readonly message: string;
      readonly fatal: boolean;
    }
  /** Mode 'authenticate': a decoded client response line. */
  | { readonly type: 'authResponse'; readonly data: Buffer }
  /** Mode 'authenticate': the client sent "*" (RFC 9051 §6.2.2). Mode returns to 'command'. */
  | { readonly type: 'authCancel' }
  /** Mode 'idle': "DONE" (RFC 2177). Mode returns to 'command'. */
  | { readonly type: 'idleDone' };

type ErrorEvent = Extract<ParseEvent, { type: 'error' }>;
type LiteralEvent = Extract<ParseEvent, { type: 'needLiteral' }>;

const NEED_MORE: ParseEvent = Object.freeze({ type: 'needMore' });
const IDLE_DONE: ParseEvent = Object.freeze({ type: 'idleDone' });
const TOOBIG: ResponseCode = Object.freeze({ code: 'TOOBIG' });
/** RFC 7888 §5 and RFC 9051 §4.3: the LITERAL- cap on non-synchronizing literals. */
const LITERAL_MINUS_MAX = 4096;
const TAIL_BYTES = 64;

type State = 'line' | 'decide' | 'literal' | 'skipBytes' | 'skipLine' | 'fatal';

function errorEvent(tag: string | null, message: string, fatal = false, status: 'BAD' | 'NO' = 'BAD', code: ResponseCode | null = null): ErrorEvent {
  return { type: 'error', tag, status, code, message, fatal };
}

export class ImapParser {
  private mode: ParserMode = 'command';
  private authenticated: boolean;
  private utf8: boolean;
  private literalMinus: boolean;
  private state: State = 'line';
  // Unconsumed input.
  private queue: Buffer[] = [];
  private qpos = 0;
  // The line being assembled when it spans chunks.
  private lineParts: Buffer[] = [];
  private lineLen = 0;
  // The command being framed.
  private lines: Buffer[] = [];
  private literals: Buffer[] = [];
  private binary: boolean[] = [];
  private cmdBytes = 0;
  private head: CommandHead | null = null;
  private pending: LiteralEvent | null = null;
  private litParts: Buffer[] = [];
  private litRemaining = 0;
  private litBinary = false;
  private skipRemaining = 0;
  private tail = Buffer.alloc(TAIL_BYTES);
  private tailLen = 0;
  private fatalEvent: ErrorEvent | null = null;

  constructor(options: ParserOptions = {}) {
    this.authenticated = options.authenticated ?? false;
    this.utf8 = options.utf8 ?? false;
    this.literalMinus = options.nonSyncLiterals === 'LITERAL-';
  }

  /** Append received bytes. The parser keeps references to the chunk: do not modify it afterwards. */
  feed(chunk: Buffer): void {
    if (this.state !== 'fatal' && chunk.length > 0) this.queue.push(chunk);
  }

  /** Switch between post- and pre-login limits (after LOGIN/AUTHENTICATE, or UNAUTHENTICATE). */
  setAuthenticated(value: boolean): void {
    this.authenticated = value;
  }

  /** After ENABLE UTF8=ACCEPT / IMAP4rev2. */
  setUtf8(value: boolean): void {
    this.utf8 = value;
  }

  /** How the next line is read: set 'authenticate' after sending the first "+" of AUTHENTICATE, 'idle' after IDLE's "+". */
  setMode(mode: ParserMode): void {
    this.mode = mode;
  }

  getMode(): ParserMode {
    return this.mode;
  }

  /** Bytes received and not yet consumed. */
  get bufferedBytes(): number {
    let n = this.lineLen - this.qpos;
    for (const c of this.queue) n += c.length;
    return n;
  }

  /**
   * Remove and return every byte not yet consumed, at a command boundary: after STARTTLS (discard
   * them: RFC 9051 §6.2.1 forbids acting on pipelined plaintext) or COMPRESS (inflate them).
   */
  takeBuffered(): Buffer {
    const parts = [...this.lineParts];
    const first = this.queue[0];
    if (first !== undefined) parts.push(first.subarray(this.qpos), ...this.queue.slice(1));
    this.queue = [];
    this.qpos = 0;
    this.lineParts = [];
    this.lineLen = 0;
    return Buffer.concat(parts);
  }

  /** Accept the pending literal (after sending "+ ..." for a synchronizing one). */
  acceptLiteral(): void {
    const p = this.takePending();
    this.cmdBytes += p.size;
    this.litRemaining = p.size;
    this.litBinary = p.binary;
    this.litParts = [];
    this.state = 'literal';
  }

  /**
   * Refuse the pending literal; the session sends the tagged NO/BAD itself. The command is dropped:
   * a synchronizing literal is never sent by the client, a non-synchronizing one is skipped.
   */
  rejectLiteral(): void {
    const p = this.takePending();
    this.resetCommand();
    if (p.nonSync) this.startSkipBytes(p.size);
    else this.state = 'line';
  }

  private takePending(): LiteralEvent {
    const p = this.pending;
    if (this.state !== 'decide' || p === null) throw new Error('ImapParser: no literal is pending');
    this.pending = null;
    return p;
  }

  /** The next event; needMore when all buffered input is consumed. */
  next(): ParseEvent {
    for (;;) {
      switch (this.state) {
        case 'fatal':
          return this.fatalEvent!;
        case 'decide':
          return this.pending!;
        case 'literal':
          if (!this.readLiteral()) return NEED_MORE;
          break;
        case 'skipBytes':
          if (!this.skipBytes()) return NEED_MORE;
          break;
        case 'skipLine': {
          const ev = this.skipLine();
          if (ev === undefined) return NEED_MORE;
          if (ev !== null) return ev;
          break;
        }
        case 'line': {
          const line = this.readLine();
          if (line === null) return NEED_MORE;
          const ev = Buffer.isBuffer(line) ? this.onLine(line) : line;
          if (ev !== null) return ev;
          break;
        }
      }
    }
  }

  private lineLimit(): number {
    return this.authenticated ? LIMITS.imap.lineBytes : LIMITS.imap.lineBytesPreAuth;
  }

  private literalLimit(): number {
    const L = LIMITS.imap;
    if (!this.authenticated) return L.literalBytesPreAuth;
    const name = this.head?.name;
    return name === 'APPEND' || name === 'REPLACE' || name === 'UID REPLACE' ? L.appendBytes : L.literalBytes;
  }

  private commandLimit(): number {
    const L = LIMITS.imap;
    return this.authenticated ? L.commandBytes : L.lineBytesPreAuth + 2 * L.literalBytesPreAuth;
  }

  private advance(chunk: Buffer, n: number): void {
    this.qpos += n;
    if (this.qpos === chunk.length) {
      this.queue.shift();
      this.qpos = 0;
    }
  }

  /** A complete line (CRLF removed), null if incomplete, or an error event for an over-long line. */
  private readLine(): Buffer | ErrorEvent | null {
    const limit = this.lineLimit();
    for (;;) {
      const chunk = this.queue[0];
      if (chunk === undefined) return null;
      const start = this.qpos;
      const lf = chunk.indexOf(0x0a, start);
      const pieceEnd = lf === -1 ? chunk.length : lf;
      if (this.lineLen + (pieceEnd - start) > limit + 1) return this.lineOverflow();
      if (lf === -1) {
        this.lineParts.push(chunk.subarray(start));
        this.lineLen += chunk.length - start;
        this.advance(chunk, chunk.length - start);
        continue;
      }
      let line: Buffer;
      if (this.lineParts.length === 0) line = chunk.subarray(start, lf);
      else {
        this.lineParts.push(chunk.subarray(start, lf));
        line = Buffer.concat(this.lineParts, this.lineLen + lf - start);
        this.lineParts = [];
        this.lineLen = 0;
      }
      this.advance(chunk, lf + 1 - start);
      const len = line.length > 0 && line[line.length - 1] === 0x0d ? line.length - 1 : line.length;
      if (len > limit) {
        this.keepTail(line, 0, line.length);
        return this.overflowEvent(line);
      }
      return len === line.length ? line : line.subarray(0, len);
    }
  }

  /** The line exceeds the limit before its end arrived: report it, then discard up to its LF. */
  private lineOverflow(): ErrorEvent {
    this.tailLen = 0;
    for (const p of this.lineParts) this.keepTail(p, 0, p.length);
    const first = this.lineParts[0] ?? this.queue[0]!.subarray(this.qpos);
    this.lineParts = [];
    this.lineLen = 0;
    this.state = 'skipLine';
    return this.overflowError(first);
  }

  /** A complete over-long line: decide from its end whether literal bytes follow. */
  private overflowEvent(line: Buffer): ErrorEvent {
    const ev = this.overflowError(line);
    const after = this.endSkippedLine();
    return after ?? ev;
  }

  private overflowError(start: Buffer): ErrorEvent {
    const tag = this.lines.length > 0 ? (this.head?.tag ?? null) : this.mode === 'command' ? scanHead(start).tag : null;
    if (this.lines.length === 0 && this.mode === 'command') this.head = scanHead(start);
    if (this.mode !== 'command') this.mode = 'command';
    return errorEvent(tag, 'Line too long');
  }

  private onLine(line: Buffer): ParseEvent | null {
    if (this.mode !== 'command') return this.onModeLine(line);
    const first = this.lines.length === 0;
    if (first && line.length === 0) return errorEvent(null, 'Empty command line');
    this.cmdBytes += line.length + 2;
    const marker = findLiteralMarker(line, line.length);
    if (marker === null) {
      this.lines.push(line);
      const input = { lines: this.lines, literals: this.literals, binary: this.binary };
      this.resetCommand();
      const out = parseCommand(input, { utf8: this.utf8, maxDepth: LIMITS.imap.nestingDepth });
      return out.ok ? { type: 'command', command: out.command } : this.grammarError(out.tag, out.error);
    }
    if (first) this.head = scanHead(line);
    const head = this.head!;
    this.lines.push(line.subarray(0, marker.pos));
    if (head.tag === null || !head.known) {
      return this.abortCommand(marker, errorEvent(head.tag, head.name === null ? 'Invalid command' : `Unknown command ${head.name}`));
    }
    const refusal = this.literalRefusal(marker);
    if (refusal !== null) return this.abortCommand(marker, refusal);
    this.pending = {
      type: 'needLiteral',
      tag: head.tag,
      command: head.name!,
      size: marker.size,
      nonSync: marker.nonSync,
      binary: marker.binary,
    };
    this.state = 'decide';
    return this.pending;
  }

  private grammarError(tag: string | null, e: WireError): ErrorEvent {
    return errorEvent(tag, e.message, false, e.status, e.code);
  }

  /** Why a literal cannot be taken (LIMITS), or null. */
  private literalRefusal(m: LiteralMarker): ErrorEvent | null {
    const tag = this.head?.tag ?? null;
    const name = this.head?.name ?? '';
    const appendLike = name === 'APPEND' || name.endsWith('REPLACE');
    if (m.size > this.literalLimit() || this.cmdBytes + m.size > this.commandLimit()) {
      // RFC 7889 / RFC 4469: an APPEND that is too big gets NO [TOOBIG].
      return errorEvent(tag, 'Literal too large', m.nonSync, appendLike && !m.nonSync ? 'NO' : 'BAD', TOOBIG);
    }
    if (this.literals.length >= LIMITS.imap.multiappendMessages + 1) {
      return errorEvent(tag, 'Too many literals in one command', false, 'BAD', { code: 'LIMIT' });
    }
    if (m.nonSync && this.literalMinus && m.size > LITERAL_MINUS_MAX) {
      // RFC 7888 §5: BAD, with TOOBIG for APPEND; the octets still arrive and are skipped.
      return errorEvent(tag, 'Non-synchronizing literal larger than 4096 octets', false, 'BAD', TOOBIG);
    }
    return null;
  }

  /**
   * Drop the command whose current line ended in `marker`. A non-synchronizing literal's bytes are
   * coming anyway: skip them if we could have accepted that much, otherwise the stream is lost.
   */
  private abortCommand(marker: LiteralMarker, ev: ErrorEvent): ErrorEvent {
    const cap = this.literalLimit();
    this.resetCommand();
    if (!marker.nonSync) {
      this.state = 'line';
      return ev;
    }
    if (marker.size <= cap) {
      this.startSkipBytes(marker.size);
      return ev;
    }
    return this.fail({ ...ev, fatal: true });
  }

  private fail(ev: ErrorEvent): ErrorEvent {
    this.state = 'fatal';
    this.fatalEvent = ev;
    this.queue = [];
    this.lineParts = [];
    this.resetCommand();
    return ev;
  }

  private onModeLine(line: Buffer): ParseEvent {
    if (this.mode === 'idle') {
      this.mode = 'command';
      if (line.length === 4 && line.toString('latin1').toUpperCase() === 'DONE') return IDLE_DONE;
      return errorEvent(null, 'Expected DONE');
    }
    const r = parseAuthLine(line);
    if (r.type === 'authResponse') return r;
    this.mode = 'command';
    return r.type === 'authCancel' ? r : errorEvent(null, 'Invalid base64 in AUTHENTICATE response');
  }

  private resetCommand(): void {
    this.lines = [];
    this.literals = [];
    this.binary = [];
    this.cmdBytes = 0;
    this.litParts = [];
  }

  private readLiteral(): boolean {
    while (this.litRemaining > 0) {
      const chunk = this.queue[0];
      if (chunk === undefined) return false;
      const n = Math.min(chunk.length - this.qpos, this.litRemaining);
      this.litParts.push(chunk.subarray(this.qpos, this.qpos + n));
      this.litRemaining -= n;
      this.advance(chunk, n);
    }
    const parts = this.litParts;
    this.literals.push(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    this.binary.push(this.litBinary);
    this.litParts = [];
    this.state = 'line';
    return true;
  }

  private startSkipBytes(n: number): void {
    this.skipRemaining = n;
    this.state = 'skipBytes';
  }

  private skipBytes(): boolean {
    while (this.skipRemaining > 0) {
      const chunk = this.queue[0];
      if (chunk === undefined) return false;
      const n = Math.min(chunk.length - this.qpos, this.skipRemaining);
      this.skipRemaining -= n;
      this.advance(chunk, n);
    }
    this.tailLen = 0;
    this.state = 'skipLine';
    return true;
  }

  /** Discard through the next LF; undefined = need more input, null = done (no event), or a fatal event. */
  private skipLine(): ErrorEvent | null | undefined {
    for (;;) {
      const chunk = this.queue[0];
      if (chunk === undefined) return undefined;
      const start = this.qpos;
      const lf = chunk.indexOf(0x0a, start);
      if (lf === -1) {
        this.keepTail(chunk, start, chunk.length);
        this.advance(chunk, chunk.length - start);
        continue;
      }
      this.keepTail(chunk, start, lf);
      this.advance(chunk, lf + 1 - start);
      return this.endSkippedLine();
    }
  }

  /** At the end of a discarded line: skip a following non-synchronizing literal, or resume. */
  private endSkippedLine(): ErrorEvent | null {
    let len = this.tailLen;
    if (len > 0 && this.tail[len - 1] === 0x0d) len--;
    const m = findLiteralMarker(this.tail, len);
    if (m !== null && m.nonSync) {
      if (m.size <= this.literalLimit()) {
        this.startSkipBytes(m.size);
        return null;
      }
      return this.fail(errorEvent(this.head?.tag ?? null, 'Literal too large', true, 'BAD', TOOBIG));
    }
    if (m === null && len === TAIL_BYTES && truncatedMarker(this.tail, len)) {
      return this.fail(errorEvent(this.head?.tag ?? null, 'Literal too large', true, 'BAD', TOOBIG));
    }
    this.resetCommand();
    this.state = 'line';
    return null;
  }

  /** Keep the last TAIL_BYTES bytes seen of a discarded line. */
  private keepTail(b: Buffer, start: number, end: number): void {
    const n = end - start;
    if (n >= TAIL_BYTES) {
      b.copy(this.tail, 0, end - TAIL_BYTES, end);
      this.tailLen = TAIL_BYTES;
      return;
    }
    const keep = Math.min(this.tailLen, TAIL_BYTES - n);
    this.tail.copy(this.tail, 0, this.tailLen - keep, this.tailLen);
    b.copy(this.tail, keep, start, end);
    this.tailLen = keep + n;
  }
}
