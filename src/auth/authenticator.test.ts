import { describe, expect, it } from 'vitest';
import type { Account } from '../store/types.js';
import { LIMITS } from '../shared/limits.js';
import { Authenticator, isTrusted, type AccountLookup } from './authenticator.js';
import { hashPassword } from './password.js';

const fast = { ln: 10, r: 8, p: 1 };

async function setup() {
  const accounts = new Map<string, Account>();
  const add = async (id: number, address: string, password: string, settings: Record<string, unknown> = {}, params = fast) => {
    accounts.set(address.toLowerCase(), {
      id, address, passwordHash: await hashPassword(password, params), modseq: 1, quotaBytes: null, usedBytes: 0,
      createdAt: 0, settings,
    });
  };
  await add(1, 'alice@example.com', 'alice-pw');
  await add(2, 'off@example.com', 'off-pw', { disabled: true });
  let lookups = 0;
  const store: AccountLookup = {
    getAccountByAddress: async (a: string) => {
      lookups++;
      return accounts.get(a.toLowerCase()) ?? null;
    },
  };
  const clock = { now: 5_000_000 };
  const waits: number[] = [];
  const auth = new Authenticator(store, {
    now: () => clock.now, hashParams: fast, sleep: async (ms) => {
      waits.push(ms);
      clock.now += ms;
    },
  });
  return { auth, accounts, waits, clock, lookups: () => lookups, add };
}

describe('Authenticator', () => {
  it('logs in with the right password, case-insensitively on the address', async () => {
    const { auth } = await setup();
    const r = await auth.login('Alice@Example.com', 'alice-pw', '192.0.2.1');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.account.id).toBe(1);
  });

  it('answers unknown users and wrong passwords the same way', async () => {
    const { auth } = await setup();
    expect(await auth.login('alice@example.com', 'wrong', '192.0.2.1')).toEqual({ ok: false, reason: 'invalid' });
    expect(await auth.login('nobody@example.com', 'alice-pw', '192.0.2.2')).toEqual({ ok: false, reason: 'invalid' });
    expect(await auth.login('', 'x', '192.0.2.3')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('checks unknown users against a real (dummy) scrypt hash', async () => {
    const { auth } = await setup();
    const t0 = process.hrtime.bigint();
    await auth.login('nobody@example.com', 'x', '192.0.2.2');
    await auth.login('nobody@example.com', 'x', '192.0.2.2');
    // Two ln=10 verifies take measurable time; a lookup-only answer would take microseconds.
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeGreaterThan(0.5);
  });

  it('tells "disabled" only after the right password', async () => {
    const { auth } = await setup();
    expect(await auth.login('off@example.com', 'off-pw', '192.0.2.1')).toEqual({ ok: false, reason: 'disabled' });
    expect(await auth.login('off@example.com', 'wrong', '192.0.2.1')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('rejects overlong passwords without hashing them', async () => {
    const { auth } = await setup();
    const r = await auth.login('alice@example.com', 'x'.repeat(LIMITS.auth.passwordBytes + 1), '192.0.2.1');
    expect(r).toEqual({ ok: false, reason: 'invalid' });
  });

  it('delays attempts after the allowed failures, and a success resets that account from that IP', async () => {
    const { auth, waits } = await setup();
    for (let i = 0; i < LIMITS.auth.failuresPerIpBeforeDelay; i++) await auth.login('alice@example.com', 'bad', '192.0.2.7');
    expect(waits).toEqual([]);
    await auth.login('alice@example.com', 'bad', '192.0.2.7');
    expect(waits).toEqual([1000]);
    // The right password still works, after the wait.
    expect((await auth.login('alice@example.com', 'alice-pw', '192.0.2.7')).ok).toBe(true);
    expect(waits).toEqual([1000, 2000]);
    // The success cleared alice's failures from that IP.
    await auth.login('alice@example.com', 'alice-pw', '192.0.2.7');
    expect(waits).toEqual([1000, 2000]);
  });

  it('serves repeated logins from the verified cache, and not after a password change', async () => {
    const { auth, add } = await setup();
    // A costly hash (~20-50 ms a verify) makes a cache hit obvious.
    await add(1, 'alice@example.com', 'alice-pw', {}, { ln: 14, r: 8, p: 1 });
    await auth.login('alice@example.com', 'alice-pw', '192.0.2.1');
    expect(auth.cache.size).toBe(1);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 50; i++) expect((await auth.login('alice@example.com', 'alice-pw', '192.0.2.1')).ok).toBe(true);
    const perLoginMs = Number(process.hrtime.bigint() - t0) / 1e6 / 50;
    expect(perLoginMs).toBeLessThan(5);
    await add(1, 'alice@example.com', 'new-pw');
    expect((await auth.login('alice@example.com', 'alice-pw', '192.0.2.1')).ok).toBe(false);
    expect((await auth.login('alice@example.com', 'new-pw', '192.0.2.1')).ok).toBe(true);
  });

  it('does not cache failures', async () => {
    const { auth } = await setup();
    await auth.login('alice@example.com', 'nope', '192.0.2.1');
    expect(auth.cache.size).toBe(0);
  });
});

describe('isTrusted', () => {
  it('trusts the server`s own address of the connection', () => {
    expect(isTrusted('203.0.113.5', '203.0.113.5', [])).toBe(true);
    expect(isTrusted('::ffff:203.0.113.5', '203.0.113.5', [])).toBe(true);
    expect(isTrusted('127.0.0.1', '127.0.0.1', [])).toBe(true);
    expect(isTrusted('::1', '::1', [])).toBe(true);
    expect(isTrusted('::ffff:127.0.0.1', '::ffff:127.0.0.1', [])).toBe(true);
  });

  it('does not trust another loopback address unless listed', () => {
    expect(isTrusted('127.0.0.2', '127.0.0.1', [])).toBe(false);
    expect(isTrusted('::1', '127.0.0.1', [])).toBe(false);
    expect(isTrusted('127.0.0.2', '127.0.0.1', ['127.0.0.0/8'])).toBe(true);
  });

  it('does not trust other clients unless in a trusted network', () => {
    expect(isTrusted('203.0.113.6', '203.0.113.5', [])).toBe(false);
    expect(isTrusted('127.0.0.1', '203.0.113.5', [])).toBe(false);
    expect(isTrusted('10.1.2.3', '203.0.113.5', ['10.0.0.0/8'])).toBe(true);
    expect(isTrusted('::ffff:10.1.2.3', '::ffff:203.0.113.5', ['192.168.0.0/16', '10.0.0.0/8'])).toBe(true);
    expect(isTrusted('fd00::5', '2001:db8::1', ['fd00::/8'])).toBe(true);
    expect(isTrusted('11.1.2.3', '203.0.113.5', ['10.0.0.0/8'])).toBe(false);
    expect(isTrusted('garbage', '203.0.113.5', ['0.0.0.0/0'])).toBe(false);
    expect(isTrusted('10.0.0.1', '203.0.113.5', ['not-a-cidr'])).toBe(false);
  });
});
