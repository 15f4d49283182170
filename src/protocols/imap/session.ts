/**
 * One IMAP connection: the state machine between the wire parser and the command handlers.
 * Commands run one at a time in arrival order (pipelined ones wait in a bounded queue); after each,
 * pending mailbox changes are told where the RFC allows, then the tagged response goes out.
 */
import type { SecureContext } from 'node:tls';
import type { Socket } from 'node:net';
import type { Authenticator } from '../../auth/authenticator.js';
import { isTrusted } from '../../auth/authenticator.js';
import { LIMITS } from '../../shared/limits.js';
import type { Logger } from '../../shared/logger.js';
import type { MailStore } from '../../store/store.js';
import type { Account, Change, Mailbox } from '../../store/types.js';
import { Connection } from '../common/connection.js';
import { capabilityList } from './capabilities.js';
import { COMMANDS } from './commands/index.js';
import type { CommandResult, CommandSpec, ImapServerOptions, SessionContext, SessionState } from './context.js';
import { storeErrorResult } from './errors.js';
import { SelectedState } from './selected.js';
import type { UidCache } from './uid-cache.js';
import { SessionInput, type ParseError, type QueueItem } from './session-input.js';
import { ResponseWriter, type Command, type ParseEvent, type Response } from './wire/index.js';

export interface SessionDeps {
  store: MailStore;
  auth: Authenticator;
  options: ImapServerOptions;
  logger: Logger;
  tls: SecureContext | (() => SecureContext);
  /** Shared UID lists (one per store); without it each SELECT reads its own. */
  uidCache?: UidCache;
}

export class ImapSession implements SessionContext {
  readonly store: MailStore;
  readonly auth: Authenticator;
  readonly options: ImapServerOptions;
  readonly logger: Logger;
  state: SessionState = 'notAuthenticated';
  account: Account | null = null;
  selected: SelectedState | null = null;
  savedSearch: number[] | null = null;
  readonly enabled = new Set<string>();
  condstore = false;

  private readonly conn: Connection;
  private readonly input: SessionInput;
  private readonly writer = new ResponseWriter();
  private readonly queue: QueueItem[] = [];
  private running = false;
  private flushPending = false;
  private badInRow = 0;
  private unsubscribe: (() => void) | null = null;
  private selecting: { mailboxId: number; buffer: Change[] } | null = null;
  private watching = false;
  private flushScheduled = false;
  /** A CONDSTORE enabling command ran with a mailbox selected: HIGHESTMODSEQ is due (RFC 7162 §3.1). */
  private announceModseq = false;

  constructor(socket: Socket, private readonly deps: SessionDeps, private readonly onEnd: () => void) {
    this.store = deps.store;
    this.auth = deps.auth;
    this.options = deps.options;
    this.logger = deps.logger;
    this.conn = new Connection(socket, {
      maxBuffered: LIMITS.imap.outputBufferBytes,
      onData: (chunk) => this.input.feed(chunk),
      onClose: () => this.cleanup(),
    });
    this.input = new SessionInput({
      conn: this.conn,
      queued: () => this.queue.length,
      enqueue: (item) => this.enqueue(item),
      continueLiteral: () => {
        this.send({ kind: 'continue', text: 'Ready for literal data' });
        this.flushOut();
      },
      fail: (err) => this.fail(err),
    });
    this.conn.setIdleTimeout(LIMITS.imap.preAuthIdleMs, () => this.timeout());
    this.send({ kind: 'status', tag: null, status: 'OK', code: { code: 'CAPABILITY', capabilities: this.capabilities() }, text: 'Roost ready' });
    this.flushOut();
  }

  // ---- SessionContext ----

  get secure(): boolean {
    return this.conn.secure;
  }

  get compressed(): boolean {
    return this.conn.isCompressed;
  }

  get remoteAddress(): string {
    return this.conn.remoteAddress;
  }

  get localAddress(): string {
    return this.conn.localAddress;
  }

  /** Queues a response; long responses call drain() now and then so output streams out. */
  send(r: Response): void {
    this.writer.write(r);
  }

  private pushOut(): void {
    for (const b of this.writer.take()) this.conn.write(b);
  }

  /** Everything queued goes to the socket now. */
  private flushOut(): void {
    this.pushOut();
    this.conn.flush();
  }

  async drain(): Promise<void> {
    this.pushOut();
    await this.conn.drain();
  }

  capabilities(): string[] {
    return capabilityList({
      authenticated: this.state !== 'notAuthenticated',
      secure: this.conn.secure,
      loginAllowed: this.loginAllowed(),
      compressed: this.conn.isCompressed,
    });
  }

  loginAllowed(): boolean {
    return this.conn.secure || isTrusted(this.conn.remoteAddress, this.conn.localAddress, this.options.trustedNetworks);
  }

  loggedIn(account: Account): void {
    this.account = account;
    this.state = 'authenticated';
    this.input.parser.setAuthenticated(true);
    this.conn.setIdleTimeout(LIMITS.imap.authIdleMs, () => this.timeout());
    this.unsubscribe = this.store.bus.subscribe(account.id, (c) => this.onChange(c));
  }

  loggedOut(): void {
    this.unselect();
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.account = null;
    this.state = 'notAuthenticated';
    this.enabled.clear();
    this.condstore = false;
    this.writer.utf8 = false;
    this.input.parser.setUtf8(false);
    this.input.parser.setAuthenticated(false);
    this.conn.setIdleTimeout(LIMITS.imap.preAuthIdleMs, () => this.timeout());
  }

  async select(mailbox: Mailbox, readOnly: boolean): Promise<SelectedState> {
    this.unselect();
    // Changes committed while the UID list is read are kept and replayed onto the new view.
    const selecting = { mailboxId: mailbox.id, buffer: [] as Change[] };
    this.selecting = selecting;
    const cache = this.deps.uidCache;
    const uids = cache === undefined ? await this.store.listUids(mailbox.id) : await cache.get(mailbox.accountId, mailbox.id);
    const state = new SelectedState(mailbox, uids, readOnly, cache === undefined ? null : () => cache.current(mailbox.id));
    if (this.selecting === selecting) {
      this.selecting = null;
      for (const c of selecting.buffer) state.onChange(c);
    }
    this.selected = state;
    this.state = 'selected';
    return state;
  }

  unselect(): void {
    this.selected = null;
    this.selecting = null;
    this.savedSearch = null;
    if (this.state === 'selected') this.state = 'authenticated';
  }

  enable(names: readonly string[]): string[] {
    const added: string[] = [];
    for (const raw of names) {
      const n = raw.toUpperCase();
      if (this.enabled.has(n)) continue;
      this.enabled.add(n);
      added.push(n);
      if (n === 'CONDSTORE' || n === 'QRESYNC') this.enableCondstore();
      // RFC 9051 §6.3.1 / RFC 6855 §3: UTF-8 in strings and mailbox names from now on.
      if (n === 'UTF8=ACCEPT' || n === 'IMAP4REV2') {
        this.writer.utf8 = true;
        this.input.parser.setUtf8(true);
      }
    }
    return added;
  }

  enableCondstore(): void {
    // RFC 7162 §3.1: the first CONDSTORE enabling command run with a mailbox selected reports that
    // mailbox's HIGHESTMODSEQ (sent before the command's tagged response, see execute()).
    if (!this.condstore && this.selected !== null) this.announceModseq = true;
    this.condstore = true;
  }

  /** `* OK [HIGHESTMODSEQ n]` for the selected mailbox (RFC 7162 §3.1). */
  private async sendHighestModseq(): Promise<void> {
    const sel = this.selected;
    if (sel === null || this.conn.isEnding) return;
    const mailbox = await this.store.getMailbox(this.account!.id, sel.mailboxId);
    if (mailbox === null || this.selected !== sel || this.conn.isEnding) return;
    const modseq = sel.toldModseq(mailbox.highestModseq);
    this.send({ kind: 'status', tag: null, status: 'OK', code: { code: 'HIGHESTMODSEQ', modseq }, text: 'Highest' });
  }

  readLine(mode: 'authenticate' | 'idle'): Promise<ParseEvent> {
    this.flushOut();
    return this.input.readLine(mode);
  }

  watch(): () => void {
    this.watching = true;
    this.flushChanges(true);
    this.flushOut();
    return () => {
      this.watching = false;
    };
  }

  flushChanges(allowExpunges: boolean): void {
    const sel = this.selected;
    if (sel === null) return;
    if (sel.gone && allowExpunges) {
      // Another session deleted the selected mailbox: nothing in this view is valid any more. Like
      // Dovecot, say so and disconnect; the client reconnects and finds the mailbox gone.
      this.bye('Selected mailbox was deleted');
      return;
    }
    sel.flush((r) => this.send(r), {
      expunges: allowExpunges,
      qresync: this.enabled.has('QRESYNC'),
      condstore: this.condstore,
    });
  }

  async startTls(): Promise<void> {
    // RFC 9051 §6.2.1: anything the client pipelined after STARTTLS is discarded, never executed.
    this.input.parser.takeBuffered();
    this.queue.length = 0;
    const ctx = typeof this.deps.tls === 'function' ? this.deps.tls() : this.deps.tls;
    await this.conn.startTls(ctx);
  }

  startCompression(): void {
    const rest = this.input.parser.takeBuffered();
    this.conn.startCompression();
    // Bytes already received after COMPRESS are compressed: run them through the inflater.
    if (rest.length > 0) this.conn.injectCompressed(rest);
  }

  /** Server shutdown: tell the client and close. */
  shutdown(): void {
    this.send({ kind: 'status', tag: null, status: 'BYE', text: 'Server shutting down' });
    this.close();
  }

  close(): void {
    this.state = 'logout';
    this.pushOut();
    this.conn.end();
  }

  // ---- execution ----

  private enqueue(item: QueueItem): void {
    this.queue.push(item);
    void this.runQueue();
  }

  private async runQueue(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.conn.isEnding) {
        const item = this.queue.shift()!;
        if ('error' in item) {
          this.answerParseError(item.error);
          continue;
        }
        await this.execute(item.command);
        this.input.finished(item.command);
        // A client that pipelines without reading: stop taking commands until it reads (bounded memory).
        if (this.conn.backlogged) await this.conn.drain();
        if (this.queue.length === 0) this.input.pump();
      }
      this.scheduleFlush();
    } catch (err) {
      this.fail(err);
    } finally {
      this.running = false;
    }
  }

  private answerParseError(ev: ParseError): void {
    if (ev.resetsSearchResult === true && this.selected !== null) this.savedSearch = [];
    this.send({ kind: 'status', tag: ev.tag, status: ev.status, code: ev.code, text: ev.message });
    if (ev.fatal) {
      this.bye('Cannot continue after this error');
      return;
    }
    this.countBad(true);
  }

  /** Counts BAD answers in a row; too many and the client is not speaking IMAP: say BYE. */
  private countBad(isBad: boolean): void {
    this.badInRow = isBad ? this.badInRow + 1 : 0;
    if (this.badInRow >= LIMITS.imap.badCommandsInRow) this.bye('Too many invalid commands');
  }

  private async execute(cmd: Command): Promise<void> {
    const spec = COMMANDS[cmd.kind] as CommandSpec | undefined;
    let result: CommandResult;
    if (spec === undefined) {
      result = { status: 'BAD', text: `${cmd.kind} is not supported` };
    } else if (!spec.states.includes(this.state)) {
      result = { status: 'BAD', text: `${cmd.kind} is not allowed ${stateText(this.state)}` };
    } else {
      try {
        result = await spec.run(this, cmd);
      } catch (err) {
        const mapped = storeErrorResult(err);
        if (mapped === null) this.logger.error('imap command failed', { command: cmd.kind, err });
        result = mapped ?? { status: 'NO', code: { code: 'SERVERBUG' }, text: 'Internal error' };
      }
    }
    if (this.conn.isEnding) return;
    if (this.selected !== null) this.flushChanges(spec?.allowsExpunges?.(cmd as never) ?? true);
    if (this.announceModseq) {
      this.announceModseq = false;
      await this.sendHighestModseq();
    }
    this.send({ kind: 'status', tag: cmd.tag, status: result.status, code: result.code ?? null, text: result.text });
    if (result.after !== undefined) {
      this.flushOut();
      await result.after();
    }
    this.countBad(result.status === 'BAD');
  }

  /**
   * Output of quick pipelined commands is gathered and written once the batch is done (or a 64 KB
   * chunk fills), instead of one small packet per response.
   */
  private scheduleFlush(): void {
    if (this.flushPending) return;
    this.flushPending = true;
    setImmediate(() => {
      this.flushPending = false;
      this.flushOut();
    });
  }

  private bye(text: string): void {
    this.send({ kind: 'status', tag: null, status: 'BYE', text });
    this.close();
  }

  /** A bug on our side (never the client's input): log it and drop this connection only. */
  private fail(err: unknown): void {
    this.logger.error('imap session failed', { err });
    this.conn.destroy();
  }

  // ---- changes from other sessions ----

  private onChange(c: Change): void {
    if (this.selecting !== null && c.mailboxId === this.selecting.mailboxId) {
      this.selecting.buffer.push(c);
      return;
    }
    if (this.selected === null) return;
    this.selected.onChange(c);
    if (this.watching && !this.flushScheduled) {
      // Coalesce a burst of changes into one write.
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        if (!this.watching || this.conn.isEnding) return;
        this.flushChanges(true);
        this.flushOut();
      });
    }
  }

  private timeout(): void {
    this.bye('Idle for too long');
  }

  private cleanup(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.selected = null;
    this.input.cancel();
    this.onEnd();
  }
}

function stateText(s: SessionState): string {
  switch (s) {
    case 'notAuthenticated':
      return 'before login';
    case 'authenticated':
      return 'without a selected mailbox';
    case 'selected':
      return 'in the selected state';
    case 'logout':
      return 'after logout';
  }
}

