import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeLoginStep, decodePlain, LOGIN_PROMPTS, parseSaslMechanism, SaslExchange } from './sasl.js';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('decodeBase64', () => {
  it('accepts strict base64 only', () => {
    expect(decodeBase64('AGZvbwBiYXI=')?.toString('latin1')).toBe('\0foo\0bar');
    expect(decodeBase64('')?.length).toBe(0);
    expect(decodeBase64('YQ==')?.toString()).toBe('a');
    expect(decodeBase64(Buffer.from('YWI='))?.toString()).toBe('ab');
    for (const bad of ['YQ=', 'YQ', 'Y===', 'YQ==YQ==', 'Y Q==', 'YQ=a', 'a$bc', '=AAA']) expect(decodeBase64(bad), bad).toBeNull();
  });

  it('knows the LOGIN prompts', () => {
    expect(Buffer.from(LOGIN_PROMPTS.username, 'base64').toString()).toBe('Username:');
    expect(Buffer.from(LOGIN_PROMPTS.password, 'base64').toString()).toBe('Password:');
  });
});

describe('decodePlain (RFC 4616)', () => {
  it('decodes with and without authzid', () => {
    expect(decodePlain(b('\0tim\0tanstaaftanstaaf'))).toEqual({ ok: true, username: 'tim', password: 'tanstaaftanstaaf' });
    expect(decodePlain(b('tim\0tim\0pw'))).toEqual({ ok: true, username: 'tim', password: 'pw' });
    expect(decodePlain(b('\0jürgen@example.org\0pässword'))).toEqual({ ok: true, username: 'jürgen@example.org', password: 'pässword' });
  });

  it('refuses to act as another user', () => {
    expect(decodePlain(b('Ursel\0Kurt\0xipj3plmq'))).toEqual({ ok: false, error: 'Cannot authorize as another user' });
  });

  it.each([
    ['no NUL', 'timpw'],
    ['one NUL', 'tim\0pw'],
    ['three NULs', '\0tim\0p\0w'],
    ['empty user', '\0\0pw'],
    ['empty password', '\0tim\0'],
  ])('rejects %s', (_name, msg) => {
    expect(decodePlain(b(msg)).ok).toBe(false);
  });

  it('rejects invalid UTF-8', () => {
    expect(decodePlain(Buffer.from([0, 0xff, 0, 0x61])).ok).toBe(false);
  });
});

describe('decodeLoginStep', () => {
  it('returns UTF-8 text, null for NUL or bad UTF-8', () => {
    expect(decodeLoginStep(b('alice'))).toBe('alice');
    expect(decodeLoginStep(b('a\0b'))).toBeNull();
    expect(decodeLoginStep(Buffer.from([0xc3]))).toBeNull();
  });
});

describe('SaslExchange', () => {
  it('PLAIN without an initial response asks with an empty challenge', () => {
    const x = new SaslExchange('PLAIN');
    expect(x.start(null)).toEqual({ kind: 'challenge', challenge: '' });
    expect(x.respond(b('\0a@b.c\0pw'))).toEqual({ kind: 'done', username: 'a@b.c', password: 'pw' });
    expect(x.respond(b('\0a@b.c\0pw')).kind).toBe('fail');
  });

  it('PLAIN with an initial response finishes at once; "=" (empty) fails', () => {
    expect(new SaslExchange('PLAIN').start(b('\0a\0b'))).toEqual({ kind: 'done', username: 'a', password: 'b' });
    expect(new SaslExchange('PLAIN').start(Buffer.alloc(0)).kind).toBe('fail');
  });

  it('LOGIN asks for the user name then the password', () => {
    const x = new SaslExchange('LOGIN');
    expect(x.start(null)).toEqual({ kind: 'challenge', challenge: 'VXNlcm5hbWU6' });
    expect(x.respond(b('alice@example.com'))).toEqual({ kind: 'challenge', challenge: 'UGFzc3dvcmQ6' });
    expect(x.respond(b('secret'))).toEqual({ kind: 'done', username: 'alice@example.com', password: 'secret' });
  });

  it('LOGIN takes the user name as the initial response (SMTP AUTH LOGIN dXNlcg==)', () => {
    const x = new SaslExchange('LOGIN');
    expect(x.start(b('user'))).toEqual({ kind: 'challenge', challenge: 'UGFzc3dvcmQ6' });
    expect(x.respond(b('pw'))).toEqual({ kind: 'done', username: 'user', password: 'pw' });
  });

  it('LOGIN fails on an empty user name or bad text', () => {
    const x = new SaslExchange('LOGIN');
    x.start(null);
    expect(x.respond(Buffer.alloc(0)).kind).toBe('fail');
    const y = new SaslExchange('LOGIN');
    y.start(null);
    expect(y.respond(Buffer.from([0xff])).kind).toBe('fail');
  });

  it('parses mechanism names case-insensitively', () => {
    expect(parseSaslMechanism('plain')).toBe('PLAIN');
    expect(parseSaslMechanism('LOGIN')).toBe('LOGIN');
    expect(parseSaslMechanism('CRAM-MD5')).toBeNull();
  });
});
