/**
 * SMTP error replies for smtp-server's handler callbacks: the reply code plus a text that starts with
 * its RFC 3463 enhanced status code (engine.ts sends such a text as it is, without adding another).
 */

export interface SmtpReplyError extends Error {
  responseCode: number;
}

/** An error smtp-server answers with `code text`; `text` starts with the enhanced code ("5.1.1 …"). */
export function smtpError(code: number, text: string): SmtpReplyError {
  return Object.assign(new Error(text), { responseCode: code });
}

/** Whether a reply text already carries an enhanced status code (RFC 3463 §2: class.subject.detail). */
export function hasEnhancedCode(text: string): boolean {
  return /^[245]\.\d{1,3}\.\d{1,3}( |$)/.test(text);
}

export function isSmtpReply(err: unknown): err is SmtpReplyError {
  return err instanceof Error && typeof (err as Partial<SmtpReplyError>).responseCode === 'number';
}
