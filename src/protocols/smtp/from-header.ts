/**
 * The addresses of a message's From: header fields (RFC 5322 §3.6.2), for the sender check of
 * submission. Returns every mailbox of every From field; a message with none (or with a group only)
 * yields []. Header bytes are read as latin1 so UTF-8 addresses (RFC 6532) survive.
 */
import { splitFields } from '../../mime/header.js';
import { decodedAddresses } from '../../mime/address.js';

/** The offset where the header ends (after the empty line), or the length when there is no body. */
function headerEnd(raw: Buffer): number {
  if (raw.subarray(0, 2).toString('latin1') === '\r\n') return 0;
  const i = raw.indexOf('\r\n\r\n');
  return i < 0 ? raw.length : i + 2;
}

export interface FromHeader {
  /** How many From: fields there are (RFC 5322 §3.6: exactly one). */
  fields: number;
  addresses: string[];
}

export function fromHeader(raw: Buffer): FromHeader {
  const end = headerEnd(raw);
  let fields = 0;
  const addresses: string[] = [];
  for (const f of splitFields(raw, 0, end)) {
    if (f.name !== 'from') continue;
    fields++;
    const text = raw.subarray(f.start, f.end).toString('latin1');
    const value = text.slice(text.indexOf(':') + 1).replace(/\r?\n(?=[ \t])/g, '');
    for (const a of decodedAddresses(value)) addresses.push(a.address);
  }
  return { fields, addresses };
}
