/**
 * Failed-login throttling. Failures are counted per client address and per account name over
 * LIMITS.auth.failureWindowMs; once either count reaches its allowance, every further attempt waits
 * before it is answered, 1 s, 2 s, 4 s … up to LIMITS.auth.maxDelayMs. Delays, never lockouts: a
 * flood of guesses against one account slows the guesser down without locking its owner out.
 *
 * A successful login clears that account's failures from that address (the user mistyped, then got
 * it right), from both counters. IPv6 clients are counted per /64, the block one subscriber gets.
 * Memory is bounded: each map keeps at most `maxKeys` keys (the least recently failing go first) and
 * each key at most `maxPerKey` failures.
 */
import { parseIp } from '../config/ip.js';
import { LIMITS } from '../shared/limits.js';

export interface ThrottleOptions {
  now?: () => number;
  windowMs?: number;
  failuresPerIp?: number;
  failuresPerAccount?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxKeys?: number;
}

interface Failure {
  at: number;
  ip: string;
  account: string;
}

/** The counting key of a client address: IPv4 as is (mapped IPv6 folded), IPv6 by its /64. */
export function ipKey(ip: string): string {
  const b = parseIp(ip);
  if (b === null) return ip;
  if (b.length === 4) return b.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 8; i += 2) groups.push((((b[i] ?? 0) << 8) | (b[i + 1] ?? 0)).toString(16));
  return `${groups.join(':')}::/64`;
}

export function accountKey(username: string): string {
  return username.trim().toLowerCase();
}

const MAX_PER_KEY = 64;

export class LoginThrottle {
  private readonly byIp = new Map<string, Failure[]>();
  private readonly byAccount = new Map<string, Failure[]>();
  private readonly now: () => number;
  private readonly windowMs: number;
  private readonly perIp: number;
  private readonly perAccount: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxKeys: number;

  constructor(opts: ThrottleOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.windowMs = opts.windowMs ?? LIMITS.auth.failureWindowMs;
    this.perIp = opts.failuresPerIp ?? LIMITS.auth.failuresPerIpBeforeDelay;
    this.perAccount = opts.failuresPerAccount ?? LIMITS.auth.failuresPerAccountBeforeDelay;
    this.baseDelayMs = opts.baseDelayMs ?? 1000;
    this.maxDelayMs = opts.maxDelayMs ?? LIMITS.auth.maxDelayMs;
    this.maxKeys = opts.maxKeys ?? 100_000;
  }

  /** Recent failures of a key, dropping those older than the window. */
  private recent(map: Map<string, Failure[]>, key: string): Failure[] {
    const list = map.get(key);
    if (list === undefined) return [];
    const cutoff = this.now() - this.windowMs;
    const kept = list.filter((f) => f.at > cutoff);
    if (kept.length === 0) map.delete(key);
    else if (kept.length !== list.length) map.set(key, kept);
    return kept;
  }

  /** How long to wait before answering a login attempt from `ip` for `username`. */
  delayFor(ip: string, username: string): number {
    const overIp = this.recent(this.byIp, ipKey(ip)).length - this.perIp;
    const overAccount = this.recent(this.byAccount, accountKey(username)).length - this.perAccount;
    const over = Math.max(overIp, overAccount);
    if (over < 0) return 0;
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(over, 30));
  }

  recordFailure(ip: string, username: string): void {
    const f: Failure = { at: this.now(), ip: ipKey(ip), account: accountKey(username) };
    this.push(this.byIp, f.ip, f);
    this.push(this.byAccount, f.account, f);
  }

  recordSuccess(ip: string, username: string): void {
    const k = ipKey(ip);
    const a = accountKey(username);
    const drop = (map: Map<string, Failure[]>, key: string): void => {
      const list = map.get(key);
      if (list === undefined) return;
      const kept = list.filter((f) => f.ip !== k || f.account !== a);
      if (kept.length === 0) map.delete(key);
      else map.set(key, kept);
    };
    drop(this.byIp, k);
    drop(this.byAccount, a);
  }

  /** Keys currently tracked (for tests and metrics). */
  get size(): { ips: number; accounts: number } {
    return { ips: this.byIp.size, accounts: this.byAccount.size };
  }

  private push(map: Map<string, Failure[]>, key: string, f: Failure): void {
    const list = this.recent(map, key);
    list.push(f);
    if (list.length > MAX_PER_KEY) list.shift();
    map.delete(key);
    map.set(key, list);
    this.evict(map);
  }

  private evict(map: Map<string, Failure[]>): void {
    // The oldest key is the least recently failing: drop it when full, or when its failures expired.
    const cutoff = this.now() - this.windowMs;
    for (const [key, list] of map) {
      const last = list[list.length - 1];
      if (map.size <= this.maxKeys && last !== undefined && last.at > cutoff) break;
      map.delete(key);
    }
  }
}
