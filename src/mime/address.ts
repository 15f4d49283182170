/**
 * RFC 5322 §3.4 address lists, including groups, quoted names, comments, obsolete route addresses
 * (§4.4 obs-angle-addr) and garbage. Iterative (no recursion), linear in the input: a header with
 * thousands of words (corpus stack-overflow.txt) is just a long loop.
 *
 * Works on header values read one char per byte (latin1); results are turned into text at the end.
 */
import type { DecodedAddress, EnvelopeAddress } from './types.js';
import { fixLatin1 } from './charset.js';
import { decodeHeaderValue } from './encoded-words.js';
import { readQuoted } from './params.js';

type Kind = 'word' | 'quoted' | 'literal' | '<' | '>' | '@' | ',' | ';' | ':' | '.';

interface Token {
  kind: Kind;
  text: string;
  /** Whitespace or a comment came before this token. */
  ws: boolean;
}

const ENCODED_WORD_AT = /=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=/y;

function isSpecialOrSpace(c: number): boolean {
  // RFC 5322 §3.2.3 specials, whitespace and CTLs end an atom.
  return c <= 32 || c === 127 || c === 40 || c === 41 || c === 60 || c === 62 || c === 91 || c === 93 ||
    c === 58 || c === 59 || c === 64 || c === 92 || c === 44 || c === 46 || c === 34;
}

interface Comment {
  /** Index of the token this comment precedes. */
  at: number;
  text: string;
}

function tokenize(s: string): { tokens: Token[]; comments: Comment[] } {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  let ws = false;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13 || c === 10) {
      ws = true;
      i++;
    } else if (c === 40) {
      let depth = 0;
      const begin = i;
      for (; i < s.length; i++) {
        const d = s.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 40) depth++;
        else if (d === 41 && --depth === 0) break;
      }
      comments.push({ at: tokens.length, text: s.slice(begin + 1, i).replace(/\\(.)/g, '$1').trim() });
      i++;
      ws = true;
    } else if (c === 34) {
      const [text, end] = readQuoted(s, i);
      tokens.push({ kind: 'quoted', text, ws });
      i = end;
      ws = false;
    } else if (c === 91) {
      let end = s.indexOf(']', i);
      end = end < 0 ? s.length : end + 1;
      tokens.push({ kind: 'literal', text: s.slice(i, end), ws });
      i = end;
      ws = false;
    } else if (c === 60 || c === 62 || c === 64 || c === 44 || c === 59 || c === 58 || c === 46) {
      tokens.push({ kind: s[i] as Kind, text: s[i] as string, ws });
      i++;
      ws = false;
    } else {
      let end = i;
      if (c === 61 && s.charCodeAt(i + 1) === 63) {
        ENCODED_WORD_AT.lastIndex = i;
        if (ENCODED_WORD_AT.test(s)) end = ENCODED_WORD_AT.lastIndex; // an encoded word is one word
      }
      if (end === i) {
        while (end < s.length && !isSpecialOrSpace(s.charCodeAt(end))) end++;
        if (end === i) end++; // a stray backslash or control character
      }
      tokens.push({ kind: 'word', text: s.slice(i, end), ws });
      i = end;
      ws = false;
    }
  }
  return { tokens, comments };
}

export interface ParsedAddress {
  kind: 'mailbox' | 'group-start' | 'group-end';
  /** Display name (raw, encoded words kept) or group name; null when none. */
  name: string | null;
  route: string | null;
  /** Local part, unquoted. */
  local: string;
  /** Domain; "" when the address had none. */
  domain: string;
  /** True when the local part is not a dot-atom and must be quoted in an addr-spec. */
  quoteLocal: boolean;
}

/** Words of a phrase joined with single spaces where the original had whitespace. */
function phrase(tokens: Token[], from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) {
    const t = tokens[i] as Token;
    if (out !== '' && t.ws) out += ' ';
    out += t.text;
  }
  return out;
}

function joined(tokens: Token[], from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) out += (tokens[i] as Token).text;
  return out;
}

function indexOfKind(tokens: Token[], kind: Kind, from: number, to: number): number {
  for (let i = from; i < to; i++) if ((tokens[i] as Token).kind === kind) return i;
  return -1;
}

const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\uffff]+(\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\uffff]+)*$/;

function lastIndexOfKind(tokens: Token[], kind: Kind, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if ((tokens[i] as Token).kind === kind) return i;
  return -1;
}

function addrSpec(tokens: Token[], from: number, to: number, name: string | null, route: string | null): ParsedAddress {
  // The last "@" separates the domain: "a!b@relay@host.test" is local "a!b@relay" at "host.test".
  const at = lastIndexOfKind(tokens, '@', from, to);
  if (at < 0) {
    const single = to - from === 1 || tokens.slice(from + 1, to).every((t) => !t.ws);
    if (name === null && !single) {
      // A phrase with no address at all: keep it as a name so nothing is lost.
      return { kind: 'mailbox', name: phrase(tokens, from, to), route, local: '', domain: '', quoteLocal: false };
    }
    const local = joined(tokens, from, to);
    return { kind: 'mailbox', name, route, local, domain: '', quoteLocal: !DOT_ATOM.test(local) && local !== '' };
  }
  const local = joined(tokens, from, at);
  return {
    kind: 'mailbox',
    name,
    route,
    local,
    domain: joined(tokens, at + 1, to),
    quoteLocal: !DOT_ATOM.test(local),
  };
}

/** An addr-spec in [from, to), after an RFC 5322 §4.4 obs-route ("@a,@b:") if there is one. */
function routeAddr(tokens: Token[], from: number, to: number, name: string | null): ParsedAddress {
  let k = from;
  let route: string | null = null;
  if (k < to && (tokens[k] as Token).kind === '@') {
    const colon = indexOfKind(tokens, ':', k, to);
    if (colon > 0) {
      route = joined(tokens, k, colon);
      k = colon + 1;
    }
  }
  return addrSpec(tokens, k, to, name, route);
}

/** One mailbox from the tokens of a list item (no top-level commas). */
function mailbox(tokens: Token[], from: number, to: number, comment: string | null): ParsedAddress | null {
  if (from >= to) return null;
  const lt = indexOfKind(tokens, '<', from, to);
  // Without angle brackets only a bare route (seen in old mail) can start with "@".
  if (lt < 0) return routeAddr(tokens, from, to, comment);
  const name = lt > from ? phrase(tokens, from, lt) : comment;
  let gt = indexOfKind(tokens, '>', lt + 1, to);
  if (gt < 0) gt = to;
  return routeAddr(tokens, lt + 1, gt, name);
}

/**
 * RFC 822 style "addr (Name)": the last non-empty comment within an item names it when it has no
 * phrase. Items come in order, so a moving cursor keeps this linear.
 */
function commentCursor(comments: Comment[]): (from: number, to: number) => string | null {
  let k = 0;
  return (from, to) => {
    while (k < comments.length && (comments[k] as Comment).at < from) k++;
    let found: string | null = null;
    while (k < comments.length && (comments[k] as Comment).at <= to) {
      const t = (comments[k] as Comment).text;
      if (t !== '') found = t;
      k++;
    }
    return found;
  };
}

/** Parse an address-list header value (latin1 string). Never throws. */
export function parseAddressList(value: string): ParsedAddress[] {
  const { tokens, comments } = tokenize(value);
  const out: ParsedAddress[] = [];
  const n = tokens.length;
  const commentIn = commentCursor(comments);
  let inGroup = false;
  let i = 0;
  while (i < n) {
    const t = tokens[i] as Token;
    if (t.kind === ',') {
      i++;
      continue;
    }
    if (t.kind === ';') {
      if (inGroup) out.push({ kind: 'group-end', name: null, route: null, local: '', domain: '', quoteLocal: false });
      inGroup = false;
      i++;
      continue;
    }
    let depth = 0;
    let sawAngle = false;
    let colon = -1;
    let j = i;
    for (; j < n; j++) {
      const k = (tokens[j] as Token).kind;
      if (k === '<') {
        depth++;
        sawAngle = true;
      } else if (k === '>') {
        depth = Math.max(0, depth - 1);
      } else if (depth === 0 && (k === ',' || k === ';')) {
        break;
      } else if (depth === 0 && k === ':' && !inGroup && !sawAngle && (tokens[i] as Token).kind !== '@') {
        colon = j;
        break;
      }
    }
    if (colon >= 0) {
      out.push({ kind: 'group-start', name: phrase(tokens, i, colon), route: null, local: '', domain: '', quoteLocal: false });
      inGroup = true;
      i = colon + 1;
      continue;
    }
    const m = mailbox(tokens, i, j, commentIn(i, j));
    if (m !== null) out.push(m);
    i = j;
  }
  if (inGroup) out.push({ kind: 'group-end', name: null, route: null, local: '', domain: '', quoteLocal: false });
  return out;
}

function text(s: string | null): string | null {
  return s === null || s === '' ? null : fixLatin1(s);
}

/**
 * RFC 9051 §7.5.2 address structures: group start is (NIL NIL "name" NIL), group end all NIL.
 * A mailbox always has a non-NIL host ("" when it had no domain) so it is never mistaken for a
 * group marker. Returns null for an empty list.
 */
export function envelopeAddresses(value: string | undefined): EnvelopeAddress[] | null {
  if (value === undefined) return null;
  const list = parseAddressList(value);
  if (list.length === 0) return null;
  return list.map((a): EnvelopeAddress => {
    if (a.kind === 'group-start') return { name: null, adl: null, mailbox: fixLatin1(a.name ?? ''), host: null };
    if (a.kind === 'group-end') return { name: null, adl: null, mailbox: null, host: null };
    return { name: text(a.name), adl: text(a.route), mailbox: fixLatin1(a.local), host: fixLatin1(a.domain) };
  });
}

function quoteLocal(local: string): string {
  return '"' + local.replace(/[\\"]/g, (m) => '\\' + m) + '"';
}

/** Mailboxes (groups flattened, as JMAP asAddresses does) with decoded display names. */
export function decodedAddresses(value: string | undefined): DecodedAddress[] {
  if (value === undefined) return [];
  const out: DecodedAddress[] = [];
  for (const a of parseAddressList(value)) {
    if (a.kind !== 'mailbox') continue;
    const local = fixLatin1(a.quoteLocal ? quoteLocal(a.local) : a.local);
    const address = a.domain === '' ? local : local + '@' + fixLatin1(a.domain);
    out.push({ name: a.name === null ? '' : decodeHeaderValue(fixLatin1(a.name)), address });
  }
  return out;
}
