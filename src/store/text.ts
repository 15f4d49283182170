/** Text views of stored messages for the search paths that are not served by indexed columns. */
import { decodeHeaderValue, searchableText } from '../mime/index.js';
import type { MimePart } from '../mime/types.js';

/** Decoded values of every field called `name` (case-insensitive) in a raw header block. */
export function headerValues(header: Buffer, name: string): string[] {
  const text = header.toString('latin1');
  const want = name.toLowerCase();
  const out: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const colon = line.indexOf(':');
    if (colon <= 0 || line.slice(0, colon).trim().toLowerCase() !== want) continue;
    let value = line.slice(colon + 1);
    // RFC 5322 §2.2.3: unfold continuation lines.
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1] ?? '')) value += lines[++i];
    out.push(decodeHeaderValue(Buffer.from(value.trim(), 'latin1').toString('utf8')));
  }
  return out;
}

export function messageText(raw: Buffer, root: MimePart): string {
  return searchableText(raw, root);
}
