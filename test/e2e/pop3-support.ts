/**
 * Shared pieces of the POP3 end-to-end tests: a raw POP3 client (exact bytes, for hostile input and
 * exact RETR checks), dot-unstuffing (RFC 1939 §3), IMAP helpers (imapflow) to put messages in the
 * INBOX and look at it afterwards, the per-account POP settings through the CLI, and awkward messages.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { MESSAGES_DIR } from '../helpers/corpus.js';
import { connectSocket, upgradeSocket, Wakeup } from '../helpers/sockets.js';
import { runCli, type TestServer } from '../helpers/server.js';

export interface RawPopOptions {
  tls?: boolean;
  localAddress?: string;
}

/** The RFC 1939 §3 multi-line terminator, alone on a line. */
const TERMINATOR = '.\r\n';

/**
 * A raw POP3 client: reads the server's output as LF-terminated lines (kept with their line ends, as
 * latin1 text so every byte survives), and multi-line bodies up to the "." line.
 */
export class RawPop {
  private socket: Socket;
  private buf: Buffer = Buffer.alloc(0);
  private readonly wakeup = new Wakeup();
  closed = false;
  readonly closedPromise: Promise<void>;
  private closeResolve!: () => void;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.closedPromise = new Promise((r) => (this.closeResolve = r));
    this.attach(socket);
  }

  static async connect(port: number, opts: RawPopOptions = {}): Promise<RawPop> {
    return new RawPop(await connectSocket(port, opts));
  }

  /** Connects and reads the greeting; returns the client and the greeting line (without CRLF). */
  static async greeted(port: number, opts: RawPopOptions = {}): Promise<{ c: RawPop; greeting: string }> {
    const c = await RawPop.connect(port, opts);
    const greeting = await c.line();
    return { c, greeting };
  }

  private attach(socket: Socket): void {
    socket.on('data', (d: Buffer) => {
      this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.closeResolve();
      this.wake();
    });
  }

  private wake(): void {
    this.wakeup.wake();
  }

  private async waitData(deadline: number): Promise<void> {
    if (this.closed) throw new Error('connection closed');
    const left = deadline - Date.now();
    if (left <= 0) throw new Error('timeout waiting for the server');
    await this.wakeup.wait(left);
  }

  /** The next line with its line end, as latin1. */
  async rawLine(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lf = this.buf.indexOf(0x0a);
      if (lf >= 0) {
        const line = this.buf.subarray(0, lf + 1).toString('latin1');
        this.buf = this.buf.subarray(lf + 1);
        return line;
      }
      await this.waitData(deadline);
    }
  }

  /** The next line without its CRLF. */
  async line(timeoutMs = 10_000): Promise<string> {
    return (await this.rawLine(timeoutMs)).replace(/\r?\n$/, '');
  }

  /** The lines of a multi-line body up to (not including) the "." line, still stuffed, with line ends. */
  async rawBody(timeoutMs = 10_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    const lines: string[] = [];
    for (;;) {
      const l = await this.rawLine(Math.max(1, deadline - Date.now()));
      if (l === TERMINATOR) return lines;
      lines.push(l);
    }
  }

  /** A multi-line body's lines, unstuffed, without line ends. */
  async body(timeoutMs = 10_000): Promise<string[]> {
    return (await this.rawBody(timeoutMs)).map((l) => unstuffLine(l).replace(/\r?\n$/, ''));
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Sends one command and returns its status line. */
  async cmd(text: string, timeoutMs = 10_000): Promise<string> {
    this.write(`${text}\r\n`);
    return this.line(timeoutMs);
  }

  /** Sends a command whose +OK is followed by a multi-line body; -ERR comes alone. */
  async multi(text: string, timeoutMs = 10_000): Promise<{ status: string; lines: string[] }> {
    const status = await this.cmd(text, timeoutMs);
    return { status, lines: status.startsWith('+OK') ? await this.body(timeoutMs) : [] };
  }

  /** RETR n (or TOP n k): the status line and the message bytes exactly, unstuffed. */
  async retr(n: number | string, top?: number): Promise<{ status: string; data: Buffer }> {
    const status = await this.cmd(top === undefined ? `RETR ${n}` : `TOP ${n} ${top}`);
    if (!status.startsWith('+OK')) return { status, data: Buffer.alloc(0) };
    const lines = await this.rawBody(30_000);
    return { status, data: Buffer.from(lines.map(unstuffLine).join(''), 'latin1') };
  }

  async login(user: string, password: string): Promise<string> {
    const u = await this.cmd(`USER ${user}`);
    if (!u.startsWith('+OK')) return u;
    return this.cmd(`PASS ${password}`, 30_000);
  }

  /** Upgrades this connection to TLS (after the server's +OK to STLS). */
  async startTls(): Promise<void> {
    const secure = await upgradeSocket(this.socket);
    this.socket = secure;
    this.attach(secure);
  }

  /** Whatever arrives within `ms` (for "nothing more must arrive" checks). */
  async drainFor(ms: number): Promise<string> {
    await new Promise((r) => setTimeout(r, ms));
    const s = this.buf.toString('latin1');
    this.buf = Buffer.alloc(0);
    return s;
  }

  /** Drops the connection without QUIT. */
  destroy(): void {
    this.socket.destroy();
  }
}

/** RFC 1939 §3: a line of a multi-line response that starts with "." had one more prepended. */
export function unstuffLine(line: string): string {
  return line.startsWith('.') ? line.slice(1) : line;
}

/**
 * What RETR must deliver for stored bytes: exactly those bytes, plus a CRLF when they do not end in a
 * line break (the terminator has to start a line, RFC 1939 §3).
 */
export function expectedRetr(raw: Buffer): Buffer {
  return raw.length > 0 && raw[raw.length - 1] !== 0x0a ? Buffer.concat([raw, Buffer.from('\r\n')]) : raw;
}

/** A message's unique id as Roost forms it: INBOX UIDVALIDITY and UID, 8 hex digits each. */
export function uniqueId(uidValidity: number | bigint, uid: number): string {
  return Number(uidValidity).toString(16).padStart(8, '0') + uid.toString(16).padStart(8, '0');
}

// ---- messages ----

export function corpusMessage(name: string): Buffer {
  return readFileSync(join(MESSAGES_DIR, name));
}

/**
 * Corpus messages that are awkward on the wire: all have bare LF line ends; body.1 and bounce do not
 * end in a line break; japanese and feedback-report carry 8-bit bytes; stack-overflow is large.
 */
export const CORPUS_PICKS = ['body.1.txt', 'bounce.txt', 'feedback-report.txt', 'japanese.txt', 'stack-overflow.txt', 'simple-multipart.eml'];

/**
 * Crafted messages for byte-stuffing (the corpus has no line starting with "."): a line that is only
 * ".", lines starting with "." and "..", a dot line after a bare LF, mixed line ends, and one that ends
 * in "." with no line break at all.
 */
export function dottedMessages(tag: string): Buffer[] {
  const head = (n: number): string => `From: dots@example.com\r\nTo: pop@example.com\r\nSubject: ${tag} dots ${n}\r\nMessage-ID: <${tag}.${n}@example.com>\r\n\r\n`;
  return [
    Buffer.from(`${head(1)}first\r\n.\r\n..\r\n...leading dots\r\n. space\r\nlast\r\n`),
    Buffer.from(`${head(2)}bare lf next\n.\nafter dot\r\n.hidden\n\nend\n`),
    Buffer.from(`${head(3)}ends without a line break\r\n.`),
    Buffer.from(`${head(4)}\r\n\r\n.\r\n\r\n`),
  ];
}

/** A small message with a subject. */
export function simpleMessage(subject: string, body = 'Hello over POP.\r\n'): Buffer {
  return Buffer.from(
    `From: Tester <tester@example.com>\r\nTo: pop@example.com\r\nSubject: ${subject}\r\n` +
      `Date: Mon, 2 Jan 2023 10:00:00 +0000\r\nMessage-ID: <${subject.replace(/\W/g, '')}.${Math.random().toString(36).slice(2)}@example.com>\r\n\r\n${body}`,
  );
}

// ---- IMAP side ----

export function imapClient(port: number, user: { address: string; password: string }): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    auth: { user: user.address, pass: user.password },
    tls: { rejectUnauthorized: false },
    logger: false,
    disableAutoIdle: true,
  });
}

/** Appends messages to a mailbox over IMAP; returns the UIDVALIDITY and the UIDs they got. */
export async function appendOverImap(port: number, user: { address: string; password: string }, messages: readonly Buffer[], mailbox = 'INBOX'): Promise<{ uidValidity: number; uids: number[] }> {
  const client = imapClient(port, user);
  await client.connect();
  try {
    const uids: number[] = [];
    let uidValidity = 0;
    for (const m of messages) {
      const r = await client.append(mailbox, m);
      if (r === false || r.uid === undefined) throw new Error('APPEND gave no UID');
      uids.push(r.uid);
      uidValidity = Number(r.uidValidity);
    }
    return { uidValidity, uids };
  } finally {
    await client.logout();
  }
}

export interface ImapMessage {
  uid: number;
  flags: string[];
  subject: string;
}

/** Every message of a mailbox (UID, flags, subject), looked at over IMAP. */
export async function imapList(port: number, user: { address: string; password: string }, mailbox = 'INBOX'): Promise<ImapMessage[]> {
  const client = imapClient(port, user);
  await client.connect();
  try {
    const lock = await client.getMailboxLock(mailbox);
    try {
      const out: ImapMessage[] = [];
      const box = client.mailbox;
      if (box === false || box.exists === 0) return out;
      for await (const m of client.fetch('1:*', { uid: true, flags: true, envelope: true })) {
        out.push({ uid: m.uid, flags: [...(m.flags ?? [])].sort(), subject: m.envelope?.subject ?? '' });
      }
      return out;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

/** `roost user pop ADDRESS …` against the server's config (the server sees it at the next login). */
export async function setPop(srv: TestServer, address: string, args: readonly string[]): Promise<string> {
  const r = await runCli(['--config', srv.configPath, 'user', 'pop', address, ...args]);
  if (r.code !== 0) throw new Error(`roost user pop failed (${r.code}): ${r.stderr}`);
  return r.stdout.trim();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
