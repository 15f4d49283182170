/**
 * Helpers of imap-mailboxes.test.ts: the clients (imapflow, a raw socket, Python's imaplib) and store
 * access, for the one in-process server the test file starts and registers with useServer().
 */
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { ImapFlow } from 'imapflow';
import { expect } from 'vitest';
import type { MailStore } from '../../src/store/store.js';
import type { InProcessServer } from '../helpers/server.js';

export const PASSWORD = 'mailbox-secret';
export const addr = (n: string): string => `${n}@example.com`;

let server: InProcessServer | null = null;

export function useServer(s: InProcessServer): void {
  server = s;
}

function running(): InProcessServer {
  if (server === null) throw new Error('no server: call useServer() in beforeAll');
  return server;
}

function imapPort(): number {
  return running().ports.imap!;
}

/** The server's store (to add messages, set quotas, and check what a command did). */
export function store(): MailStore {
  return running().running.store;
}

export async function flow(user: string): Promise<ImapFlow> {
  const c = new ImapFlow({
    host: '127.0.0.1', port: imapPort(), secure: false, disableAutoIdle: true,
    logger: process.env.DBG ? { debug: (o: unknown) => console.log(JSON.stringify(o)), info: () => undefined, warn: (o: unknown) => console.log(JSON.stringify(o)), error: (o: unknown) => console.log(JSON.stringify(o)) } : false,
    auth: { user: addr(user), pass: PASSWORD }, tls: { rejectUnauthorized: false },
  });
  await c.connect();
  return c;
}

/** imapflow's STATUS, which answers false on failure. */
export async function statusOf(c: ImapFlow, path: string, query: Parameters<ImapFlow['status']>[1]) {
  const r = await c.status(path, query);
  if (r === false) throw new Error(`STATUS ${path} failed`);
  return r;
}

export interface Reply {
  /** Tagged completion without the tag, e.g. "OK [MAILBOXID (M7)] CREATE completed". */
  status: string;
  untagged: string[];
}

/** A raw client: one command at a time, responses split into lines (names here never need literals). */
export class Raw {
  private buf = '';
  private tag = 0;
  private wake: (() => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buf += d;
      this.wake?.();
    });
  }

  static async open(user?: string): Promise<Raw> {
    const socket = connect(imapPort(), '127.0.0.1');
    await new Promise<void>((ok, fail) => socket.once('connect', ok).once('error', fail));
    const raw = new Raw(socket);
    await raw.line();
    if (user !== undefined) expect((await raw.cmd(`LOGIN ${addr(user)} ${PASSWORD}`)).status).toMatch(/^OK/);
    return raw;
  }

  private async line(): Promise<string> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const i = this.buf.indexOf('\r\n');
      if (i >= 0) {
        const l = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 2);
        return l;
      }
      if (Date.now() > deadline) throw new Error(`no response; have ${JSON.stringify(this.buf)}`);
      await new Promise<void>((ok) => {
        const t = setTimeout(ok, 200);
        this.wake = () => {
          clearTimeout(t);
          ok();
        };
      });
    }
  }

  async cmd(text: string): Promise<Reply> {
    const tag = `m${++this.tag}`;
    this.socket.write(`${tag} ${text}\r\n`);
    const untagged: string[] = [];
    for (;;) {
      const l = await this.line();
      if (l.startsWith(`${tag} `)) return { status: l.slice(tag.length + 1), untagged };
      untagged.push(l);
    }
  }

  /** Sends a line and returns every line received until the server closes the connection. */
  async linesUntilClosed(text: string): Promise<string[]> {
    const closed = new Promise<void>((ok) => this.socket.once('close', () => ok()));
    this.socket.write(`${text}\r\n`);
    await closed;
    return this.buf.split('\r\n').filter((l) => l !== '');
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Runs Python 3 with imaplib logged in as `user`; the script prints JSON lines with out(...). */
export function python(user: string, body: string): Promise<Array<Record<string, unknown>>> {
  const script = `
import imaplib, json, os, sys
def out(**kw):
    print(json.dumps(kw, default=lambda b: b.decode('latin1') if isinstance(b, bytes) else str(b)), flush=True)
def res(r):
    typ, data = r
    return [typ, [d.decode('latin1') if isinstance(d, bytes) else d for d in data]]
def call(f, *a):
    try:
        return res(f(*a))
    except imaplib.IMAP4.error as e:
        return ['BAD', [str(e)]]
M = imaplib.IMAP4('127.0.0.1', int(os.environ['PORT']))
M.login(os.environ['USER_ADDR'], os.environ['USER_PASS'])
${body}
M.logout()
`;
  return new Promise((ok, fail) => {
    const child = spawn('python3', ['-c', script], {
      env: { ...process.env, PORT: String(imapPort()), USER_ADDR: addr(user), USER_PASS: PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0) fail(new Error(`python exited ${code}\n${stderr}\n${stdout}`));
      else ok(stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>));
    });
  });
}

// ---- store access ----

export function message(n: number, body = 'Hello.'): Buffer {
  return Buffer.from(`From: a@example.com\r\nTo: b@example.com\r\nSubject: Test ${n}\r\nMessage-ID: <t${n}@example.com>\r\n\r\n${body}\r\n`);
}

export async function account(user: string): Promise<number> {
  const a = await store().getAccountByAddress(addr(user));
  if (a === null) throw new Error(`no account ${user}`);
  return a.id;
}

export async function mailbox(user: string, name: string) {
  const mb = await store().findMailbox(await account(user), name);
  if (mb === null) throw new Error(`no mailbox ${name}`);
  return mb;
}

export async function append(user: string, name: string, items: Array<{ raw: Buffer; flags?: number }>): Promise<void> {
  await store().append(await account(user), (await mailbox(user, name)).id, items);
}

export async function storeNames(user: string): Promise<string[]> {
  return (await store().listMailboxes(await account(user))).map((m) => m.name).sort();
}

/** The tagged status's response code, e.g. "NONEXISTENT". */
export function code(status: string): string {
  return /^\w+ \[([^\]]*)\]/.exec(status)?.[1] ?? '';
}
