import { describe, expect, it } from 'vitest';
import { hasEnhancedCode, isSmtpReply, smtpError } from './reply.js';

describe('SMTP replies', () => {
  it('recognises RFC 3463 enhanced codes at the start of a text', () => {
    expect(hasEnhancedCode('5.7.1 Relay denied')).toBe(true);
    expect(hasEnhancedCode('4.3.0')).toBe(true);
    expect(hasEnhancedCode('2.6.0 ok')).toBe(true);
    expect(hasEnhancedCode('Error: 5.7.1')).toBe(false);
    expect(hasEnhancedCode('3.0.0 no')).toBe(false);
    expect(hasEnhancedCode('5.7.1x')).toBe(false);
  });

  it('makes errors smtp-server answers with their code', () => {
    const e = smtpError(550, '5.1.1 no such user');
    expect(isSmtpReply(e)).toBe(true);
    expect(e.responseCode).toBe(550);
    expect(isSmtpReply(new Error('x'))).toBe(false);
    expect(isSmtpReply('550')).toBe(false);
  });
});
