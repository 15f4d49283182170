/**
 * What a command handler sees of its session (DESIGN principle 2): typed in, typed responses out.
 * Handlers never touch sockets or bytes; the session serializes what they send.
 */
import type { Authenticator } from '../../auth/authenticator.js';
import type { Logger } from '../../shared/logger.js';
import type { MailStore } from '../../store/store.js';
import type { Account, Mailbox } from '../../store/types.js';
import type { SelectedState } from './selected.js';
import type { Command, CommandKind, ParseEvent, ResponseCode, Response } from './wire/index.js';

export type SessionState = 'notAuthenticated' | 'authenticated' | 'selected' | 'logout';

export interface ImapServerOptions {
  hostname: string;
  trustedNetworks: readonly string[];
  /** Largest APPEND we accept (RFC 7889 APPENDLIMIT). */
  appendLimit: number;
}

/** The tagged completion of a command. */
export interface CommandResult {
  status: 'OK' | 'NO' | 'BAD';
  code?: ResponseCode | null;
  text: string;
  /** Runs after the tagged response is on the wire (STARTTLS upgrade, COMPRESS start, LOGOUT close). */
  after?: () => Promise<void> | void;
}

export interface SessionContext {
  readonly store: MailStore;
  readonly auth: Authenticator;
  readonly options: ImapServerOptions;
  readonly logger: Logger;
  readonly state: SessionState;
  readonly account: Account | null;
  readonly selected: SelectedState | null;
  readonly secure: boolean;
  readonly compressed: boolean;
  readonly remoteAddress: string;
  readonly localAddress: string;
  /** Upper-cased extensions the client turned on with ENABLE (CONDSTORE, QRESYNC, UTF8=ACCEPT, IMAP4REV2). */
  readonly enabled: ReadonlySet<string>;
  /** CONDSTORE is on for this session: enabled, or implied by a CONDSTORE-aware command (RFC 7162 §3.1). */
  readonly condstore: boolean;
  /** SEARCHRES saved result (RFC 5182), as UIDs. */
  savedSearch: number[] | null;

  /** Queues an untagged or continuation response. */
  send(r: Response): void;
  /** Sends what is queued and waits while the client is slow to read (bounded memory for big FETCHes). */
  drain(): Promise<void>;
  /** Current capability list for this state (CAPABILITY command and response code). */
  capabilities(): string[];
  /** Whether plaintext login is allowed on this connection (TLS, or a trusted client address). */
  loginAllowed(): boolean;
  /** After a successful LOGIN/AUTHENTICATE. */
  loggedIn(account: Account): void;
  /** UNAUTHENTICATE (RFC 8437): back to not authenticated, keeping the connection and TLS. */
  loggedOut(): void;
  /** Enters selected state with a fresh view of the mailbox (unselecting any previous one). */
  select(mailbox: Mailbox, readOnly: boolean): Promise<SelectedState>;
  /** Leaves selected state (CLOSE, UNSELECT, failed SELECT). */
  unselect(): void;
  /** Records extensions turned on; returns those newly enabled. */
  enable(names: readonly string[]): string[];
  /** Marks CONDSTORE as on for the rest of the session (RFC 7162 §3.1: implied by CONDSTORE-aware commands). */
  enableCondstore(): void;
  /** Reads the next client line in a sub-mode: AUTHENTICATE responses or IDLE's DONE. */
  readLine(mode: 'authenticate' | 'idle'): Promise<ParseEvent>;
  /** During IDLE: tells changes to the client as they happen until the returned function is called. */
  watch(): () => void;
  /** Sends pending mailbox changes now (expunges only where allowed). */
  flushChanges(allowExpunges: boolean): void;
  /** STARTTLS: upgrades the connection (called from a result's `after`). */
  startTls(): Promise<void>;
  /** COMPRESS=DEFLATE: starts compression (called from a result's `after`). */
  startCompression(): void;
  /** Ends the session (LOGOUT's `after`). */
  close(): void;
}

/**
 * The command type of one kind. Distributes over the union, so commands sharing an interface with a
 * union of kinds (DELETE / SUBSCRIBE / ... in MailboxCommand) narrow too, which Extract<> cannot do.
 */
export type CommandOf<K extends CommandKind> = Command extends infer C
  ? C extends { kind: infer CK } ? (K extends CK ? C & { kind: K } : never) : never
  : never;

export interface CommandSpec<K extends CommandKind = CommandKind> {
  readonly name: K;
  readonly states: readonly SessionState[];
  /**
   * False when EXPUNGE responses must wait until after this command: FETCH, STORE and SEARCH by
   * message number (RFC 9051 §7.5.1), and SORT/THREAD which also answer with message numbers.
   */
  readonly allowsExpunges?: (cmd: CommandOf<K>) => boolean;
  run(ctx: SessionContext, cmd: CommandOf<K>): Promise<CommandResult>;
}

export const ok = (text = 'completed', code: ResponseCode | null = null): CommandResult => ({ status: 'OK', code, text });
export const no = (text: string, code: ResponseCode | null = null): CommandResult => ({ status: 'NO', code, text });
export const bad = (text: string, code: ResponseCode | null = null): CommandResult => ({ status: 'BAD', code, text });
