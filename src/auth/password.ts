/**
 * Password hashing with scrypt (RFC 7914) from node:crypto. The async API runs on the libuv
 * thread pool, so a login never blocks the event loop.
 *
 * Stored form (PHC string format): `$scrypt$ln=15,r=8,p=1$<salt>$<key>`, salt and key in unpadded
 * base64. The parameters travel with each hash, so the defaults can be raised later and old hashes
 * still verify (and can be re-hashed at the next login, see needsRehash).
 *
 * Passwords are normalised to Unicode NFC first (as RFC 8265's OpaqueString profile does), so the
 * same password typed on different systems verifies.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { LIMITS } from '../shared/limits.js';

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  ln: number;
  r: number;
  p: number;
}

/** About 50–100 ms and 32 MiB per hash on a current server core. */
export const DEFAULT_SCRYPT: ScryptParams = { ln: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Bounds on parameters read back from a stored hash (a corrupt or hostile row must not exhaust memory).
const MAX_LN = 20;
const MAX_R = 32;
const MAX_P = 16;

export class PasswordTooLongError extends Error {
  constructor() {
    super(`Password longer than ${LIMITS.auth.passwordBytes} bytes`);
    this.name = 'PasswordTooLongError';
  }
}

function derive(password: Buffer, salt: Buffer, params: ScryptParams, keyLen: number): Promise<Buffer> {
  const n = 2 ** params.ln;
  const opts: ScryptOptions = { N: n, r: params.r, p: params.p, maxmem: 128 * n * params.r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLen, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** The password as hashed: NFC-normalised UTF-8; null when longer than LIMITS.auth.passwordBytes. */
function passwordBytes(password: string): Buffer | null {
  if (password.length > LIMITS.auth.passwordBytes) return null;
  const b = Buffer.from(password.normalize('NFC'), 'utf8');
  return b.length > LIMITS.auth.passwordBytes ? null : b;
}

const b64 = (b: Buffer): string => b.toString('base64').replace(/=+$/, '');

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const pw = passwordBytes(password);
  if (pw === null) throw new PasswordTooLongError();
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(pw, salt, params, KEY_BYTES);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

export interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

const HASH_RE = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{11,88})\$([A-Za-z0-9+/]{22,88})$/;

/** Parses a stored hash; null when it is not one of ours or its parameters are out of bounds. */
export function parseHash(stored: string): ParsedHash | null {
  const m = HASH_RE.exec(stored);
  if (m === null) return null;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.ln < 1 || params.ln > MAX_LN || params.r < 1 || params.r > MAX_R || params.p < 1 || params.p > MAX_P) return null;
  const key = Buffer.from(m[5] ?? '', 'base64');
  if (key.length < 16) return null;
  return { params, salt: Buffer.from(m[4] ?? '', 'base64'), key };
}

/** Checks a password against a stored hash in constant time. False for malformed hashes and overlong passwords. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  const pw = passwordBytes(password);
  if (parsed === null || pw === null) return false;
  const key = await derive(pw, parsed.salt, parsed.params, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

/** True when a stored hash uses weaker parameters than `params` (re-hash it after a successful login). */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const parsed = parseHash(stored);
  if (parsed === null) return true;
  const p = parsed.params;
  return p.ln < params.ln || p.r < params.r || p.p < params.p;
}
