/**
 * Shared pieces of the IMAP end-to-end tests: a raw protocol client (exact bytes, for hostile input
 * and precise ordering checks), a Python imaplib runner, the MimeKit corpus, and store population.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import type { MailStore } from '../../src/store/store.js';
import { MESSAGES_DIR } from '../helpers/corpus.js';
import { connectSocket, upgradeSocket, Wakeup } from '../helpers/sockets.js';

export const CORPUS_DIR = MESSAGES_DIR;

/** The corpus messages, by file name, sorted. */
export function corpus(): Array<{ name: string; raw: Buffer }> {
  return readdirSync(CORPUS_DIR).sort().map((name) => ({ name, raw: readFileSync(join(CORPUS_DIR, name)) }));
}

/** Appends raw messages to an account's mailbox through the store; returns their UIDs. */
export async function populate(store: MailStore, address: string, mailbox: string, raws: readonly Buffer[], flags = 0): Promise<number[]> {
  const account = await store.getAccountByAddress(address);
  if (account === null) throw new Error(`no account ${address}`);
  let mb = await store.findMailbox(account.id, mailbox);
  mb ??= await store.createMailbox(account.id, mailbox);
  const r = await store.append(account.id, mb.id, raws.map((raw) => ({ raw, flags })));
  return r.uids;
}

/** A small message with a subject, for tests that need many distinct ones. */
export function simpleMessage(subject: string, body = 'Hello.\r\n'): Buffer {
  return Buffer.from(
    `From: Tester <tester@example.com>\r\nTo: alice@example.com\r\nSubject: ${subject}\r\n` +
      `Date: Mon, 2 Jan 2023 10:00:00 +0000\r\nMessage-ID: <${subject.replace(/\W/g, '')}.${Math.random().toString(36).slice(2)}@example.com>\r\n\r\n${body}`,
  );
}

export interface Tagged {
  /** The tagged completion line, without the tag. */
  status: string;
  /** Untagged (and continuation) responses received before it, in order. */
  untagged: string[];
}

export interface RawOptions {
  host?: string;
  localAddress?: string;
  tls?: boolean;
}

/**
 * A raw IMAP client that splits the server's output into responses (a response is a line plus any
 * literals it announces, kept as latin1 text so bytes survive).
 */
export class RawImap {
  private socket: Socket;
  private buf: Buffer = Buffer.alloc(0);
  private readonly units: string[] = [];
  private readonly wakeup = new Wakeup();
  private tagN = 0;
  closed = false;
  readonly closedPromise: Promise<void>;
  private closeResolve!: () => void;
  /** Total bytes received. */
  received = 0;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.closedPromise = new Promise((r) => (this.closeResolve = r));
    this.attach(socket);
  }

  static async connect(port: number, opts: RawOptions = {}): Promise<RawImap> {
    return new RawImap(await connectSocket(port, opts));
  }

  private attach(socket: Socket): void {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.closeResolve();
      this.wake();
    });
  }

  private onData(d: Buffer): void {
    this.received += d.length;
    this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
    this.split();
    this.wake();
  }

  private wake(): void {
    this.wakeup.wake();
  }

  private split(): void {
    let start = 0;
    let pos = 0;
    for (;;) {
      const lf = this.buf.indexOf(0x0a, pos);
      if (lf === -1) break;
      const line = this.buf.subarray(pos, lf).toString('latin1');
      const m = /\{(\d+)\}\r?$/.exec(line);
      if (m !== null) {
        const n = Number(m[1]);
        if (lf + 1 + n > this.buf.length) break;
        pos = lf + 1 + n;
        continue;
      }
      this.units.push(this.buf.subarray(start, lf + 1).toString('latin1').replace(/\r?\n$/, ''));
      pos = lf + 1;
      start = pos;
    }
    this.buf = this.buf.subarray(start);
  }

  /** Responses received and not yet read. */
  get queued(): number {
    return this.units.length;
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** The next response, or an error after `timeoutMs` (or when the connection closed). */
  async next(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const u = this.units.shift();
      if (u !== undefined) return u;
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timeout waiting for a response');
      await this.wakeup.wait(left);
    }
  }

  /** Reads responses until one matches; returns those read (the match last). */
  async until(re: RegExp, timeoutMs = 5000): Promise<string[]> {
    const seen: string[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const u = await this.next(Math.max(1, deadline - Date.now()));
      seen.push(u);
      if (re.test(u)) return seen;
    }
  }

  /** Waits this long and returns whatever arrived (for "nothing must arrive" checks). */
  async drainFor(ms: number): Promise<string[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.units.splice(0);
  }

  nextTag(): string {
    return `t${++this.tagN}`;
  }

  /** Sends `tag command` and collects everything up to its tagged completion. */
  async command(text: string, timeoutMs = 10_000): Promise<Tagged> {
    const tag = this.nextTag();
    this.write(`${tag} ${text}\r\n`);
    return this.result(tag, timeoutMs);
  }

  /** Collects responses until the tagged completion of `tag`. */
  async result(tag: string, timeoutMs = 10_000): Promise<Tagged> {
    const seen = await this.until(new RegExp(`^${tag} `), timeoutMs);
    const last = seen.pop()!;
    return { status: last.slice(tag.length + 1), untagged: seen };
  }

  async login(user = 'alice@example.com', password = 'alice-secret'): Promise<void> {
    const r = await this.command(`LOGIN ${user} ${password}`);
    if (!r.status.startsWith('OK')) throw new Error(`login failed: ${r.status}`);
  }

  /** Upgrades this connection to TLS (after the server's OK to STARTTLS). */
  async startTls(): Promise<void> {
    const secure = await upgradeSocket(this.socket);
    this.socket = secure;
    this.attach(secure);
  }

  /** Bytes received but not yet forming a whole response. */
  get partial(): number {
    return this.buf.length;
  }

  /** Bytes written but not yet taken by the kernel (the peer stopped reading). */
  get unsent(): number {
    return this.socket.writableLength;
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Runs a Python 3 script (imaplib) with JSON `args` in the ROOST_ARGS variable; returns its stdout. */
export function runPython(script: string, args: Record<string, unknown>, timeoutMs = 30_000): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn('python3', ['-c', script], {
      env: { ...process.env, ROOST_ARGS: JSON.stringify(args) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) ok(out);
      else fail(new Error(`python exited ${code}:\n${err}\n${out}`));
    });
  });
}

/** Python prelude: imports, args, and a helper printing one JSON line per result. */
export const PY_PRELUDE = `
import imaplib, json, os, ssl, sys, time, base64
A = json.loads(os.environ['ROOST_ARGS'])
def out(**kw):
    print(json.dumps(kw, default=lambda b: b.decode('latin1') if isinstance(b, bytes) else str(b)), flush=True)
def unverified():
    return ssl._create_unverified_context()
`;

/** Parses the JSON lines a Python script printed with out(). */
export function pyLines(stdout: string): Array<Record<string, unknown>> {
  return stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The bytes of the literal that follows `item` (e.g. "BODY[1.MIME]") in a FETCH response, or null. */
export function literalAfter(response: string, item: string): Buffer | null {
  const at = response.indexOf(`${item} {`);
  if (at === -1) return null;
  const m = /^\{(\d+)\}\r?\n/.exec(response.slice(at + item.length + 1));
  if (m === null) return null;
  const start = at + item.length + 1 + m[0].length;
  return Buffer.from(response.slice(start, start + Number(m[1])), 'latin1');
}

/** Decodes quoted-printable (RFC 2045 §6.7) for expected values. */
export function decodeQp(b: Buffer): Buffer {
  const s = b.toString('latin1').replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const hex = s.slice(i + 1, i + 3);
    if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else out.push(s.charCodeAt(i));
  }
  return Buffer.from(out);
}

/** Where the header ends in raw message bytes (just after the blank line). */
export function headerEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return crlf + 4;
  return lf === -1 ? raw.length : lf + 2;
}
