import { describe, expect, it } from 'vitest';
import { LIMITS } from '../shared/limits.js';
import { DEFAULT_SCRYPT, hashPassword, needsRehash, parseHash, PasswordTooLongError, verifyPassword } from './password.js';

const fast = { ln: 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('hashes to a self-describing string that verifies', async () => {
    const h = await hashPassword('correct horse', fast);
    expect(h).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword('correct horse', h)).toBe(true);
    expect(await verifyPassword('correct horsf', h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
  });

  it('uses a fresh salt each time', async () => {
    expect(await hashPassword('x', fast)).not.toBe(await hashPassword('x', fast));
  });

  it('uses N=2^15 r=8 p=1 by default', async () => {
    const h = await hashPassword('pw');
    expect(parseHash(h)?.params).toEqual(DEFAULT_SCRYPT);
    expect(await verifyPassword('pw', h)).toBe(true);
  });

  it('normalises Unicode (NFC) so composed and decomposed forms match', async () => {
    const h = await hashPassword('caf\u00e9', fast);
    expect(await verifyPassword('cafe\u0301', h)).toBe(true);
  });

  it('rejects overlong passwords', async () => {
    const long = 'a'.repeat(LIMITS.auth.passwordBytes + 1);
    await expect(hashPassword(long, fast)).rejects.toBeInstanceOf(PasswordTooLongError);
    const okLength = 'a'.repeat(LIMITS.auth.passwordBytes);
    const h = await hashPassword(okLength, fast);
    expect(await verifyPassword(okLength, h)).toBe(true);
    expect(await verifyPassword(long, h)).toBe(false);
    // Multi-byte characters count in bytes.
    await expect(hashPassword('é'.repeat(LIMITS.auth.passwordBytes / 2 + 1), fast)).rejects.toThrow(/longer than/);
  });

  it('refuses malformed or hostile stored hashes', async () => {
    const h = await hashPassword('pw', fast);
    expect(await verifyPassword('pw', 'plain')).toBe(false);
    expect(await verifyPassword('pw', h.replace('ln=10', 'ln=40'))).toBe(false);
    expect(await verifyPassword('pw', h.replace('r=8', 'r=99'))).toBe(false);
    expect(await verifyPassword('pw', h.replace('$scrypt$', '$argon2id$'))).toBe(false);
    expect(parseHash('$scrypt$ln=0,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43))).toBeNull();
  });

  it('tells when a hash is weaker than the current parameters', async () => {
    expect(needsRehash(await hashPassword('pw', fast))).toBe(true);
    expect(needsRehash(await hashPassword('pw', fast), fast)).toBe(false);
    expect(needsRehash('garbage')).toBe(true);
  });
});
