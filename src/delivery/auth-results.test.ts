import { describe, expect, it } from 'vitest';
import { withoutOwnAuthResults } from './auth-results.js';

const strip = (s: string, id = 'mx.example.org'): string => withoutOwnAuthResults(Buffer.from(s, 'latin1'), id).toString('latin1');

describe('withoutOwnAuthResults (RFC 8601 §5)', () => {
  it('removes fields that claim our authserv-id, folded ones and any case too, and keeps the rest exactly', () => {
    const msg = 'Received: x\r\nAuthentication-Results: MX.example.org; dkim=pass\r\n header.d=bank.example\r\n' +
      'authentication-results: (comment) mx.example.org;\r\n\tspf=pass\r\nAuthentication-Results: other.example; dkim=fail\r\n' +
      'Subject: hi\r\n\r\nAuthentication-Results: mx.example.org; in the body stays\r\n';
    expect(strip(msg)).toBe('Received: x\r\nAuthentication-Results: other.example; dkim=fail\r\nSubject: hi\r\n\r\nAuthentication-Results: mx.example.org; in the body stays\r\n');
  });

  it('returns the same bytes when there is nothing to remove, and copes with odd messages', () => {
    const msg = Buffer.from('Subject: x\r\n\r\nbody');
    expect(withoutOwnAuthResults(msg, 'mx.example.org')).toBe(msg);
    expect(strip('')).toBe('');
    expect(strip('Authentication-Results: mx.example.org; none')).toBe('');
    expect(strip('Authentication-Results: mx.example.org.evil; dkim=pass\n\nx')).toBe('Authentication-Results: mx.example.org.evil; dkim=pass\n\nx');
    expect(strip('No-Colon-Line\r\nAuthentication-Results:mx.example.org;x\n\nb')).toBe('No-Colon-Line\r\n\nb');
  });
});
