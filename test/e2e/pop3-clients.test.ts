/**
 * Real POP3 clients against the real server binary: Debian's fetchmail (STLS on the POP3 port and
 * implicit TLS on the POP3S port, with and without --keep) and getmail6 (SimplePOP3Retriever and
 * SimplePOP3SSLRetriever into a Maildir). Each downloads everything once with the right bytes, never
 * downloads a message twice when it leaves mail on the server (UIDL, RFC 1939 §7), and picks up
 * exactly the mail that arrived since; fetchmail without --keep empties the INBOX (DELE, RFC 1939 §6).
 *
 * Neither client hands on the bytes exactly as received, so the comparison undoes what each is known
 * to do (see normalized() and the getmail test); everything else must match byte for byte.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ChildServer } from '../helpers/server.js';
import { appendOverImap, corpusMessage, CORPUS_PICKS, dottedMessages, imapList, simpleMessage } from './pop3-support.js';

interface User {
  address: string;
  password: string;
}
const user = (name: string): User => ({ address: `${name}@example.com`, password: `${name}-secret` });

/** Where a binary is on $PATH, or null. */
function which(cmd: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    if (dir !== '' && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return null;
}
const hasFetchmail = which('fetchmail') !== null;
const hasGetmail = which('getmail') !== null;
const isRoot = process.getuid?.() === 0;

let srv: ChildServer;
let popPort: number;
let popsPort: number;
let imapPort: number;
const USERS = ['fm-stls', 'fm-ssl', 'fm-nokeep-stls', 'fm-nokeep-ssl', 'gm-plain', 'gm-ssl'].map(user);

beforeAll(async () => {
  srv = await startServer({ users: USERS, listeners: ['pop3', 'pop3s', 'imap'] });
  popPort = srv.ports.pop3!;
  popsPort = srv.ports.pop3s!;
  imapPort = srv.ports.imap!;
});

afterAll(async () => {
  await srv?.stop();
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'roost-pop-client-'));
  dirs.push(d);
  return d;
}

interface Run {
  code: number;
  output: string;
}

function run(cmd: string, args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...process.env, ...env }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/**
 * What a client that strips CRs hands on: line ends as LF, and a final line break (RETR had to add
 * one for a message without it, RFC 1939 §3, so the client cannot know it was not there).
 */
function normalized(raw: Buffer): string {
  const s = raw.toString('latin1').replace(/\r\n/g, '\n');
  return s.endsWith('\n') ? s : `${s}\n`;
}

/** The files in a folder, read as latin1 text, sorted (delivery order does not matter). */
function contents(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString('latin1')).sort();
}

const sorted = (xs: string[]): string[] => [...xs].sort();

// ---- fetchmail ----

interface Fetchmail {
  /** One poll; `keep` says --keep or --nokeep. Returns the exit code (0 mail, 1 none) and the log. */
  poll(keep: boolean): Promise<Run>;
  /** Messages delivered so far, by the MDA, one file each. */
  delivered(): string[];
}

/**
 * A fetchmail set up in a temporary folder: an rc file (mode 0600, as fetchmail demands) naming the
 * server, a --idfile so that --keep remembers the UIDs it has seen, a pid file, and an MDA script
 * that writes each message to its own file. `set invisible` stops fetchmail from adding a Received
 * header, `no rewrite` from touching addresses; with an MDA it strips CRs (stripcr is on by default).
 */
function fetchmail(u: User, tls: 'stls' | 'ssl'): Fetchmail {
  const dir = tempDir();
  const out = join(dir, 'out');
  mkdirSync(out);
  const mda = join(dir, 'mda.sh');
  writeFileSync(mda, `#!/bin/sh\nexec cat > "$(mktemp "${out}/msg.XXXXXXXX")"\n`);
  chmodSync(mda, 0o755);
  const rc = join(dir, 'fetchmailrc');
  const port = tls === 'ssl' ? popsPort : popPort;
  // The certificate is self-signed: no sslcertck. "tls1.2+" without "ssl" means STLS, and requires it.
  const tlsOptions = tls === 'ssl' ? 'ssl no sslcertck' : 'sslproto "tls1.2+" no sslcertck';
  writeFileSync(rc, [
    'set no syslog',
    'set invisible',
    `poll 127.0.0.1 with proto POP3 service ${port} auth password`,
    `  user "${u.address}" there with password "${u.password}" is "${userInfo().username}" here`,
    `  options no rewrite ${tlsOptions}`,
    `  mda "${mda}"`,
    '',
  ].join('\n'), { mode: 0o600 });
  chmodSync(rc, 0o600);
  const args = ['-v', '-f', rc, '--idfile', join(dir, 'fetchids'), '--pidfile', join(dir, 'fetchmail.pid')];
  const env = { HOME: dir, FETCHMAILHOME: dir };
  return {
    poll: (keep) => run('fetchmail', [...args, keep ? '--keep' : '--nokeep'], env),
    delivered: () => contents(out),
  };
}

function expectTls(r: Run, tls: 'stls' | 'ssl'): void {
  if (tls === 'stls') {
    expect(r.output).toMatch(/POP3> STLS/);
    expect(r.output).toMatch(/upgrade to TLS succeeded/);
  } else {
    expect(r.output).not.toMatch(/POP3> STLS/);
    expect(r.output).toMatch(/SSL\/TLS: using protocol TLS/);
  }
  // The password went over TLS only, never refused.
  expect(r.output).not.toMatch(/-ERR \[AUTH\]/);
}

describe.each(['stls', 'ssl'] as const)('fetchmail over %s', (tls) => {
  it.skipIf(!hasFetchmail)('--keep: downloads everything once, then nothing, then exactly the new mail', async () => {
    const u = user(`fm-${tls}`);
    const first = [...CORPUS_PICKS.map(corpusMessage), ...dottedMessages(`fm-${tls}`)];
    await appendOverImap(imapPort, u, first);
    const fm = fetchmail(u, tls);

    const r1 = await fm.poll(true);
    expect(r1.code, r1.output).toBe(0);
    expectTls(r1, tls);
    expect(fm.delivered()).toEqual(sorted(first.map(normalized)));

    // UIDL and the id file: nothing is fetched again (exit code 1: no mail).
    const r2 = await fm.poll(true);
    expect(r2.code, r2.output).toBe(1);
    expect(r2.output).not.toMatch(/POP3> RETR/);
    expect(fm.delivered()).toHaveLength(first.length);

    const more = [simpleMessage(`fm-${tls} new 1`), simpleMessage(`fm-${tls} new 2`, '.starts with a dot\r\n')];
    await appendOverImap(imapPort, u, more);
    const r3 = await fm.poll(true);
    expect(r3.code, r3.output).toBe(0);
    expect(r3.output.match(/POP3> RETR/g)).toHaveLength(2);
    expect(fm.delivered()).toEqual(sorted([...first, ...more].map(normalized)));
    // --keep left everything on the server.
    expect(await imapList(imapPort, u)).toHaveLength(first.length + more.length);
  }, 60_000);

  it.skipIf(!hasFetchmail)('without --keep: downloads everything, deletes it, and IMAP sees the INBOX empty', async () => {
    const u = user(`fm-nokeep-${tls}`);
    const first = [...CORPUS_PICKS.slice(0, 3).map(corpusMessage), ...dottedMessages(`fm-nokeep-${tls}`)];
    await appendOverImap(imapPort, u, first);
    const fm = fetchmail(u, tls);

    const r1 = await fm.poll(false);
    expect(r1.code, r1.output).toBe(0);
    expectTls(r1, tls);
    expect(r1.output.match(/POP3> DELE/g)).toHaveLength(first.length);
    expect(fm.delivered()).toEqual(sorted(first.map(normalized)));
    expect(await imapList(imapPort, u)).toEqual([]);

    const r2 = await fm.poll(false);
    expect(r2.code, r2.output).toBe(1);
    const more = [simpleMessage(`fm-nokeep-${tls} new 1`), simpleMessage(`fm-nokeep-${tls} new 2`)];
    await appendOverImap(imapPort, u, more);
    const r3 = await fm.poll(false);
    expect(r3.code, r3.output).toBe(0);
    expect(fm.delivered()).toEqual(sorted([...first, ...more].map(normalized)));
    expect(await imapList(imapPort, u)).toEqual([]);
  }, 60_000);
});

// ---- getmail ----

/**
 * getmail re-generates every message through Python's email package: it adds a Return-Path line at
 * the top, writes LF line ends, and re-folds some header fields (bounce.txt, japanese.txt) or mangles
 * a header that starts with a byte-order mark (feedback-report.txt). So it gets the corpus messages
 * that survive that untouched, and the comparison drops the Return-Path line it adds.
 */
const GETMAIL_PICKS = ['body.1.txt', 'stack-overflow.txt', 'simple-multipart.eml'];

function withoutReturnPath(s: string): string {
  return s.replace(/^Return-Path: <[^>\n]*>\n/, '');
}

interface Getmail {
  run(): Promise<Run>;
  delivered(): string[];
}

/**
 * getmail with a generated getmailrc (read_all = false, delete = false: it leaves mail on the server
 * and remembers the UIDs in its getmaildir) and a Maildir destination. getmail refuses to deliver as
 * root, so under root it delivers as "nobody" into a Maildir that user can write.
 */
function getmail(u: User, ssl: boolean): Getmail {
  const dir = tempDir();
  chmodSync(dir, 0o755);
  const maildir = join(dir, 'Maildir');
  for (const sub of ['', 'new', 'cur', 'tmp']) {
    mkdirSync(join(maildir, sub), { recursive: true });
    if (isRoot) chmodSync(join(maildir, sub), 0o777);
  }
  // SimplePOP3Retriever has no STLS: plain POP3 is allowed here because the client's address is the
  // server's own (127.0.0.1 to 127.0.0.1), which counts as trusted.
  writeFileSync(join(dir, 'getmailrc'), [
    '[retriever]',
    `type = ${ssl ? 'SimplePOP3SSLRetriever' : 'SimplePOP3Retriever'}`,
    'server = 127.0.0.1',
    `port = ${ssl ? popsPort : popPort}`,
    `username = ${u.address}`,
    `password = ${u.password}`,
    '',
    '[destination]',
    'type = Maildir',
    `path = ${maildir}/`,
    ...(isRoot ? ['user = nobody'] : []),
    '',
    '[options]',
    'read_all = false',
    'delete = false',
    'delivered_to = false',
    'received = false',
    'verbose = 1',
    '',
  ].join('\n'), { mode: 0o600 });
  return {
    run: () => run('getmail', ['--getmaildir', dir, '--rcfile', 'getmailrc'], { HOME: dir }),
    delivered: () => [...contents(join(maildir, 'new')), ...contents(join(maildir, 'cur'))].map(withoutReturnPath).sort(),
  };
}

describe.each([false, true])('getmail (ssl: %s)', (ssl) => {
  it.skipIf(!hasGetmail)('downloads everything once, then nothing, then exactly the new mail', async () => {
    const name = ssl ? 'gm-ssl' : 'gm-plain';
    const u = user(name);
    const first = [...GETMAIL_PICKS.map(corpusMessage), ...dottedMessages(name)];
    await appendOverImap(imapPort, u, first);
    const gm = getmail(u, ssl);

    const r1 = await gm.run();
    expect(r1.code, r1.output).toBe(0);
    expect(r1.output).toMatch(new RegExp(`${first.length} messages \\(\\d+ bytes\\) retrieved, 0 skipped`));
    expect(gm.delivered()).toEqual(sorted(first.map(normalized)));

    const r2 = await gm.run();
    expect(r2.code, r2.output).toBe(0);
    expect(r2.output).toMatch(new RegExp(`0 messages \\(0 bytes\\) retrieved, ${first.length} skipped`));
    expect(gm.delivered()).toHaveLength(first.length);

    const more = [simpleMessage(`${name} new 1`), simpleMessage(`${name} new 2`, 'two\r\n.\r\nlines\r\n')];
    await appendOverImap(imapPort, u, more);
    const r3 = await gm.run();
    expect(r3.code, r3.output).toBe(0);
    expect(r3.output).toMatch(new RegExp(`2 messages \\(\\d+ bytes\\) retrieved, ${first.length} skipped`));
    expect(gm.delivered()).toEqual(sorted([...first, ...more].map(normalized)));
    // delete = false left everything on the server.
    expect(await imapList(imapPort, u)).toHaveLength(first.length + more.length);
  }, 60_000);
});
