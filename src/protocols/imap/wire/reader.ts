/**
 * Token reader over one framed command: the command's line pieces with its literals between
 * them. Grammar modules (fetch.ts, search.ts, ...) read tokens with it; every method either
 * consumes exactly its production or throws a WireError (reported as BAD/NO by the parser).
 * Works on bytes; allocates only for the values it returns.
 */
import { LIMITS } from '../../../shared/limits.js';
import { decodeMutf7 } from './mutf7.js';
import { parseSequenceSet, type SequenceSet } from './sequence-set.js';
import { parseDateTime } from './datetime.js';
import type { ResponseCode } from './responses.js';
import type { DateTime } from './types.js';

/** A syntax or limit error in a command; `status`/`code` say how to answer it. */
export class WireError extends Error {
  readonly status: 'BAD' | 'NO';
  readonly code: ResponseCode | null;
  /** The command was a SEARCH with RETURN (SAVE) failing with NO: "$" must become empty (RFC 9051 §6.4.4.1). */
  readonly resetsSearchResult: boolean;
  constructor(message: string, status: 'BAD' | 'NO' = 'BAD', code: ResponseCode | null = null, resetsSearchResult = false) {
    super(message);
    this.status = status;
    this.code = code;
    this.resetsSearchResult = resetsSearchResult;
  }
}

/** One command as framed by the parser: n+1 line pieces (no CRLF, no literal marker) around n literals. */
export interface FramedCommand {
  readonly lines: readonly Buffer[];
  readonly literals: readonly Buffer[];
  /** binary[i]: literal i was a literal8 (~{n}). */
  readonly binary: readonly boolean[];
}

export interface GrammarOptions {
  /** UTF8=ACCEPT or IMAP4rev2 enabled: UTF-8 in quoted strings, mailbox names not modified UTF-7. */
  readonly utf8: boolean;
  /** Maximum nesting of parentheses and search keys. */
  readonly maxDepth: number;
}

// Byte classes (RFC 9051 §9).
const ATOM = 1; // ATOM-CHAR
const ASTRING = 2; // ASTRING-CHAR = ATOM-CHAR / "]"
const TAG = 4; // ASTRING-CHAR except "+"
const LIST = 8; // list-char = ATOM-CHAR / "%" / "*" / "]"
const LABEL = 16; // tagged-label-char = ALPHA / DIGIT / "-" / "_" / "." / ":"
const SEQ = 32; // characters of a sequence-set
const DIGIT = 64;
const CLASS = new Uint8Array(256);
for (let c = 0x21; c < 0x7f; c++) {
  if ('(){%*"\\]'.includes(String.fromCharCode(c))) continue;
  CLASS[c] = ATOM | ASTRING | TAG | LIST;
}
CLASS[0x2b] = CLASS[0x2b]! & ~TAG; // "+"
CLASS[0x5d] = ASTRING | TAG | LIST; // "]"
CLASS[0x25] = LIST; // "%"
CLASS[0x2a] = LIST; // "*"
for (const ch of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:') CLASS[ch.charCodeAt(0)]! |= LABEL;
for (const ch of '0123456789:,*$') CLASS[ch.charCodeAt(0)]! |= SEQ;
for (const ch of '0123456789') CLASS[ch.charCodeAt(0)]! |= DIGIT;

export const EOL = -1;
export const LIT = -2;

const MAX_UINT32 = 0xffffffff;
const MAX_INT63 = (1n << 63n) - 1n;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const SYSTEM_FLAGS = new Map<string, string>(
  ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft', '\\Recent'].map((f) => [f.toUpperCase(), f]),
);

/** Canonical case for system flags ("\seen" -> "\Seen"); other flags unchanged. */
export function canonicalFlag(flag: string): string {
  return flag.charCodeAt(0) === 0x5c ? (SYSTEM_FLAGS.get(flag.toUpperCase()) ?? flag) : flag;
}

/** Strict UTF-8 decode; throws WireError on NUL or invalid UTF-8. */
export function decodeUtf8(b: Buffer): string {
  let ascii = true;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0) throw new WireError('NUL in string');
    if (c >= 0x80) ascii = false;
  }
  if (ascii) return latin1(b, 0, b.length);
  try {
    return utf8Decoder.decode(b);
  } catch {
    throw new WireError('Invalid UTF-8 in string');
  }
}

/** Bytes to a string, one char per byte. Short tokens are built in JS: cheaper than a native slice call. */
function latin1(b: Buffer, start: number, end: number): string {
  if (end - start > 24) return b.toString('latin1', start, end);
  let out = '';
  for (let i = start; i < end; i++) out += String.fromCharCode(b[i]!);
  return out;
}

function isAscii(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) return false;
  return true;
}

export class Reader {
  private li = 0;
  private buf: Buffer;
  private pos = 0;
  private end: number;
  private depth = 0;

  constructor(
    private readonly cmd: FramedCommand,
    readonly opts: GrammarOptions,
  ) {
    this.buf = cmd.lines[0] ?? Buffer.alloc(0);
    this.end = this.buf.length;
  }

  /** The next byte, LIT at a literal, EOL at the end of the command. */
  peek(): number {
    if (this.pos < this.end) return this.buf[this.pos]!;
    return this.li < this.cmd.literals.length ? LIT : EOL;
  }

  fail(message: string): never {
    throw new WireError(message);
  }

  eat(c: number): boolean {
    if (this.pos < this.end && this.buf[this.pos] === c) {
      this.pos++;
      return true;
    }
    return false;
  }

  expect(c: number, what: string): void {
    if (!this.eat(c)) this.fail(`Expected ${what}`);
  }

  sp(): void {
    if (!this.eat(0x20)) this.fail('Expected SP');
  }

  atEnd(): boolean {
    return this.peek() === EOL;
  }

  /** A position in the current line piece, for one-token lookahead. */
  save(): number {
    return this.pos;
  }

  restore(pos: number): void {
    this.pos = pos;
  }

  /** Require the end of the command. */
  finish(): void {
    if (!this.atEnd()) this.fail('Unexpected extra arguments');
  }

  /** Enter a nesting level (parenthesis or recursive search key); bounded by LIMITS. */
  enter(): void {
    if (++this.depth > this.opts.maxDepth) this.fail('Too deeply nested');
  }

  leave(): void {
    this.depth--;
  }

  /** "(" with nesting accounting. */
  open(): void {
    this.expect(0x28, '"("');
    this.enter();
  }

  close(): void {
    this.expect(0x29, '")"');
    this.leave();
  }

  private run(cls: number): number {
    const start = this.pos;
    while (this.pos < this.end && (CLASS[this.buf[this.pos]!]! & cls) !== 0) this.pos++;
    return start;
  }

  private token(cls: number, what: string): string {
    const start = this.run(cls);
    if (start === this.pos) this.fail(`Expected ${what}`);
    return latin1(this.buf, start, this.pos);
  }

  tag(): string {
    return this.token(TAG, 'tag');
  }

  atom(): string {
    return this.token(ATOM, 'atom');
  }

  /** An atom, upper-cased: command names, keywords. */
  keyword(): string {
    return this.token(ATOM, 'keyword').toUpperCase();
  }

  /** A tagged-ext-label style name, upper-cased (stops at "[", "<", "(" ...): FETCH item names. */
  label(): string {
    return this.token(LABEL, 'name').toUpperCase();
  }

  /** 1*DIGIT as a 32-bit unsigned number. */
  number(): number {
    const start = this.run(DIGIT);
    if (start === this.pos) this.fail('Expected number');
    if (this.pos - start > 10) this.fail('Number too large');
    let v = 0;
    for (let i = start; i < this.pos; i++) v = v * 10 + this.buf[i]! - 0x30;
    if (v > MAX_UINT32) this.fail('Number too large');
    return v;
  }

  nzNumber(): number {
    const v = this.number();
    if (v === 0) this.fail('Expected non-zero number');
    return v;
  }

  /** A 63-bit number as bigint (RFC 7162 mod-sequence-value, RFC 9051 number64). */
  bigNumber(): bigint {
    const start = this.run(DIGIT);
    if (start === this.pos) this.fail('Expected number');
    if (this.pos - start > 19) this.fail('Number too large');
    const v = BigInt(this.buf.toString('latin1', start, this.pos));
    if (v > MAX_INT63) this.fail('Number too large');
    return v;
  }

  /** number64 as a JS number; values beyond 2^53 are clamped (no message or offset is that large). */
  number64(): number {
    const v = this.bigNumber();
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
  }

  /** True when the next byte starts a sequence set (digit, "*" or "$"). */
  atSequenceSet(): boolean {
    const c = this.peek();
    return (c >= 0x30 && c <= 0x39) || c === 0x2a || c === 0x24;
  }

  sequenceSet(): SequenceSet {
    const text = this.token(SEQ, 'sequence set');
    const set = parseSequenceSet(text);
    if (set === null) this.fail('Invalid sequence set');
    return set;
  }

  /** A literal; literal8 only when `binaryOk`. */
  literal(binaryOk = false): { data: Buffer; binary: boolean } {
    if (this.peek() !== LIT) this.fail('Expected literal');
    const data = this.cmd.literals[this.li]!;
    const binary = this.cmd.binary[this.li]!;
    if (binary && !binaryOk) this.fail('literal8 not allowed here');
    this.li++;
    this.buf = this.cmd.lines[this.li]!;
    this.pos = 0;
    this.end = this.buf.length;
    return { data, binary };
  }

  /** quoted: the unescaped content bytes (RFC 9051 §4.3; 8-bit only with UTF8=ACCEPT, RFC 6855 §3). */
  quoted(): Buffer {
    this.expect(0x22, 'quoted string');
    const buf = this.buf;
    const start = this.pos;
    let i = start;
    let escapes = 0;
    let high = false;
    for (;;) {
      if (i >= this.end) this.fail('Unterminated quoted string');
      const c = buf[i]!;
      if (c === 0x22) break;
      if (c === 0x5c) {
        const d = i + 1 < this.end ? buf[i + 1] : -1;
        if (d !== 0x22 && d !== 0x5c) this.fail('Invalid escape in quoted string');
        escapes++;
        i += 2;
        continue;
      }
      if (c === 0 || c === 0x0d || c === 0x0a) this.fail('Invalid character in quoted string');
      if (c >= 0x80) high = true;
      i++;
    }
    if (high && !this.opts.utf8) this.fail('8-bit characters in quoted strings require UTF8=ACCEPT');
    this.pos = i + 1;
    if (escapes === 0) return buf.subarray(start, i);
    const out = Buffer.allocUnsafe(i - start - escapes);
    let o = 0;
    for (let j = start; j < i; j++) {
      if (buf[j] === 0x5c) j++;
      out[o++] = buf[j]!;
    }
    return out;
  }

  /** string = quoted / literal, as bytes. */
  stringBytes(): Buffer {
    const c = this.peek();
    if (c === 0x22) return this.quoted();
    if (c === LIT) return this.literal().data;
    return this.fail('Expected string');
  }

  /** astring as bytes. */
  astringBytes(): Buffer {
    const c = this.peek();
    if (c === 0x22 || c === LIT) return this.stringBytes();
    const start = this.run(ASTRING);
    if (start === this.pos) this.fail('Expected string or atom');
    return this.buf.subarray(start, this.pos);
  }

  astring(): string {
    const c = this.peek();
    if (c === 0x22 || c === LIT) return decodeUtf8(this.stringBytes());
    return this.token(ASTRING, 'string or atom');
  }

  string(): string {
    return decodeUtf8(this.stringBytes());
  }

  /** nstring = string / NIL. */
  nstring(): string | null {
    const c = this.peek();
    if (c === 0x22 || c === LIT) return this.string();
    if (this.keyword() !== 'NIL') this.fail('Expected string or NIL');
    return null;
  }

  /** mailbox = "INBOX" / astring, decoded to the Unicode name. */
  mailbox(): string {
    return this.decodeMailbox(this.astringBytes(), false);
  }

  /** list-mailbox = 1*list-char / string (a LIST pattern with % and *). */
  listMailbox(): string {
    const c = this.peek();
    if (c === 0x22 || c === LIT) return this.decodeMailbox(this.stringBytes(), true);
    const start = this.run(LIST);
    if (start === this.pos) this.fail('Expected mailbox pattern');
    return this.decodeMailbox(this.buf.subarray(start, this.pos), true);
  }

  /**
   * A mailbox name or LIST pattern in the client's encoding, as Unicode. Text that is not valid modified
   * UTF-7 is well-formed syntax naming nothing that can exist: a name gets NO [CANNOT] (not BAD: the
   * command is valid, the name is not one we can have), a pattern is taken literally and simply
   * matches no encoded name.
   */
  private decodeMailbox(raw: Buffer, pattern: boolean): string {
    if (raw.length > LIMITS.imap.mailboxNameBytes) this.fail('Mailbox name too long');
    let name: string;
    if (isAscii(raw)) {
      const text = decodeUtf8(raw);
      if (this.opts.utf8) name = text;
      else {
        const decoded = decodeMutf7(text);
        if (decoded === null && !pattern) {
          throw new WireError('Mailbox name is not valid modified UTF-7 (RFC 3501 §5.1.3)', 'NO', { code: 'CANNOT' });
        }
        name = decoded ?? text;
      }
    } else {
      // 8-bit names are UTF-8 (RFC 6855 §3); accepted from literals even before ENABLE.
      // RFC 9051 §5.1: denormalised names are converted to NFC, in every command alike.
      name = decodeUtf8(raw).normalize('NFC');
    }
    // RFC 9051 §5.1: INBOX is case-insensitive.
    if (name.length === 5 && name.toUpperCase() === 'INBOX') return 'INBOX';
    return name;
  }

  /** flag = "\" atom / atom (keyword). */
  flag(): string {
    if (this.eat(0x5c)) return canonicalFlag('\\' + this.atom());
    return this.atom();
  }

  /** flag-list = "(" [flag *(SP flag)] ")" */
  flagList(): string[] {
    this.open();
    const flags: string[] = [];
    if (!this.eat(0x29)) {
      for (;;) {
        flags.push(this.flag());
        if (this.eat(0x29)) break;
        this.sp();
      }
    }
    this.leave();
    return flags;
  }

  /** date-time as a quoted string (RFC 9051 §9). */
  dateTime(): DateTime {
    if (this.peek() !== 0x22) this.fail('Expected date-time');
    const d = parseDateTime(this.quoted().toString('latin1'));
    if (d === null) this.fail('Invalid date-time');
    return d;
  }
}
