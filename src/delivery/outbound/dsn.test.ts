import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../mime/index.js';
import { rfc5322Date } from '../received.js';
import { buildDsn, originalHeader, statusOf } from './dsn.js';

const original = Buffer.from('From: <alice@a.test>\r\nTo: <bob@b.test>\r\nSubject: Hi\r\nMessage-ID: <x@a.test>\r\n\r\nSecret body\r\n');

describe('DSN (RFC 3464)', () => {
  it('takes the enhanced status code from the reply, or one from its class', () => {
    expect(statusOf('550 5.1.1 <bob@b.test>: no such user', true)).toBe('5.1.1');
    expect(statusOf('550 no such user', true)).toBe('5.0.0');
    expect(statusOf('ECONNREFUSED', false)).toBe('4.0.0');
  });

  it('builds a multipart/report with the status fields and the original header only', () => {
    const raw = buildDsn({
      reportingMta: 'mx.a.test', to: 'alice@a.test', action: 'failed', original, arrivalDate: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
      now: new Date(Date.UTC(2024, 0, 2, 4, 0, 0)),
      recipients: [{ recipient: 'bob@b.test', status: '5.1.1', smtpReply: '550 5.1.1 <bob@b.test>: no such user', text: 'refused', remoteMta: 'b.test' }],
    });
    const text = raw.toString('utf8');
    expect(text).not.toMatch(/(?<!\r)\n/);
    expect(text).toContain('From: Mail Delivery System <MAILER-DAEMON@mx.a.test>\r\nTo: <alice@a.test>\r\n');
    expect(text).toContain('Auto-Submitted: auto-replied');
    expect(text).toMatch(/Content-Type: multipart\/report; report-type=delivery-status; boundary="roost-dsn-[0-9a-f]+"/);
    expect(text).toContain('Reporting-MTA: dns; mx.a.test\r\nArrival-Date: Tue, 2 Jan 2024 03:04:05 +0000\r\n\r\n' +
      'Final-Recipient: rfc822; bob@b.test\r\nAction: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; b.test\r\n' +
      'Diagnostic-Code: smtp; 550 5.1.1 <bob@b.test>: no such user\r\n');
    expect(text).toContain('Content-Type: text/rfc822-headers\r\n\r\nFrom: <alice@a.test>\r\nTo: <bob@b.test>\r\nSubject: Hi\r\n');
    expect(text).not.toContain('Secret body');
    const parsed = parseMessage(raw);
    expect(parsed.subject).toBe('Undelivered Mail Returned to Sender');
    expect(parsed.root.children?.map((c) => `${c.type}/${c.subtype}`.toLowerCase())).toEqual(['text/plain', 'message/delivery-status', 'text/rfc822-headers']);
  });

  it('a delay notice says when Roost stops trying', () => {
    const text = buildDsn({
      reportingMta: 'h', to: 'a@a.test', action: 'delayed', original, arrivalDate: new Date(0), now: new Date(0), willRetryUntil: new Date(432_000_000),
      recipients: [{ recipient: 'b@b.test', status: '4.4.1', smtpReply: null, text: 'connection refused', remoteMta: null }],
    }).toString();
    expect(text).toContain('Action: delayed\r\nStatus: 4.4.1\r\n');
    expect(text).toContain('Will-Retry-Until: Tue, 6 Jan 1970 00:00:00 +0000');
    expect(text).not.toContain('Diagnostic-Code');
  });

  it('formats dates and cuts the header at the empty line', () => {
    expect(rfc5322Date(new Date(Date.UTC(2026, 10, 26, 9, 5, 3)))).toBe('Thu, 26 Nov 2026 09:05:03 +0000');
    expect(originalHeader(Buffer.from('A: b\r\n\r\nbody')).toString()).toBe('A: b\r\n');
    expect(originalHeader(Buffer.from('A: b\r\n')).toString()).toBe('A: b\r\n');
  });
});
