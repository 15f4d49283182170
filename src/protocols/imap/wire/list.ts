/**
 * LIST (RFC 9051 §6.3.9, RFC 5258 LIST-EXTENDED, RFC 5819 LIST-STATUS, RFC 6154 SPECIAL-USE) and LSUB.
 */
import { parseStatusItems } from './mailbox.js';
import type { Reader } from './reader.js';
import type { ListCommand, ListReturn, ListSelection, LsubCommand, StatusItem } from './types.js';

/**
 * list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]
 * RFC 5258 §3: unknown selection or return options are a BAD command; RECURSIVEMATCH needs a
 * base option (SUBSCRIBED, or SPECIAL-USE from RFC 6154) next to it.
 */
export function parseList(r: Reader, tag: string): ListCommand {
  r.sp();
  let extended = false;
  const selection = { subscribed: false, remote: false, recursiveMatch: false, specialUse: false };
  if (r.peek() === 0x28) {
    extended = true;
    parseSelection(r, selection);
    r.sp();
  }
  const reference = r.mailbox();
  r.sp();
  const patterns: string[] = [];
  if (r.peek() === 0x28) {
    extended = true;
    r.open();
    for (;;) {
      patterns.push(r.listMailbox());
      if (r.eat(0x29)) break;
      r.sp();
    }
    r.leave();
  } else patterns.push(r.listMailbox());
  let returns: ListReturn = { subscribed: false, children: false, specialUse: false, status: null };
  if (r.eat(0x20)) {
    if (r.keyword() !== 'RETURN') r.fail('Expected RETURN');
    r.sp();
    extended = true;
    returns = parseReturn(r);
  }
  return { tag, kind: 'LIST', reference, patterns, extended, selection, returns };
}

function parseSelection(r: Reader, sel: { -readonly [K in keyof ListSelection]: boolean }): void {
  r.open();
  if (!r.eat(0x29)) {
    for (;;) {
      const opt = r.keyword();
      if (opt === 'SUBSCRIBED') sel.subscribed = true;
      else if (opt === 'REMOTE') sel.remote = true;
      else if (opt === 'RECURSIVEMATCH') sel.recursiveMatch = true;
      else if (opt === 'SPECIAL-USE') sel.specialUse = true;
      else r.fail(`Unknown LIST selection option ${opt}`);
      if (r.eat(0x29)) break;
      r.sp();
    }
  }
  r.leave();
  // RFC 5258 §3: RECURSIVEMATCH must come with another selection option other than REMOTE.
  if (sel.recursiveMatch && !sel.subscribed && !sel.specialUse) r.fail('RECURSIVEMATCH requires another selection option (RFC 5258 §3)');
}

function parseReturn(r: Reader): ListReturn {
  let subscribed = false;
  let children = false;
  let specialUse = false;
  let status: StatusItem[] | null = null;
  r.open();
  if (!r.eat(0x29)) {
    for (;;) {
      const opt = r.keyword();
      if (opt === 'SUBSCRIBED') subscribed = true;
      else if (opt === 'CHILDREN') children = true;
      else if (opt === 'SPECIAL-USE') specialUse = true;
      else if (opt === 'STATUS' && status === null) {
        r.sp();
        status = parseStatusItems(r);
      } else r.fail(`Unknown LIST return option ${opt}`);
      if (r.eat(0x29)) break;
      r.sp();
    }
  }
  r.leave();
  return { subscribed, children, specialUse, status };
}

/** lsub = "LSUB" SP mailbox SP list-mailbox (RFC 3501 §6.3.9). */
export function parseLsub(r: Reader, tag: string): LsubCommand {
  r.sp();
  const reference = r.mailbox();
  r.sp();
  const pattern = r.listMailbox();
  return { tag, kind: 'LSUB', reference, pattern };
}
