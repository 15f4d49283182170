import { describe, expect, it } from 'vitest';
import { receivedHeader, rfc5322Date, withProtocol, type ReceivedInfo } from './received.js';

const base: ReceivedInfo = {
  helo: 'client.example', ip: '192.0.2.1', by: 'mail.example.org', esmtp: true, tls: false, authenticated: false,
  utf8: false, id: 'abc123', date: new Date(Date.UTC(2023, 0, 3, 9, 5, 7)),
};

describe('receivedHeader (RFC 5321 §4.4)', () => {
  it('writes the from/by/with/id/for clauses, folded, ending in CRLF', () => {
    expect(receivedHeader({ ...base, recipient: 'bob@example.org', clientHostname: 'host.example' })).toBe(
      'Received: from client.example (host.example [192.0.2.1])\r\n\tby mail.example.org (Roost) with ESMTP id abc123\r\n' +
      '\tfor <bob@example.org>;\r\n\tTue, 3 Jan 2023 09:05:07 +0000\r\n');
  });

  it('names IPv6 clients as IPv6: literals and unwraps IPv4-mapped ones', () => {
    expect(receivedHeader({ ...base, ip: '2001:db8::1' })).toContain('[IPv6:2001:db8::1]');
    expect(receivedHeader({ ...base, ip: '::ffff:127.0.0.1' })).toContain('([127.0.0.1])');
  });

  it('keeps hostile client words from breaking the header', () => {
    const h = receivedHeader({ ...base, helo: 'evil\r\nX-Injected: yes (a)', recipient: 'a b@example.org' });
    expect(h.split('\r\n').every((l) => l === '' || l.startsWith('Received:') || l.startsWith('\t'))).toBe(true);
    expect(h).not.toContain('X-Injected: yes');
    expect(h).not.toContain('for <');
  });

  it('shows the TLS cipher and says "unknown" for a client without HELO', () => {
    const h = receivedHeader({ ...base, helo: '', tls: true, cipher: 'TLSv1.3:TLS_AES_256_GCM_SHA384' });
    expect(h).toContain('from unknown ([192.0.2.1])');
    expect(h).toContain('with ESMTPS (TLSv1.3:TLS_AES_256_GCM_SHA384) id');
  });
});

describe('withProtocol (RFC 3848, RFC 6531 §3.7.3)', () => {
  it.each([
    [{ esmtp: false, tls: true, authenticated: true, utf8: false }, 'SMTP'],
    [{ esmtp: true, tls: false, authenticated: false, utf8: false }, 'ESMTP'],
    [{ esmtp: true, tls: true, authenticated: false, utf8: false }, 'ESMTPS'],
    [{ esmtp: true, tls: true, authenticated: true, utf8: false }, 'ESMTPSA'],
    [{ esmtp: true, tls: false, authenticated: true, utf8: false }, 'ESMTPA'],
    [{ esmtp: true, tls: true, authenticated: true, utf8: true }, 'UTF8SMTPSA'],
  ])('%j → %s', (i, expected) => {
    expect(withProtocol(i)).toBe(expected);
  });
});

describe('rfc5322Date', () => {
  it('pads times but not the day', () => {
    expect(rfc5322Date(new Date(Date.UTC(2024, 11, 31, 23, 59, 0)))).toBe('Tue, 31 Dec 2024 23:59:00 +0000');
  });
});
