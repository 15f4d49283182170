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
 *
 * A session's loop (nothing is parsed before next() is called, so mode and limit changes made
 * after an event apply to the very next bytes, even pipelined ones):
 *
 *   parser.feed(chunk);
 *   for (let ev = parser.next(); ev.type !== 'needMore'; ev = parser.next()) {
 *     switch (ev.type) {
 *       case 'needLiteral':   // sync: "+ Ready" then acceptLiteral(), or "tag NO ..." then rejectLiteral()
 *       case 'command':       // run it; IDLE: send "+ idling", setMode('idle'); AUTHENTICATE: setMode('authenticate')
 *       case 'authResponse':  // next SASL step; setMode('command') when the exchange ends
 *       case 'authCancel':    // "tag BAD" for the AUTHENTICATE
 *       case 'idleDone':      // "tag OK" for the IDLE
 *       case 'error':         // "tag|* BAD/NO [code] message"; fatal: "* BYE" and close
 *     }
 *   }
 */
import { LIMITS } from '../../../shared/limits.js';
import { parseAuthLine } from './auth.js';
import { parseCommand } from './commands.js';
import { findLiteralMarker, scanHead, truncatedMarker, type CommandHead, type LiteralMarker } from './framing.js';
import { InputQueue } from './input.js';
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
      /**
       * A SEARCH RETURN (SAVE) refused with NO before it could run (e.g. BADCHARSET): the session
       * empties its saved result, as RFC 9051 §6.4.4.1 requires of a failed SAVE.
       */
      readonly resetsSearchResult?: boolean;
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

type State = 'line' | 'decide' | 'literal' | 'skipBytes' | 'skipLine' | 'fatal';

function errorEvent(tag: string | null, message: string, fatal = false, status: 'BAD' | 'NO' = 'BAD', code: ResponseCode | null = null): ErrorEvent {
  return { type: 'error', tag, status, code, message, fatal };
}

function isAppendLike(name: string | null | undefined): boolean {
  return name === 'APPEND' || name === 'REPLACE' || name === 'UID REPLACE';
}

export class ImapParser {
  private mode: ParserMode = 'command';
  private authenticated: boolean;
  private utf8: boolean;
  private literalMinus: boolean;
  private state: State = 'line';
  private input = new InputQueue();
  // The command being framed: line pieces (without CRLF and literal marker) around literals.
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
  private fatalEvent: ErrorEvent | null = null;

  constructor(options: ParserOptions = {}) {
    this.authenticated = options.authenticated ?? false;
    this.utf8 = options.utf8 ?? false;
    this.literalMinus = options.nonSyncLiterals === 'LITERAL-';
  }

  /** Append received bytes. The parser keeps views of the chunk: do not modify it afterwards. */
  feed(chunk: Buffer): void {
    if (this.state !== 'fatal') this.input.push(chunk);
  }

  /** Switch between post- and pre-login limits (after LOGIN/AUTHENTICATE, or UNAUTHENTICATE). */
  setAuthenticated(value: boolean): void {
    this.authenticated = value;
  }

  /** After ENABLE UTF8=ACCEPT / IMAP4rev2. */
  setUtf8(value: boolean): void {
    this.utf8 = value;
  }

  /** How the next line is read: 'authenticate' after sending AUTHENTICATE's "+", 'idle' after IDLE's "+". */
  setMode(mode: ParserMode): void {
    this.mode = mode;
  }

  getMode(): ParserMode {
    return this.mode;
  }

  /** Bytes received and not yet consumed. */
  get bufferedBytes(): number {
    return this.input.size;
  }

  /**
   * Remove and return every byte not yet consumed, at a command boundary: after STARTTLS (discard
   * them: RFC 9051 §6.2.1 forbids acting on pipelined plaintext) or COMPRESS (inflate them).
   */
  takeBuffered(): Buffer {
    return this.input.takeAll();
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
          this.skipRemaining -= this.input.skipBytes(this.skipRemaining);
          if (this.skipRemaining > 0) return NEED_MORE;
          this.input.resetTail();
          this.state = 'skipLine';
          break;
        case 'skipLine': {
          if (!this.input.skipLine()) return NEED_MORE;
          const ev = this.endSkippedLine();
          if (ev !== null) return ev;
          break;
        }
        case 'line': {
          const line = this.input.readLine(this.lineLimit());
          if (line === null) return NEED_MORE;
          const ev = Buffer.isBuffer(line) ? this.onLine(line) : this.onOverflow(line.head, line.complete);
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
    return isAppendLike(this.head?.name) ? L.appendBytes : L.literalBytes;
  }

  private commandLimit(): number {
    const L = LIMITS.imap;
    return this.authenticated ? L.commandBytes : L.lineBytesPreAuth + 2 * L.literalBytesPreAuth;
  }

  /** A line over the limit: report it (tagged when the tag is readable) and discard the command. */
  private onOverflow(start: Buffer, complete: boolean): ErrorEvent {
    let tag: string | null = null;
    if (this.mode === 'command') {
      if (this.lines.length === 0) this.head = scanHead(start);
      tag = this.head?.tag ?? null;
    }
    this.mode = 'command';
    const ev = errorEvent(tag, 'Line too long');
    if (!complete) {
      this.state = 'skipLine';
      return ev;
    }
    return this.endSkippedLine() ?? ev;
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
      if (out.ok) return { type: 'command', command: out.command };
      const ev = errorEvent(out.tag, out.error.message, false, out.error.status, out.error.code);
      return out.error.resetsSearchResult ? { ...ev, resetsSearchResult: true } : ev;
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

  /** Why a literal cannot be taken (LIMITS), or null. */
  private literalRefusal(m: LiteralMarker): ErrorEvent | null {
    const tag = this.head?.tag ?? null;
    if (m.size > this.literalLimit() || this.cmdBytes + m.size > this.commandLimit()) {
      // RFC 7889 / RFC 4469: an APPEND that is too big gets NO [TOOBIG].
      const status = isAppendLike(this.head?.name) && !m.nonSync ? 'NO' : 'BAD';
      return errorEvent(tag, 'Literal too large', m.nonSync, status, TOOBIG);
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

  /** At the end of a discarded line: skip a following non-synchronizing literal, or resume. */
  private endSkippedLine(): ErrorEvent | null {
    const { buf, len, truncated } = this.input.tail();
    const m = findLiteralMarker(buf, len);
    if ((m !== null && m.nonSync && m.size > this.literalLimit()) || (m === null && truncated && truncatedMarker(buf, len))) {
      return this.fail(errorEvent(this.head?.tag ?? null, 'Literal too large', true, 'BAD', TOOBIG));
    }
    if (m !== null && m.nonSync) {
      this.startSkipBytes(m.size);
      return null;
    }
    this.resetCommand();
    this.state = 'line';
    return null;
  }

  private fail(ev: ErrorEvent): ErrorEvent {
    this.state = 'fatal';
    this.fatalEvent = ev;
    this.input.clear();
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
    this.litRemaining -= this.input.readBytes(this.litRemaining, this.litParts);
    if (this.litRemaining > 0) return false;
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
}
