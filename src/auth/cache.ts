/**
 * The verified-credentials cache (Dovecot's auth cache idea): after a slow scrypt verify succeeds,
 * remember HMAC(key, account id ‖ stored hash ‖ password) for LIMITS.auth.verifiedCacheMs, so a busy
 * client that logs in again and again costs an HMAC instead of ~50 ms of scrypt.
 *
 * The key is random per process and never leaves memory, so the entries reveal nothing about the
 * passwords. The stored hash is part of the MAC: when a password is changed (even by the CLI in
 * another process), the account row carries a new hash and the old entry can no longer match.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { LIMITS } from '../shared/limits.js';

export interface VerifiedCacheOptions {
  ttlMs?: number;
  /** Entries kept at most; the oldest are dropped first. */
  maxEntries?: number;
  now?: () => number;
}

export class VerifiedCache {
  private readonly key = randomBytes(32);
  /** MAC (base64) → expiry time; Map order is insertion order, oldest first. */
  private readonly entries = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(opts: VerifiedCacheOptions = {}) {
    this.ttlMs = opts.ttlMs ?? LIMITS.auth.verifiedCacheMs;
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  private mac(accountId: number, storedHash: string, password: string): string {
    // Id and hash contain no NUL and the password comes last, so the encoding is unambiguous.
    return createHmac('sha256', this.key).update(`${accountId}\0${storedHash}\0`).update(password, 'utf8').digest('base64');
  }

  has(accountId: number, storedHash: string, password: string): boolean {
    const k = this.mac(accountId, storedHash, password);
    const expires = this.entries.get(k);
    if (expires === undefined) return false;
    if (expires <= this.now()) {
      this.entries.delete(k);
      return false;
    }
    return true;
  }

  add(accountId: number, storedHash: string, password: string): void {
    const k = this.mac(accountId, storedHash, password);
    this.entries.delete(k);
    this.entries.set(k, this.now() + this.ttlMs);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
