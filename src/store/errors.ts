/** Store errors carry a code that protocols map to their own responses (IMAP response codes, JMAP errors). */
export type StoreErrorCode =
  | 'NONEXISTENT'
  | 'ALREADYEXISTS'
  | 'HASCHILDREN'
  | 'CANNOT'
  | 'OVERQUOTA'
  | 'TOOBIG'
  | 'LIMIT'
  | 'INVALID';

export class StoreError extends Error {
  constructor(readonly code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
  }
}
