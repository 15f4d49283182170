import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.js';
import { mxMatches, parsePolicy, stsRecordId } from './mta-sts-policy.js';

const POLICY = ['version: STSv1', 'mode: enforce', 'mx: mx1.example.com', 'mx: *.example.net.', 'max_age: 86400'];

describe('MTA-STS TXT record (RFC 8461 §3.1)', () => {
  it('finds the id of the one STSv1 record (chunks joined, other records ignored)', () => {
    expect(stsRecordId([['v=STSv1; id=20160831085700Z;']])).toBe('20160831085700Z');
    expect(stsRecordId([['v=spf1 -all'], ['v=STSv1;', ' id=abc123']])).toBe('abc123');
  });

  it('has no policy without a record, with two, with a bad id or another version', () => {
    expect(stsRecordId([])).toBeNull();
    expect(stsRecordId([['v=STSv1; id=a'], ['v=STSv1; id=b']])).toBeNull();
    expect(stsRecordId([['v=STSv1; id=not-alnum!']])).toBeNull();
    expect(stsRecordId([['v=STSv2; id=a']])).toBeNull();
    expect(stsRecordId([['v=STSv1;']])).toBeNull();
  });
});

describe('MTA-STS policy file (RFC 8461 §3.2)', () => {
  it('parses a valid policy with CRLF or LF line ends', () => {
    const want = { mode: 'enforce', mx: ['mx1.example.com', '*.example.net'], maxAge: 86400 };
    expect(parsePolicy(POLICY.join('\r\n') + '\r\n')).toEqual({ ok: true, value: want });
    expect(parsePolicy(POLICY.join('\n'))).toEqual({ ok: true, value: want });
  });

  it('ignores unknown keys and takes the first of a repeated key', () => {
    const r = parsePolicy(['version: STSv1', 'mode: testing', 'colour: blue', 'mode: enforce', 'mx: a.example', 'max_age: 5'].join('\n'));
    expect(r).toEqual({ ok: true, value: { mode: 'testing', mx: ['a.example'], maxAge: 5 } });
  });

  it('refuses a wrong version, mode, max_age or mx; caps max_age', () => {
    expect(parsePolicy(POLICY.map((l) => l.replace('STSv1', 'STSv2')).join('\n')).ok).toBe(false);
    expect(parsePolicy(POLICY.filter((l) => !l.startsWith('version')).join('\n')).ok).toBe(false);
    expect(parsePolicy(POLICY.map((l) => l.replace('enforce', 'strict')).join('\n')).ok).toBe(false);
    expect(parsePolicy(POLICY.filter((l) => !l.startsWith('max_age')).join('\n')).ok).toBe(false);
    expect(parsePolicy(POLICY.filter((l) => !l.startsWith('mx')).join('\n')).ok).toBe(false);
    expect(parsePolicy([...POLICY, 'mx: a.*.example'].join('\n')).ok).toBe(false);
    expect(parsePolicy('<html>not a policy</html>').ok).toBe(false);
    expect(parsePolicy('version: STSv1\nmode: none\nmax_age: 9999999999\n')).toEqual({ ok: true, value: { mode: 'none', mx: [], maxAge: LIMITS.mtaSts.maxAgeSeconds } });
  });
});

describe('MX matching (RFC 8461 §4.1)', () => {
  it('matches names exactly (case-insensitive) and a wildcard for one leftmost label only', () => {
    expect(mxMatches('mx.example.com', 'MX.Example.com.')).toBe(true);
    expect(mxMatches('mx.example.com', 'mx2.example.com')).toBe(false);
    expect(mxMatches('*.example.com', 'mx1.example.com')).toBe(true);
    expect(mxMatches('*.example.com', 'example.com')).toBe(false);
    expect(mxMatches('*.example.com', 'a.b.example.com')).toBe(false);
    expect(mxMatches('*.example.com', 'mx1.example.org')).toBe(false);
  });
});
