/**
 * One POP3 connection (RFC 1939 with RFC 2449 extensions): splits input into lines, runs commands one
 * at a time in arrival order (PIPELINING), carries SASL exchanges (RFC 5034) and STLS (RFC 2595), and
 * owns the maildrop lock from login until the connection ends. A connection that ends without QUIT
 * deletes nothing (RFC 1939 §6).
 */
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import type { Authenticator } from '../../auth/authenticator.js';
import { isTrusted } from '../../auth/authenticator.js';
import { decodeBase64, parseSaslMechanism, SaslExchange, type SaslStep } from '../../auth/sasl.js';
import { LIMITS } from '../../shared/limits.js';
import type { Logger } from '../../shared/logger.js';
import { popOffers, popSettings } from '../../store/pop.js';
import type { MailStore } from '../../store/store.js';
import { Connection } from '../common/connection.js';
import { COMMANDS } from './commands/index.js';
import type { Pop3CommandSpec, Pop3Context, Pop3Drop, Pop3Options, Pop3State, Reply } from './context.js';
import { Maildrop } from './maildrop.js';
import type { PopRegistry } from './registry.js';
import { parseCommand, type Pop3Command } from './wire/command.js';
import { errLine, okLine } from './wire/response.js';

export interface Pop3SessionDeps {
  store: MailStore;
  auth: Authenticator;
  logger: Logger;
  tls: () => SecureContext;
  registry: PopRegistry;
  options: Pop3Options;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isAscii(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) return false;
  return true;
}

export class Pop3Session implements Pop3Context {
  readonly store: MailStore;
  readonly auth: Authenticator;
  readonly logger: Logger;
  readonly options: Pop3Options;
  readonly registry: PopRegistry;
  state: Pop3State = 'authorization';
  pendingUser: string | null = null;
  utf8 = false;
  drop: Pop3Drop | null = null;

  private readonly conn: Connection;
  private input: Buffer = Buffer.alloc(0);
  /** Skipping the rest of an over-long line. */
  private discarding = false;
  private running = false;
  private errorsInRow = 0;
  private sasl: SaslExchange | null = null;
  private ended = false;
  private readAhead: { n: number; data: Promise<Buffer> } | null = null;

  constructor(socket: Socket, private readonly deps: Pop3SessionDeps, private readonly onEnd: () => void) {
    this.store = deps.store;
    this.auth = deps.auth;
    this.logger = deps.logger;
    this.options = deps.options;
    this.registry = deps.registry;
    this.conn = new Connection(socket, {
      maxBuffered: LIMITS.pop3.outputBufferBytes,
      onData: (chunk) => this.received(chunk),
      onClose: () => this.closed(),
    });
    this.conn.setIdleTimeout(LIMITS.pop3.idleMs, () => this.close(errLine('Idle for too long, closing')));
    this.conn.write(okLine(`${deps.options.hostname} Roost POP3 server ready`));
    this.conn.flush();
  }

  get secure(): boolean {
    return this.conn.secure;
  }

  get remoteAddress(): string {
    return this.conn.remoteAddress;
  }

  loginAllowed(): boolean {
    return this.conn.secure || isTrusted(this.conn.remoteAddress, this.conn.localAddress, this.options.trustedNetworks);
  }

  /** The server is stopping. */
  shutdown(): void {
    this.close(errLine('Server shutting down', 'SYS/TEMP'));
  }

  private close(line: string): void {
    if (this.conn.isEnding) return;
    this.conn.write(line);
    this.conn.end();
  }

  private closed(): void {
    if (this.ended) return;
    this.ended = true;
    // During QUIT's update the lock stays until the update is committed (quit.ts releases it): a new
    // session must not snapshot messages that are about to go.
    if (this.drop !== null && this.state !== 'update') this.registry.unlock(this.drop.account.id);
    this.onEnd();
  }

  // ---- input ----

  private received(chunk: Buffer): void {
    this.input = this.input.length === 0 ? chunk : Buffer.concat([this.input, chunk]);
    if (this.input.length > LIMITS.pop3.inputBytes) this.conn.pause();
    if (!this.running) void this.pump();
  }

  /** The next complete line without its line break, or null; over-long lines are reported and skipped. */
  private nextLine(): Buffer | 'too-long' | null {
    for (;;) {
      const nl = this.input.indexOf(0x0a);
      if (this.discarding) {
        if (nl < 0) {
          this.input = Buffer.alloc(0);
          return null;
        }
        this.input = this.input.subarray(nl + 1);
        this.discarding = false;
        continue;
      }
      if (nl < 0) {
        if (this.input.length > LIMITS.pop3.lineBytes) {
          this.input = Buffer.alloc(0);
          this.discarding = true;
          return 'too-long';
        }
        return null;
      }
      if (nl > LIMITS.pop3.lineBytes) {
        this.input = this.input.subarray(nl + 1);
        return 'too-long';
      }
      const end = nl > 0 && this.input[nl - 1] === 0x0d ? nl - 1 : nl;
      const line = this.input.subarray(0, end);
      this.input = this.input.subarray(nl + 1);
      return line;
    }
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      while (!this.conn.isEnding) {
        const line = this.nextLine();
        if (line === null) break;
        let reply: Reply;
        if (line === 'too-long') {
          // An -ERR ends an AUTH exchange in progress too (RFC 5034 §4).
          this.sasl = null;
          reply = { line: errLine(`Line too long (over ${LIMITS.pop3.lineBytes} octets)`), error: true };
        } else {
          reply = await this.handleLine(line);
        }
        if (this.conn.isEnding) break;
        await this.send(reply);
        if (reply.readAhead !== undefined) this.startReadAhead(reply.readAhead);
        if (reply.then === 'close') {
          this.conn.end();
          break;
        }
        if (reply.then === 'stls') {
          // RFC 2595 §4: whatever the client sent after STLS in the clear is discarded, and so is what it told us.
          this.input = Buffer.alloc(0);
          this.pendingUser = null;
          await this.conn.startTls(this.deps.tls());
          continue;
        }
        if (reply.error === true) {
          if (++this.errorsInRow >= LIMITS.pop3.errorsBeforeClose) {
            this.close(errLine('Too many errors, closing'));
            break;
          }
        } else {
          this.errorsInRow = 0;
        }
      }
    } catch (err) {
      this.logger.error('pop3 session failed', { err });
      this.close(errLine('Internal error, closing', 'SYS/TEMP'));
    } finally {
      this.running = false;
    }
    this.conn.flush();
    if (this.input.length <= LIMITS.pop3.inputBytes) this.conn.resume();
  }

  /** Writes a reply; a long body streams out as the client reads it. */
  private async send(reply: Reply): Promise<void> {
    this.conn.write(reply.line);
    if (typeof reply.body === 'string') this.conn.write(reply.body);
    else if (reply.body !== undefined) {
      for (const part of reply.body) {
        this.conn.write(part);
        if (this.conn.backlogged) await this.conn.drain();
      }
    }
    // Pipelined commands already waiting are answered in the same write.
    if (this.input.indexOf(0x0a) < 0 || reply.then !== undefined) this.conn.flush();
  }

  private async handleLine(raw: Buffer): Promise<Reply> {
    let line: string;
    try {
      line = isAscii(raw) ? raw.toString('latin1') : utf8.decode(raw);
    } catch {
      const inSasl = this.sasl !== null;
      this.sasl = null;
      return { line: errLine(inSasl ? 'Authentication cancelled: the answer is not valid UTF-8' : 'Command is not valid UTF-8'), error: true };
    }
    if (this.sasl !== null) return this.saslLine(line);
    const parsed = parseCommand(line);
    if (!parsed.ok) return { line: errLine(parsed.error), error: true };
    const spec = COMMANDS[parsed.command.name] as Pop3CommandSpec<Pop3Command['name']>;
    if (!spec.states.includes(this.state)) {
      return { line: errLine(`${spec.name} is not allowed ${this.state === 'authorization' ? 'before login' : 'after login'}`), error: true };
    }
    return spec.run(this, parsed.command as never);
  }

  // ---- reading ahead (RETR) ----

  takeReadAhead(n: number): Promise<Buffer> | null {
    const r = this.readAhead;
    this.readAhead = null;
    return r !== null && r.n === n ? r.data : null;
  }

  /**
   * Starts reading message `n` after the answer went out and before the client asks (small ones
   * only; not when the next command is already here). A RETR that comes meanwhile waits for this read.
   */
  private startReadAhead(n: number): void {
    this.readAhead = null;
    if (this.input.indexOf(0x0a) >= 0) return;
    const m = this.drop?.maildrop.get(n);
    if (m === undefined || !m.ok || m.message.size > LIMITS.pop3.readAheadBytes) return;
    const data = this.store.readBlob(m.message.blob);
    data.catch(() => undefined);
    this.readAhead = { n, data };
  }

  // ---- login ----

  async startSasl(mechanism: string, initial: string | null): Promise<Reply> {
    const mech = parseSaslMechanism(mechanism);
    if (mech === null) return { line: errLine(`Unsupported mechanism ${mechanism}`), error: true };
    this.sasl = new SaslExchange(mech);
    let data: Buffer | null = null;
    if (initial !== null) {
      // RFC 5034 §4: "=" is an empty initial response.
      data = initial === '=' ? Buffer.alloc(0) : decodeBase64(initial);
      if (data === null) {
        this.sasl = null;
        return { line: errLine('Initial response is not valid base64'), error: true };
      }
    }
    return this.saslStep(this.sasl.start(data));
  }

  private async saslLine(line: string): Promise<Reply> {
    const exchange = this.sasl!;
    if (line === '*') {
      this.sasl = null;
      return { line: errLine('Authentication cancelled'), error: true };
    }
    const data = decodeBase64(line);
    if (data === null) {
      this.sasl = null;
      return { line: errLine('Answer is not valid base64'), error: true };
    }
    return this.saslStep(exchange.respond(data));
  }

  private async saslStep(step: SaslStep): Promise<Reply> {
    if (step.kind === 'challenge') return { line: `+ ${step.challenge}\r\n` };
    this.sasl = null;
    if (step.kind === 'fail') return { line: errLine(step.error, 'AUTH'), error: true };
    const line = await this.login(step.username, step.password);
    return { line, error: this.state !== 'transaction' };
  }

  async login(username: string, password: string): Promise<string> {
    const r = await this.auth.login(username, password, this.conn.remoteAddress);
    if (!r.ok) {
      return r.reason === 'disabled'
        ? errLine('This account is disabled', 'AUTH')
        : errLine('Invalid user name or password', 'AUTH');
    }
    const account = r.account;
    const settings = popSettings(account);
    if (settings.offer === 'off') return errLine('POP access is not enabled for this account', 'SYS/PERM');
    const wait = this.registry.waitFor(account.id, this.options.loginDelaySeconds);
    if (wait > 0) return errLine(`Logins are allowed every ${this.options.loginDelaySeconds} seconds; wait ${wait} more`, 'LOGIN-DELAY');
    if (!this.registry.lock(account.id)) return errLine('Another POP session has this maildrop open', 'IN-USE');
    try {
      const inbox = await this.store.findMailbox(account.id, 'INBOX');
      if (inbox === null) throw new Error('the account has no INBOX');
      const entries = await this.store.getEntries(inbox.id, [[1, 0xffffffff]], []);
      const messages = entries
        .filter((e) => popOffers(settings, inbox, e.uid))
        .map((e) => ({ uid: e.uid, size: e.size, blob: e.blob, headerSize: e.headerSize }));
      this.drop = { account, inboxId: inbox.id, settings, maildrop: new Maildrop(inbox.uidValidity, messages) };
    } catch (err) {
      this.registry.unlock(account.id);
      this.logger.error('pop3 maildrop could not be opened', { user: account.address, err });
      return errLine('The maildrop cannot be opened now; try again later', 'SYS/TEMP');
    }
    if (this.conn.isClosed) {
      // The client left while the maildrop was read: closed() ran before the lock was ours to release.
      this.registry.unlock(account.id);
      return errLine('Connection closed');
    }
    this.registry.recordLogin(account.id);
    this.state = 'transaction';
    const s = this.drop.maildrop.stat();
    this.logger.info('pop3 login', { user: account.address, ip: this.conn.remoteAddress, messages: s.count });
    return okLine(`Logged in: ${s.count} messages (${s.size} octets)`);
  }
}
