/**
 * SASL mechanisms shared by IMAP AUTHENTICATE, SMTP AUTH and POP3 AUTH: pure decoders and a tiny
 * per-exchange state machine. No I/O; the protocol writes the challenges ("+ …", "334 …") and
 * feeds back the client's lines (already base64-decoded, or as text via decodeBase64).
 */

/**
 * Strict base64 (RFC 4648 §4): only the alphabet, length a multiple of 4, "=" padding only at the
 * end. Null when invalid (Node's own decoder silently skips bad characters).
 */
export function decodeBase64(text: string | Buffer): Buffer | null {
  const s = typeof text === 'string' ? text : text.toString('latin1');
  if (s.length % 4 !== 0) return null;
  if (!/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s)) return null;
  return Buffer.from(s, 'base64');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(b: Uint8Array): string | null {
  try {
    return utf8.decode(b);
  } catch {
    return null;
  }
}

export type Credentials = { ok: true; username: string; password: string } | { ok: false; error: string };

/**
 * PLAIN (RFC 4616 §2): message = [authzid] NUL authcid NUL passwd. We do not let one user act as
 * another, so authzid must be empty or equal to authcid.
 */
export function decodePlain(message: Uint8Array): Credentials {
  const first = message.indexOf(0);
  const second = first < 0 ? -1 : message.indexOf(0, first + 1);
  if (first < 0 || second < 0 || message.indexOf(0, second + 1) >= 0) {
    return { ok: false, error: 'PLAIN needs authzid NUL authcid NUL password' };
  }
  const authzid = decodeUtf8(message.subarray(0, first));
  const authcid = decodeUtf8(message.subarray(first + 1, second));
  const password = decodeUtf8(message.subarray(second + 1));
  if (authzid === null || authcid === null || password === null) return { ok: false, error: 'PLAIN credentials are not UTF-8' };
  if (authcid === '') return { ok: false, error: 'PLAIN needs a user name' };
  if (password === '') return { ok: false, error: 'PLAIN needs a password' };
  if (authzid !== '' && authzid !== authcid) return { ok: false, error: 'Cannot authorize as another user' };
  return { ok: true, username: authcid, password };
}

/** The LOGIN mechanism's prompts (draft-murchison-sasl-login), base64 of "Username:" and "Password:". */
export const LOGIN_PROMPTS = { username: 'VXNlcm5hbWU6', password: 'UGFzc3dvcmQ6' } as const;

/** One LOGIN step's answer: UTF-8 text without NUL, or null. */
export function decodeLoginStep(data: Uint8Array): string | null {
  if (data.includes(0)) return null;
  return decodeUtf8(data);
}

export const SASL_MECHANISMS = ['PLAIN', 'LOGIN'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** The mechanism named (case-insensitively), or null when we do not offer it. */
export function parseSaslMechanism(name: string): SaslMechanism | null {
  const upper = name.toUpperCase();
  return SASL_MECHANISMS.find((m) => m === upper) ?? null;
}

/** What to do next in an exchange: send a challenge (base64, possibly ""), or it is finished. */
export type SaslStep =
  | { kind: 'challenge'; challenge: string }
  | { kind: 'done'; username: string; password: string }
  | { kind: 'fail'; error: string };

/**
 * One SASL exchange. `start` takes the initial response (SASL-IR / SMTP AUTH argument, already
 * decoded; an empty buffer for "="), or null when the client sent none; `respond` takes each
 * decoded client line after a challenge.
 */
export class SaslExchange {
  private username: string | null = null;
  private finished = false;

  constructor(readonly mechanism: SaslMechanism) {}

  start(initial: Uint8Array | null): SaslStep {
    if (this.mechanism === 'PLAIN') return initial === null ? { kind: 'challenge', challenge: '' } : this.respond(initial);
    if (initial === null || initial.length === 0) return { kind: 'challenge', challenge: LOGIN_PROMPTS.username };
    return this.respond(initial);
  }

  respond(data: Uint8Array): SaslStep {
    if (this.finished) return { kind: 'fail', error: 'Exchange already finished' };
    if (this.mechanism === 'PLAIN') {
      this.finished = true;
      const c = decodePlain(data);
      return c.ok ? { kind: 'done', username: c.username, password: c.password } : { kind: 'fail', error: c.error };
    }
    const text = decodeLoginStep(data);
    if (text === null) {
      this.finished = true;
      return { kind: 'fail', error: 'LOGIN answer is not UTF-8 text' };
    }
    if (this.username === null) {
      if (text === '') {
        this.finished = true;
        return { kind: 'fail', error: 'LOGIN needs a user name' };
      }
      this.username = text;
      return { kind: 'challenge', challenge: LOGIN_PROMPTS.password };
    }
    this.finished = true;
    return { kind: 'done', username: this.username, password: text };
  }
}
