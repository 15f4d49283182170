/**
 * The reading half of an IMAP session: received bytes through the wire parser into a queue of
 * commands and parse errors, in arrival order, with backpressure. Parsing stops (and the socket is
 * paused, so unread input waits in the kernel) when enough commands wait, and after a command whose
 * following bytes are read differently (BARRIERS) until that command has finished. Sub-modes
 * (AUTHENTICATE responses, IDLE's DONE) are read with readLine().
 */
import { LIMITS } from '../../shared/limits.js';
import type { Connection } from '../common/connection.js';
import { ImapParser, type Command, type ParseEvent } from './wire/index.js';

/** Commands after which we stop reading ahead: what follows them is read differently (TLS, DEFLATE, SASL, DONE). */
const BARRIERS = new Set(['STARTTLS', 'COMPRESS', 'AUTHENTICATE', 'IDLE', 'LOGOUT']);

export type ParseError = Extract<ParseEvent, { type: 'error' }>;
/** What waits to be answered, in arrival order: a command, or a line that did not parse. */
export type QueueItem = { command: Command } | { error: ParseError };

export interface InputHost {
  readonly conn: Connection;
  /** Commands waiting to run. */
  queued(): number;
  enqueue(item: QueueItem): void;
  /** "+ " for a synchronizing literal, sent at once. */
  continueLiteral(): void;
  /** A bug on our side while parsing: drop the connection. */
  fail(err: unknown): void;
}

export class SessionInput {
  readonly parser = new ImapParser({ nonSyncLiterals: 'LITERAL+' });
  private holdParsing = false;
  /** A fatal framing error: the byte stream cannot be followed any more. */
  private lost = false;
  private lineWaiter: ((e: ParseEvent) => void) | null = null;

  constructor(private readonly host: InputHost) {}

  feed(chunk: Buffer): void {
    this.parser.feed(chunk);
    this.pump();
  }

  /** More input may be parsed and run: not closing, and the stream is still in sync. */
  get reading(): boolean {
    return !this.host.conn.isEnding && !this.lost;
  }

  /** A command finished: reading goes on after a barrier. */
  finished(cmd: Command): void {
    if (BARRIERS.has(cmd.kind)) this.holdParsing = false;
  }

  /** The next line in a sub-mode: an AUTHENTICATE response, or IDLE's DONE. */
  readLine(mode: 'authenticate' | 'idle'): Promise<ParseEvent> {
    this.parser.setMode(mode);
    return new Promise((resolve) => {
      this.lineWaiter = resolve;
      this.pump();
    });
  }

  /** The connection closed: whoever waits for a line is told the exchange is over. */
  cancel(): void {
    const w = this.lineWaiter;
    this.lineWaiter = null;
    if (w !== null) w({ type: 'authCancel' });
  }

  /** Pulls parser events while we may: stops at barriers and when too many commands wait. */
  pump(): void {
    const conn = this.host.conn;
    try {
      while (this.reading) {
        if (this.lineWaiter === null && (this.holdParsing || this.host.queued() >= LIMITS.imap.pipelinedCommands)) {
          // Bounded memory: unparsed input stays in the kernel until the queue drains (TCP backpressure).
          conn.pause();
          return;
        }
        const ev = this.parser.next();
        if (ev.type === 'needMore') break;
        this.onEvent(ev);
      }
      // Not reading any more (closing, or the stream is lost): input is dropped as it arrives.
      if (this.reading) conn.resume();
    } catch (err) {
      this.host.fail(err);
    }
  }

  private onEvent(ev: ParseEvent): void {
    switch (ev.type) {
      case 'needMore':
        return;
      case 'needLiteral':
        if (!ev.nonSync) this.host.continueLiteral();
        this.parser.acceptLiteral();
        return;
      case 'command':
        if (BARRIERS.has(ev.command.kind)) this.holdParsing = true;
        this.host.enqueue({ command: ev.command });
        return;
      case 'error':
        this.onParseError(ev);
        return;
      case 'authResponse':
      case 'authCancel':
      case 'idleDone': {
        // The parser stays in 'authenticate' mode after a SASL response; readLine() sets it again for
        // the next step, and the line after the exchange is a command.
        this.parser.setMode('command');
        const w = this.lineWaiter;
        this.lineWaiter = null;
        if (w !== null) w(ev);
        return;
      }
    }
  }

  private onParseError(ev: ParseError): void {
    const w = this.lineWaiter;
    if (w !== null) {
      // An invalid line inside AUTHENTICATE/IDLE ends that exchange.
      this.lineWaiter = null;
      w(ev);
      return;
    }
    // Answered in turn, after the commands before it (responses stay in command order).
    if (ev.fatal) this.lost = true;
    this.host.enqueue({ error: ev });
  }
}
