/** Flag arithmetic shared by every protocol: system flags as bits, keywords as case-insensitive atoms. */
import { FLAG_BITS, type FlagOp, type SystemFlag } from './types.js';

export const SYSTEM_FLAGS = Object.keys(FLAG_BITS) as SystemFlag[];

export function isSystemFlag(name: string): SystemFlag | null {
  const lower = name.toLowerCase();
  for (const f of SYSTEM_FLAGS) if (f.toLowerCase() === lower) return f;
  return null;
}

export function flagNames(bits: number): SystemFlag[] {
  return SYSTEM_FLAGS.filter((f) => (bits & FLAG_BITS[f]) !== 0);
}

export function flagBits(names: readonly SystemFlag[]): number {
  let bits = 0;
  for (const n of names) bits |= FLAG_BITS[n];
  return bits;
}

/** Applies a STORE-style operation; keywords compare case-insensitively and keep their first spelling. */
export function applyFlags(
  current: { flags: number; keywords: readonly string[] },
  op: FlagOp,
  bits: number,
  keywords: readonly string[],
): { flags: number; keywords: string[] } {
  switch (op) {
    case 'set':
      return { flags: bits, keywords: dedupeKeywords(keywords) };
    case 'add': {
      const out = [...current.keywords];
      const have = new Set(out.map((k) => k.toLowerCase()));
      for (const k of keywords) {
        if (!have.has(k.toLowerCase())) {
          have.add(k.toLowerCase());
          out.push(k);
        }
      }
      return { flags: current.flags | bits, keywords: out };
    }
    case 'remove': {
      const drop = new Set(keywords.map((k) => k.toLowerCase()));
      return { flags: current.flags & ~bits, keywords: current.keywords.filter((k) => !drop.has(k.toLowerCase())) };
    }
  }
}

export function dedupeKeywords(keywords: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const k of keywords) {
    const l = k.toLowerCase();
    if (!seen.has(l)) {
      seen.add(l);
      out.push(k);
    }
  }
  return out;
}

export function sameKeywords(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a.map((k) => k.toLowerCase()));
  return b.every((k) => s.has(k.toLowerCase()));
}

/** Adds keywords not yet known to the mailbox (for the IMAP FLAGS response); returns null if nothing new. */
export function mergeMailboxKeywords(known: readonly string[], used: readonly string[]): string[] | null {
  const have = new Set(known.map((k) => k.toLowerCase()));
  const add = used.filter((k) => !have.has(k.toLowerCase()));
  return add.length === 0 ? null : [...known, ...dedupeKeywords(add)];
}
