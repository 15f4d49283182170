/**
 * Shared pieces of the SMTP end-to-end tests: a Roost in this process whose SMTP listeners ask a
 * static DNS zone (never real DNS), a raw SMTP client for exact bytes (smuggling, bare LF, AUTH before
 * TLS), nodemailer and Python smtplib runners, and reading what arrived over IMAP.
 */
import type { Socket } from 'node:net';
import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import { loadServerFactories } from '../../src/cli/servers.js';
import { StaticResolver, type Zone } from '../../src/delivery/dns-static.js';
import { smtpServerFactories } from '../../src/protocols/smtp/server.js';
import { nullLogger } from '../../src/shared/logger.js';
import { startServerInProcess, type InProcessServer, type TestUser } from '../helpers/server.js';
import { connectSocket, upgradeSocket, Wakeup } from '../helpers/sockets.js';

export const ALICE: TestUser = { address: 'alice@example.com', password: 'alice-secret' };
export const BOB: TestUser = { address: 'bob@example.com', password: 'bob-secret' };

export interface SmtpTestServer {
  srv: InProcessServer;
  resolver: StaticResolver;
  smtp: number;
  submission: number;
  submissions: number;
  imap: number;
  stop(): Promise<void>;
}

/** Roost with smtp, submission, submissions and imap on loopback, DNS answered from `zone`. */
export async function startSmtpServer(opts: { zone?: Zone; extraToml?: string; users?: TestUser[]; hostname?: string } = {}): Promise<SmtpTestServer> {
  const resolver = new StaticResolver(opts.zone ?? {});
  const factories = { ...(await loadServerFactories(nullLogger)), ...smtpServerFactories({ resolver }) };
  const srv = await startServerInProcess({
    users: opts.users ?? [ALICE, BOB], listeners: ['smtp', 'submission', 'submissions', 'imap'], factories,
    extraToml: opts.extraToml, ...(opts.hostname !== undefined ? { hostname: opts.hostname } : {}),
  });
  const port = (name: 'smtp' | 'submission' | 'submissions' | 'imap'): number => {
    const p = srv.ports[name];
    if (p === undefined) throw new Error(`${name} is not listening:\n${srv.stderr()}`);
    return p;
  };
  return {
    srv, resolver, smtp: port('smtp'), submission: port('submission'), submissions: port('submissions'), imap: port('imap'),
    stop: () => srv.stop(),
  };
}

/** A raw SMTP client: whole replies (multi-line joined), exact bytes out. */
export class RawSmtp {
  private buf = '';
  private readonly wakeup = new Wakeup();
  closed = false;

  private constructor(private socket: Socket) {
    this.attach(socket);
  }

  static async connect(port: number, opts: { tls?: boolean; localAddress?: string } = {}): Promise<{ c: RawSmtp; greeting: string }> {
    const c = new RawSmtp(await connectSocket(port, opts));
    return { c, greeting: await c.reply() };
  }

  private attach(socket: Socket): void {
    socket.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  private wake(): void {
    this.wakeup.wake();
  }

  /** The next complete reply ("250-a\r\n250 b\r\n" → "250-a\n250 b"); "" when the server closed. */
  async reply(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = /^(?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\n/.exec(this.buf);
      if (m !== null) {
        this.buf = this.buf.slice(m[0].length);
        return m[0].replace(/\r\n/g, '\n').replace(/\n$/, '');
      }
      if (this.closed) return '';
      if (Date.now() > deadline) throw new Error(`no SMTP reply; have ${JSON.stringify(this.buf)}`);
      await this.wakeup.wait(Math.min(200, Math.max(1, deadline - Date.now())));
    }
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  async command(line: string): Promise<string> {
    this.write(line + '\r\n');
    return this.reply();
  }

  /** STARTTLS and the TLS handshake on this connection. */
  async starttls(): Promise<string> {
    const r = await this.command('STARTTLS');
    if (!r.startsWith('220')) return r;
    const secure = await upgradeSocket(this.socket);
    this.socket = secure;
    this.attach(secure);
    return r;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A nodemailer transport to one of the listeners. */
export function mailer(port: number, opts: { secure: boolean; user?: TestUser }): ReturnType<typeof createTransport> {
  return createTransport({
    host: '127.0.0.1', port, secure: opts.secure, requireTLS: !opts.secure,
    tls: { rejectUnauthorized: false },
    ...(opts.user !== undefined ? { auth: { user: opts.user.address, pass: opts.user.password } } : {}),
  });
}

/** A simple message with CRLF line endings. */
export function message(from: string, to: string, subject: string, body = 'Hello from the test.\r\n'): Buffer {
  return Buffer.from(
    `From: <${from}>\r\nTo: <${to}>\r\nSubject: ${subject}\r\nDate: Mon, 2 Jan 2023 10:00:00 +0000\r\n` +
    `Message-ID: <${subject.replace(/\W/g, '')}.${Math.random().toString(36).slice(2)}@example.com>\r\n\r\n${body}`,
  );
}

/** Every message in a mailbox of `user`, as raw bytes, in UID order. */
export async function mailboxMessages(imapPort: number, user: TestUser, mailbox = 'INBOX'): Promise<Buffer[]> {
  const client = new ImapFlow({
    host: '127.0.0.1', port: imapPort, secure: false, auth: { user: user.address, pass: user.password },
    tls: { rejectUnauthorized: false }, logger: false, disableAutoIdle: true,
  });
  await client.connect();
  try {
    const lock = await client.getMailboxLock(mailbox);
    try {
      const out: Buffer[] = [];
      const status = await client.status(mailbox, { messages: true });
      if (status === false || (status.messages ?? 0) === 0) return [];
      for await (const m of client.fetch('1:*', { source: true, uid: true })) if (m.source !== undefined) out.push(m.source);
      return out;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

/** Sends one transaction over a raw connection already past EHLO (and AUTH); returns every reply. */
export async function rawTransaction(c: RawSmtp, from: string, to: readonly string[], data: Buffer): Promise<string[]> {
  const replies = [await c.command(`MAIL FROM:<${from}>`)];
  for (const r of to) replies.push(await c.command(`RCPT TO:<${r}>`));
  replies.push(await c.command('DATA'));
  if (!replies[replies.length - 1]?.startsWith('354')) return replies;
  c.write(data);
  replies.push(await c.reply());
  return replies;
}
