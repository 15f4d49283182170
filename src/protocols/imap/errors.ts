/** Maps store errors to IMAP tagged responses (RFC 5530 response codes). */
import { StoreError } from '../../store/errors.js';
import { bad, no, type CommandResult } from './context.js';
import { InvalidMessageNumber } from './sequence.js';
import type { SimpleResponseCode } from './wire/index.js';

const CODES: Record<StoreError['code'], SimpleResponseCode> = {
  NONEXISTENT: 'NONEXISTENT',
  ALREADYEXISTS: 'ALREADYEXISTS',
  HASCHILDREN: 'HASCHILDREN',
  CANNOT: 'CANNOT',
  OVERQUOTA: 'OVERQUOTA',
  TOOBIG: 'TOOBIG',
  LIMIT: 'LIMIT',
  INVALID: 'CANNOT',
};

/**
 * The tagged result for an error a handler threw: NO with the RFC 5530 code for a StoreError, BAD for
 * a message number past the end; null for anything else (the session reports it as a server bug).
 */
export function storeErrorResult(err: unknown): CommandResult | null {
  if (err instanceof InvalidMessageNumber) return bad(err.message);
  if (!(err instanceof StoreError)) return null;
  return no(err.message, { code: CODES[err.code] });
}
