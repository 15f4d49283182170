/**
 * SQL functions for the search paths that need the message bytes: headers that are not indexed as
 * columns, and body text. They run inside SQLite's scan, one call per candidate row.
 */
import type { Database as Db } from 'better-sqlite3';
import type { MimePart } from '../../mime/types.js';
import { headerValues, messageText } from '../../store/text.js';
import { searchFold } from '../../store/search.js';
import type { BlobFiles } from './blobs.js';

export function registerSearchFunctions(db: Db, files: BlobFiles): void {
  // Functions cannot query their own connection mid-scan, so the SQL passes the inline bytes in.
  const load = (data: unknown, hash: unknown): Buffer => (Buffer.isBuffer(data) ? data : files.read(String(hash)));
  const opts = { deterministic: true, varargs: false } as const;

  db.function('roost_has_header', opts, (data: unknown, hash: unknown, headerSize: unknown, name: unknown) => {
    const raw = load(data, hash).subarray(0, Number(headerSize));
    return headerValues(raw, String(name)).length > 0 ? 1 : 0;
  });

  db.function('roost_header_contains', opts, (data: unknown, hash: unknown, headerSize: unknown, name: unknown, needle: unknown) => {
    const raw = load(data, hash).subarray(0, Number(headerSize));
    const values = headerValues(raw, String(name));
    if (values.length === 0) return 0;
    const n = String(needle);
    return values.some((v) => searchFold(v).includes(n)) ? 1 : 0;
  });

  db.function('roost_text_contains', opts, (data: unknown, hash: unknown, headerSize: unknown, mime: unknown, where: unknown, needle: unknown) => {
    const raw = load(data, hash);
    const root = JSON.parse(String(mime)) as MimePart;
    let text = messageText(raw, root);
    if (where === 'text') text = raw.subarray(0, Number(headerSize)).toString('utf8') + '\n' + text;
    return searchFold(text).includes(String(needle)) ? 1 : 0;
  });
}
