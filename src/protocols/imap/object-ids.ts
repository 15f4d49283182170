/**
 * RFC 8474 object ids, stable for the life of the object: MAILBOXID from the mailbox row, EMAILID
 * from the message content row (shared by copies and kept by MOVE), THREADID from its thread.
 * The same ids serve JMAP, so a client sees one identity across protocols.
 */
export const mailboxObjectId = (id: number): string => `M${id}`;
export const emailObjectId = (id: number): string => `E${id}`;
export const threadObjectId = (id: number): string => `T${id}`;

/** Parses an EMAILID/THREADID/MAILBOXID back to the row id, or null when it is not one of ours. */
export function parseObjectId(prefix: 'M' | 'E' | 'T', s: string): number | null {
  if (s.length < 2 || s[0] !== prefix || !/^[1-9][0-9]{0,15}$/.test(s.slice(1))) return null;
  return Number(s.slice(1));
}
