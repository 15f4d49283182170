/**
 * LIST / LSUB mailbox patterns (RFC 9051 §6.3.9): "*" matches zero or more characters, "%" the same
 * except the hierarchy delimiter "/". A pattern is compiled once per command and then tested against
 * every mailbox name; matching simulates the pattern as an automaton over the name, so it costs at
 * most name length × pattern length, whatever the client sends (no backtracking blow-up).
 *
 * INBOX is case-insensitive (RFC 9051 §5.1): in a name whose first level is INBOX those five
 * characters match a pattern in any case, so "inbox", "Inbox/%" and "in*" all reach INBOX.
 */
import { SEPARATOR } from '../../store/names.js';

const STAR = -1;
const PERCENT = -2;
const SEP = SEPARATOR.charCodeAt(0);
const INBOX = 'INBOX';

export interface ListPattern {
  /** The canonical pattern (reference and mailbox argument combined). */
  readonly pattern: string;
  matches(name: string): boolean;
}

/**
 * The canonical LIST pattern from the reference and the mailbox argument. Roost has no "break out"
 * characters, so the reference is simply put in front (RFC 9051 §6.3.9: "the canonical form is
 * normally the reference name appended with the mailbox name").
 */
export function canonicalPattern(reference: string, pattern: string): string {
  return (reference + pattern).normalize('NFC');
}

/** True when the name's first level is INBOX (the store keeps it upper-case). */
function inboxRooted(name: string): boolean {
  return name.startsWith(INBOX) && (name.length === INBOX.length || name.charCodeAt(INBOX.length) === SEP);
}

export function compilePattern(pattern: string): ListPattern {
  const tokens: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    const last = tokens[tokens.length - 1];
    // Runs of wildcards collapse: "**", "*%" and "%*" all mean "*", "%%" means "%".
    if (c === 0x2a) {
      if (last === PERCENT) tokens[tokens.length - 1] = STAR;
      else if (last !== STAR) tokens.push(STAR);
    } else if (c === 0x25) {
      if (last !== STAR && last !== PERCENT) tokens.push(PERCENT);
    } else tokens.push(c);
  }
  if (tokens.every((t) => t >= 0)) return literalPattern(pattern);
  if (tokens.length === 1 && tokens[0] === STAR) return { pattern, matches: () => true };
  let prefixLen = 0;
  while (prefixLen < tokens.length && tokens[prefixLen]! >= 0) prefixLen++;
  const upper = tokens.map((t) => (t >= 0x61 && t <= 0x7a ? t - 0x20 : t));
  return new AutomatonPattern(pattern, Int32Array.from(tokens), Int32Array.from(upper), pattern.slice(0, prefixLen));
}

function literalPattern(pattern: string): ListPattern {
  const folded = inboxRooted(pattern.slice(0, INBOX.length).toUpperCase() + pattern.slice(INBOX.length))
    ? INBOX + pattern.slice(INBOX.length)
    : pattern;
  return { pattern, matches: (name) => name === folded };
}

/**
 * The pattern as a nondeterministic automaton: state i means "tokens before i are matched". A wildcard
 * state may also be skipped (matches the empty string) and loops on the characters it accepts.
 */
class AutomatonPattern implements ListPattern {
  private readonly states: Uint8Array;
  private readonly next: Uint8Array;

  constructor(
    readonly pattern: string,
    private readonly tokens: Int32Array,
    private readonly upper: Int32Array,
    private readonly prefix: string,
  ) {
    this.states = new Uint8Array(tokens.length + 1);
    this.next = new Uint8Array(tokens.length + 1);
  }

  matches(name: string): boolean {
    const ci = inboxRooted(name);
    // Cheap rejection on the literal start (not for INBOX names: their first letters fold case).
    if (!ci && !name.startsWith(this.prefix)) return false;
    const { tokens, upper } = this;
    const n = tokens.length;
    let cur = this.states;
    let nxt = this.next;
    cur.fill(0);
    cur[0] = 1;
    closure(tokens, cur);
    for (let pos = 0; pos < name.length; pos++) {
      const c = name.charCodeAt(pos);
      const fold = ci && pos < INBOX.length;
      nxt.fill(0);
      let any = false;
      for (let i = 0; i < n; i++) {
        if (cur[i] === 0) continue;
        const t = tokens[i]!;
        if (t === STAR || (t === PERCENT && c !== SEP)) {
          nxt[i] = 1;
          any = true;
        } else if (t === c || (fold && upper[i] === c)) {
          nxt[i + 1] = 1;
          any = true;
        }
      }
      if (!any) return false;
      closure(tokens, nxt);
      const swap = cur;
      cur = nxt;
      nxt = swap;
    }
    return cur[n] === 1;
  }
}

/** Wildcards match the empty string: an active wildcard state also activates the state after it. */
function closure(tokens: Int32Array, states: Uint8Array): void {
  for (let i = 0; i < tokens.length; i++) {
    if (states[i] === 1 && tokens[i]! < 0) states[i + 1] = 1;
  }
}

/** The patterns of one LIST command; a name matches when it matches any of them (RFC 5258 §3). */
export class PatternSet {
  readonly patterns: readonly ListPattern[];

  constructor(reference: string, patterns: readonly string[]) {
    // RFC 5258 §3: empty patterns in an extended LIST are ignored (the basic "" case is handled by LIST).
    const canonical = [...new Set(patterns.filter((p) => p !== '').map((p) => canonicalPattern(reference, p)))];
    this.patterns = canonical.map(compilePattern);
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  matches(name: string): boolean {
    for (const p of this.patterns) if (p.matches(name)) return true;
    return false;
  }
}
