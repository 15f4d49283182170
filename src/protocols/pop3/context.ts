/** What POP3 command handlers see of their session, and what they return. */
import type { Authenticator } from '../../auth/authenticator.js';
import type { Logger } from '../../shared/logger.js';
import type { PopSettings } from '../../store/pop.js';
import type { MailStore } from '../../store/store.js';
import type { Account } from '../../store/types.js';
import type { Maildrop } from './maildrop.js';
import type { PopRegistry } from './registry.js';
import type { Pop3Command } from './wire/command.js';

/** RFC 1939 §3: AUTHORIZATION until a login succeeds, TRANSACTION until QUIT, then UPDATE. */
export type Pop3State = 'authorization' | 'transaction' | 'update';

export interface Pop3Options {
  hostname: string;
  trustedNetworks: readonly string[];
  /** RFC 2449 §6.8 LOGIN-DELAY in seconds; 0: none (not advertised). */
  loginDelaySeconds: number;
}

/** A logged-in session's maildrop and the settings it was opened with. */
export interface Pop3Drop {
  account: Account;
  inboxId: number;
  settings: PopSettings;
  maildrop: Maildrop;
}

export interface Pop3Context {
  readonly store: MailStore;
  readonly auth: Authenticator;
  readonly logger: Logger;
  readonly options: Pop3Options;
  readonly registry: PopRegistry;
  /** QUIT sets 'update' (RFC 1939 §6); the maildrop lock is then QUIT's to release. */
  state: Pop3State;
  readonly secure: boolean;
  readonly remoteAddress: string;
  /** The name a USER command gave, waiting for PASS. */
  pendingUser: string | null;
  utf8: boolean;
  readonly drop: Pop3Drop | null;
  /** Cleartext USER/PASS/AUTH may be used here: TLS, or a trusted client address. */
  loginAllowed(): boolean;
  /** Checks the password and opens the maildrop; the status line to send. */
  login(username: string, password: string): Promise<string>;
  /** Starts a SASL exchange; the session feeds it the client's next lines. */
  startSasl(mechanism: string, initial: string | null): Promise<Reply>;
  /** The read of message `n` started ahead for RETR (see Reply.readAhead), taken once; null when there is none. */
  takeReadAhead(n: number): Promise<Buffer> | null;
}

/**
 * A handler's answer: the status line, optionally a multi-line body (already stuffed and terminated),
 * and what the session does after sending it.
 */
export interface Reply {
  line: string;
  body?: Buffer[] | string;
  then?: 'close' | 'stls';
  /** Counts towards the errors-in-a-row limit. */
  error?: boolean;
  /**
   * After sending, read this message ahead while the client reads the answer: download clients RETR
   * 1, 2, 3 … one at a time, so the next read is off the round trip.
   */
  readAhead?: number;
}

export interface Pop3CommandSpec<N extends Pop3Command['name'] = Pop3Command['name']> {
  name: N;
  states: readonly Pop3State[];
  run(ctx: Pop3Context, cmd: Extract<Pop3Command, { name: N }>): Reply | Promise<Reply>;
}
