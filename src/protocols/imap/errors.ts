/** Maps store errors to IMAP tagged responses (RFC 5530 response codes). */
import { StoreError } from '../../store/errors.js';
import { no, type CommandResult } from './context.js';
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

/** A NO for a StoreError, or null when the error is not one (the session reports it as a server bug). */
export function storeErrorResult(err: unknown): CommandResult | null {
  if (!(err instanceof StoreError)) return null;
  return no(err.message, { code: CODES[err.code] });
}
