/**
 * Framing helpers for the incremental parser: the literal marker at the end of a line and the
 * head (tag, command name) of a command, read before the whole command is available.
 */
import { isKnownCommand } from './commands.js';
import { Reader } from './reader.js';

export interface LiteralMarker {
  /** Offset of "{" (or of "~" for literal8) in the line. */
  readonly pos: number;
  /** Octet count; Infinity when it has more digits than any limit could allow. */
  readonly size: number;
  /** "{n+}": non-synchronizing (RFC 7888). */
  readonly nonSync: boolean;
  /** "~{n}": literal8 (RFC 3516, RFC 4466). */
  readonly binary: boolean;
}

/**
 * RFC 7888 §3: the receiver checks the end of every line for "{" number ["+"] "}" (RFC 3516 adds
 * a "~" prefix for literal8). `end` is the line length without CRLF.
 */
export function findLiteralMarker(b: Buffer, end: number): LiteralMarker | null {
  let i = end - 1;
  if (i < 2 || b[i] !== 0x7d) return null;
  i--;
  let nonSync = false;
  if (b[i] === 0x2b) {
    nonSync = true;
    i--;
  }
  const digitsEnd = i + 1;
  while (i >= 0 && b[i]! >= 0x30 && b[i]! <= 0x39) i--;
  if (i + 1 === digitsEnd || i < 0 || b[i] !== 0x7b) return null;
  const digits = digitsEnd - (i + 1);
  const size = digits > 15 ? Infinity : Number(b.toString('latin1', i + 1, digitsEnd));
  const binary = i > 0 && b[i - 1] === 0x7e;
  return { pos: binary ? i - 1 : i, size, nonSync, binary };
}

/**
 * True when the last bytes of a skipped line (the tail kept while discarding it) might end in a
 * literal marker whose "{" was cut off: "}" preceded only by digits (and "+") up to the tail start.
 */
export function truncatedMarker(tail: Buffer, len: number): boolean {
  let i = len - 1;
  if (i < 0 || tail[i] !== 0x7d) return false;
  i--;
  if (i >= 0 && tail[i] === 0x2b) i--;
  while (i >= 0 && tail[i]! >= 0x30 && tail[i]! <= 0x39) i--;
  return i < 0;
}

export interface CommandHead {
  readonly tag: string | null;
  /** "APPEND", "UID FETCH", ...; null when it could not be read. */
  readonly name: string | null;
  readonly known: boolean;
}

/** Read the tag and command name from the start of a command's first line. */
export function scanHead(line: Buffer): CommandHead {
  const r = new Reader({ lines: [line], literals: [], binary: [] }, { utf8: false, maxDepth: 1 });
  let tag: string;
  try {
    tag = r.tag();
    r.sp();
  } catch {
    return { tag: null, name: null, known: false };
  }
  try {
    const name = r.keyword();
    if (name !== 'UID') return { tag, name, known: isKnownCommand(name) };
    r.sp();
    const sub = r.keyword();
    return { tag, name: `UID ${sub}`, known: isKnownCommand(name, sub) };
  } catch {
    return { tag, name: null, known: false };
  }
}
