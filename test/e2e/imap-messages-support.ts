/**
 * Helpers of the message-writing e2e tests (imap-messages, imap-compress-unauthenticate): clients
 * logged in as a test user, APPEND commands with non-synchronizing literals, response-code parsing.
 */
import { ImapFlow } from 'imapflow';
import { RawImap, type Tagged } from './imap-support.js';

export const PASSWORD = 'secret-pw';
export const address = (name: string): string => `${name}@example.com`;
export const testUsers = (names: readonly string[]) => names.map((n) => ({ address: address(n), password: PASSWORD }));

/** imapflow over STARTTLS (self-signed certificate), COMPRESS only when asked; `log` collects its protocol lines. */
export async function flow(port: number, name: string, opts: { compress?: boolean; log?: string[] } = {}): Promise<ImapFlow> {
  const log = opts.log;
  const keep = (o: { src?: string; msg?: string }): void => {
    if (log !== undefined && (o.src === 'c' || o.src === 's') && typeof o.msg === 'string') log.push(`${o.src}: ${o.msg}`);
  };
  const c = new ImapFlow({
    host: '127.0.0.1', port, secure: false, disableAutoIdle: true, disableCompression: opts.compress !== true,
    auth: { user: address(name), pass: PASSWORD }, tls: { rejectUnauthorized: false },
    logger: log === undefined ? false : { debug: keep, info: keep, warn: keep, error: keep },
  });
  await c.connect();
  return c;
}

/** A raw client past the greeting, logged in when `name` is given. */
export async function raw(port: number, name?: string): Promise<RawImap> {
  const c = await RawImap.connect(port);
  await c.next();
  if (name !== undefined) await c.login(address(name), PASSWORD);
  return c;
}

export interface AppendArg {
  data: Buffer;
  /** Inside the parentheses, e.g. "\\Seen $Work". */
  flags?: string;
  /** date-time without quotes. */
  date?: string;
  /** "~" for literal8. */
  prefix?: string;
}

/** The arguments after the mailbox of APPEND (or REPLACE) with non-synchronizing literals (LITERAL+), CRLF included. */
export function appendArgs(messages: readonly AppendArg[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of messages) {
    const head = `${m.flags !== undefined ? ` (${m.flags})` : ''}${m.date !== undefined ? ` "${m.date}"` : ''}`;
    parts.push(Buffer.from(`${head} ${m.prefix ?? ''}{${m.data.length}+}\r\n`), m.data);
  }
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

export function appendCommand(mailbox: string, messages: readonly AppendArg[]): Buffer {
  return Buffer.concat([Buffer.from(`APPEND ${mailbox}`), appendArgs(messages)]);
}

/** Sends one command (a string gets its CRLF) and collects the responses up to its tagged completion. */
export async function send(c: RawImap, command: Buffer | string, timeoutMs = 10_000): Promise<Tagged> {
  const tag = c.nextTag();
  c.write(Buffer.concat([Buffer.from(`${tag} `), Buffer.isBuffer(command) ? command : Buffer.from(`${command}\r\n`)]));
  return c.result(tag, timeoutMs);
}

/** The response code of a status line ("OK [APPENDUID 1 2] done" → "APPENDUID 1 2"), or "". */
export function code(status: string): string {
  return /^(?:\* )?\w+ \[([^\]]*)\]/.exec(status)?.[1] ?? '';
}

/** The EXISTS count in a list of untagged responses (the last one), or -1. */
export function existsIn(untagged: readonly string[]): number {
  let n = -1;
  for (const u of untagged) {
    const m = /^\* (\d+) EXISTS$/.exec(u);
    if (m !== null) n = Number(m[1]);
  }
  return n;
}
