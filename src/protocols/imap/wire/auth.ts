/**
 * LOGIN and AUTHENTICATE (RFC 9051 §6.2.2, §6.2.3, RFC 4959 SASL-IR) and the AUTHENTICATE
 * continuation lines (a base64 response or "*" to cancel).
 */
import type { Reader } from './reader.js';
import type { AuthenticateCommand, LoginCommand } from './types.js';

/**
 * Strict base64 (RFC 4648 §4; RFC 9051 "base64"): only the alphabet, length a multiple of 4,
 * "=" padding only at the end. Returns null when invalid. Node's decoder alone is lenient.
 */
export function decodeBase64Strict(text: Buffer | string): Buffer | null {
  const s = typeof text === 'string' ? text : text.toString('latin1');
  if (s.length % 4 !== 0) return null;
  let pad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok =
      (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
    if (ok) {
      if (pad > 0) return null;
    } else if (c === 0x3d && i >= s.length - 2) {
      pad++;
    } else return null;
  }
  return Buffer.from(s, 'base64');
}

/** login = "LOGIN" SP userid SP password */
export function parseLogin(r: Reader, tag: string): LoginCommand {
  r.sp();
  const username = r.astring();
  r.sp();
  const password = r.astring();
  return { tag, kind: 'LOGIN', username, password };
}

/** authenticate = "AUTHENTICATE" SP auth-type [SP (base64 / "=")] (RFC 4959 §7) */
export function parseAuthenticate(r: Reader, tag: string): AuthenticateCommand {
  r.sp();
  const mechanism = r.keyword();
  let initialResponse: Buffer | null = null;
  if (r.eat(0x20)) {
    const text = r.atom();
    if (text === '=') initialResponse = Buffer.alloc(0);
    else {
      initialResponse = decodeBase64Strict(text);
      if (initialResponse === null) r.fail('Invalid base64 in initial response');
    }
  }
  return { tag, kind: 'AUTHENTICATE', mechanism, initialResponse };
}

/** What a line sent during an AUTHENTICATE exchange means (RFC 9051 §6.2.2). */
export type AuthLine = { type: 'authResponse'; data: Buffer } | { type: 'authCancel' } | { type: 'invalid' };

export function parseAuthLine(line: Buffer): AuthLine {
  if (line.length === 1 && line[0] === 0x2a) return { type: 'authCancel' };
  const data = decodeBase64Strict(line);
  return data === null ? { type: 'invalid' } : { type: 'authResponse', data };
}
