/**
 * Pieces of the outbound delivery tests: waiting for a condition, and an SMTP sink (smtp-server in
 * this process) that counts what arrives and can refuse recipients for now (451) or for good (550).
 */
import { SMTPServer } from 'smtp-server';

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

export interface Sink {
  port: number;
  /** 'accept', 'defer' (451 at RCPT) or 'refuse' (550 at RCPT). */
  mode: 'accept' | 'defer' | 'refuse';
  /** Every message received, in order. */
  messages: Array<{ from: string; to: string[]; raw: Buffer; user: string | null }>;
  close(): Promise<void>;
}

/** The Message-ID of a raw message, or "". */
export function messageId(raw: Buffer): string {
  return /^Message-ID:\s*(<[^>]+>)/im.exec(raw.toString('latin1'))?.[1] ?? '';
}

/** A sink; with `login`, AUTH PLAIN/LOGIN (without TLS) is required and checked against it. */
export async function startSink(login?: { user: string; pass: string }): Promise<Sink> {
  const sink: Sink = { port: 0, mode: 'accept', messages: [], close: () => Promise.resolve() };
  const server = new SMTPServer({
    authOptional: login === undefined, allowInsecureAuth: true, logger: false,
    disabledCommands: login === undefined ? ['AUTH', 'STARTTLS'] : ['STARTTLS'],
    onAuth(auth, _session, callback) {
      if (login !== undefined && auth.username === login.user && auth.password === login.pass) callback(null, { user: login.user });
      else callback(Object.assign(new Error('5.7.8 Authentication failed'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      if (sink.mode === 'defer') callback(Object.assign(new Error('4.3.0 Not now'), { responseCode: 451 }));
      else if (sink.mode === 'refuse') callback(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        const user = typeof session.user === 'string' ? session.user : null;
        sink.messages.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks), user });
        callback(null, 'Queued');
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('sink has no port');
  sink.port = address.port;
  sink.close = () => new Promise((ok) => server.close(() => ok()));
  return sink;
}

/**
 * Four clients send in a loop (`send(client, i)` resolves with the message's Message-ID once it got
 * its 250, and rejects when the server is gone) until `kill` has run after `before` acknowledgements;
 * resolves with the Message-IDs acknowledged, and every one that was tried.
 */
export async function burstUntilKilled(before: number, send: (client: number, i: number, tried: Set<string>) => Promise<string>,
  kill: () => Promise<void>): Promise<{ acked: string[]; tried: Set<string> }> {
  const acknowledged: string[] = [];
  const tried = new Set<string>();
  let stop = false;
  const client = async (n: number): Promise<void> => {
    for (let i = 0; !stop; i++) {
      try {
        acknowledged.push(await send(n, i, tried));
      } catch {
        return;
      }
    }
  };
  const clients = [0, 1, 2, 3].map(client);
  await waitFor(`${before} acknowledged messages`, async () => acknowledged.length >= before);
  await kill();
  stop = true;
  await Promise.all(clients);
  return { acked: [...acknowledged], tried };
}
