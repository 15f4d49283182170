/**
 * RFC 8601 §5: a receiving server removes Authentication-Results header fields that claim to be its
 * own (the authserv-id is its name) before adding its own, so that a sender cannot forge "dkim=pass"
 * results that a reader or filter would take for ours. Other servers' fields stay; every other byte of
 * the message is kept as it was.
 */

const CR = 0x0d;
const LF = 0x0a;

/** Where the header section ends (the offset just past its blank line, or the message length). */
function headerEnd(raw: Buffer): number {
  let pos = 0;
  while (pos < raw.length) {
    const nl = raw.indexOf(LF, pos);
    if (nl < 0) return raw.length;
    const lineLen = nl - pos - (nl > pos && raw[nl - 1] === CR ? 1 : 0);
    if (lineLen === 0) return nl + 1;
    pos = nl + 1;
  }
  return raw.length;
}

/** The authserv-id a field claims: the first token of its value, after any comments (RFC 8601 §2.2). */
function authservId(value: string): string {
  const v = value.replace(/\([^)]*\)/g, ' ').trim();
  const m = /^([^\s;]+)/.exec(v);
  return (m?.[1] ?? '').toLowerCase();
}

export function withoutOwnAuthResults(raw: Buffer, ourId: string): Buffer {
  const end = headerEnd(raw);
  const id = ourId.toLowerCase();
  const keep: Buffer[] = [];
  let removed = false;
  let pos = 0;
  while (pos < end) {
    // One field: its first line and the folded lines after it (starting with SP or HT).
    let next = raw.indexOf(LF, pos);
    next = next < 0 || next >= end ? end : next + 1;
    while (next < end && (raw[next] === 0x20 || raw[next] === 0x09)) {
      const nl = raw.indexOf(LF, next);
      next = nl < 0 || nl >= end ? end : nl + 1;
    }
    const field = raw.subarray(pos, next);
    const text = field.toString('latin1');
    const colon = text.indexOf(':');
    const isOurs = colon > 0 && text.slice(0, colon).trim().toLowerCase() === 'authentication-results' && authservId(text.slice(colon + 1)) === id;
    if (isOurs) removed = true;
    else keep.push(field);
    pos = next;
  }
  if (!removed) return raw;
  keep.push(raw.subarray(end));
  return Buffer.concat(keep);
}
