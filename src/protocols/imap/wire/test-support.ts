/**
 * Test helpers for the wire tests: a small session simulation that drives an ImapParser.
 */
import { ImapParser, type ParseEvent, type ParserOptions } from './parser.js';
import type { Command } from './types.js';

export type Decision = 'accept' | 'reject';

export interface DriveOptions extends ParserOptions {
  /** What to do with each needLiteral; default accept. */
  literal?: (ev: Extract<ParseEvent, { type: 'needLiteral' }>) => Decision;
}

/**
 * Feed `chunks` one by one and collect every event except needMore, acting like a session:
 * literals are decided by `literal`, IDLE switches to idle mode, AUTHENTICATE without an initial
 * response to authenticate mode, and one auth response ends the exchange. Stops at a fatal error.
 */
export function drive(chunks: readonly Buffer[], options: DriveOptions = {}): ParseEvent[] {
  const p = new ImapParser(options);
  const decide = options.literal ?? ((): Decision => 'accept');
  const out: ParseEvent[] = [];
  let dead = false;
  const pull = (): void => {
    for (;;) {
      const ev = p.next();
      if (ev.type === 'needMore') return;
      out.push(ev);
      if (ev.type === 'error' && ev.fatal) {
        dead = true;
        return;
      }
      if (ev.type === 'needLiteral') {
        if (decide(ev) === 'accept') p.acceptLiteral();
        else p.rejectLiteral();
      } else if (ev.type === 'command') {
        if (ev.command.kind === 'IDLE') p.setMode('idle');
        if (ev.command.kind === 'AUTHENTICATE' && ev.command.initialResponse === null) p.setMode('authenticate');
      } else if (ev.type === 'authResponse') p.setMode('command');
    }
  };
  for (const c of chunks) {
    if (dead) break;
    p.feed(c);
    pull();
  }
  return out;
}

/** Split `input` into chunks of `size` bytes. */
export function chunked(input: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < input.length; i += size) out.push(input.subarray(i, i + size));
  return out;
}

/** Parse one command text (the final CRLF is added); throws unless exactly one command results. */
export function parseOne(text: string | Buffer, options: ParserOptions = { authenticated: true }): Command {
  const buf = Buffer.concat([typeof text === 'string' ? Buffer.from(text, 'utf8') : text, Buffer.from('\r\n')]);
  const events = drive([buf], options);
  const commands = events.filter((e) => e.type === 'command');
  if (events.length - events.filter((e) => e.type === 'needLiteral').length !== 1 || commands.length !== 1) {
    throw new Error(`expected one command, got ${JSON.stringify(events, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);
  }
  return commands[0]!.command;
}

/** The single error event produced by `text`, for error-case tables. */
export function parseError(text: string | Buffer, options: ParserOptions = { authenticated: true }): Extract<ParseEvent, { type: 'error' }> {
  const buf = Buffer.concat([typeof text === 'string' ? Buffer.from(text, 'utf8') : text, Buffer.from('\r\n')]);
  const events = drive([buf], options).filter((e) => e.type !== 'needLiteral');
  const e = events[0];
  if (events.length !== 1 || e === undefined || e.type !== 'error') {
    throw new Error(`expected one error, got ${JSON.stringify(events, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);
  }
  return e;
}
