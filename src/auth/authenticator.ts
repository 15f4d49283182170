/**
 * Password logins for every protocol: the throttle, the verified-credentials cache and scrypt.
 *
 * A login never reveals whether an account exists: an unknown user costs the same scrypt verify (against
 * a dummy hash) and gets the same answer and delay as a wrong password. A throttled client waits before
 * its attempt is checked at all, whatever the outcome, so a guesser cannot cut a slow answer short to
 * learn that it was a failure. 'disabled' is only told to someone who gave the right password.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import type { MailStore } from '../store/store.js';
import type { Account } from '../store/types.js';
import { LIMITS } from '../shared/limits.js';
import { nullLogger, type Logger } from '../shared/logger.js';
import { VerifiedCache } from './cache.js';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword, type ScryptParams } from './password.js';
import { LoginThrottle } from './throttle.js';

export { isTrusted } from './trust.js';

/** What the authenticator needs from the store (a MailStore, or a stand-in in tests). */
export type AccountLookup = Pick<MailStore, 'getAccountByAddress'>;

export type LoginResult = { ok: true; account: Account } | { ok: false; reason: 'invalid' | 'disabled' };

export interface AuthenticatorOptions {
  now?: () => number;
  logger?: Logger;
  /** Parameters of the dummy hash unknown users are checked against (match the accounts' hashes). */
  hashParams?: ScryptParams;
  /** Replaces the wait (tests). */
  sleep?: (ms: number) => Promise<void>;
  throttle?: LoginThrottle;
  cache?: VerifiedCache;
}

/** An account is disabled when its settings say `disabled: true` (kept in the account's JSON settings). */
export function isDisabled(account: Account): boolean {
  return account.settings['disabled'] === true;
}

export class Authenticator {
  readonly throttle: LoginThrottle;
  readonly cache: VerifiedCache;
  private readonly logger: Logger;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly hashParams: ScryptParams;
  private dummy: Promise<string> | null = null;

  constructor(private readonly store: AccountLookup, opts: AuthenticatorOptions = {}) {
    const now = opts.now ?? Date.now;
    this.throttle = opts.throttle ?? new LoginThrottle({ now });
    this.cache = opts.cache ?? new VerifiedCache({ now });
    this.logger = opts.logger ?? nullLogger;
    this.wait = opts.sleep ?? ((ms) => sleep(ms).then(() => undefined));
    this.hashParams = opts.hashParams ?? DEFAULT_SCRYPT;
  }

  /** A hash of a random password nobody knows, made once, so unknown users cost a real verify. */
  private dummyHash(): Promise<string> {
    this.dummy ??= hashPassword(randomBytes(18).toString('base64'), this.hashParams);
    return this.dummy;
  }

  async login(username: string, password: string, remoteIp: string): Promise<LoginResult> {
    const delay = this.throttle.delayFor(remoteIp, username);
    if (delay > 0) {
      this.logger.info('login delayed', { user: username, ip: remoteIp, delayMs: delay });
      await this.wait(delay);
    }
    const account = await this.check(username, password);
    if (account === null) {
      this.throttle.recordFailure(remoteIp, username);
      this.logger.info('login failed', { user: username, ip: remoteIp });
      return { ok: false, reason: 'invalid' };
    }
    this.throttle.recordSuccess(remoteIp, username);
    if (isDisabled(account)) {
      this.logger.info('login refused: account disabled', { user: account.address, ip: remoteIp });
      return { ok: false, reason: 'disabled' };
    }
    return { ok: true, account };
  }

  /** The account when the password is right, else null; always one scrypt verify unless cached. */
  private async check(username: string, password: string): Promise<Account | null> {
    const tooLong = Buffer.byteLength(password, 'utf8') > LIMITS.auth.passwordBytes;
    const name = username.trim();
    const account = name === '' || name.length > 320 ? null : await this.store.getAccountByAddress(name);
    if (account !== null && !tooLong && this.cache.has(account.id, account.passwordHash, password)) return account;
    const hash = account?.passwordHash ?? (await this.dummyHash());
    // An overlong password is checked as an empty one: same cost, certain failure.
    const ok = await verifyPassword(tooLong ? '' : password, hash);
    if (!ok || account === null || tooLong) return null;
    this.cache.add(account.id, account.passwordHash, password);
    return account;
  }
}
