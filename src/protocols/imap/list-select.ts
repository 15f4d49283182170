/**
 * Which names a LIST or LSUB returns (RFC 9051 §6.3.9, RFC 5258 §3, RFC 3501 §6.3.9), pure and linear:
 * every step is a pass over the names (times their depth), never a pass per name.
 *
 *  - A name is *selected* when it meets the selection criteria: it exists (plain LIST) or is
 *    subscribed (SUBSCRIBED / LSUB), and has a special use when SPECIAL-USE is asked for.
 *  - Selected names that match a pattern are returned.
 *  - With `levels` (plain LIST, LSUB) a name that is not selected but matches a pattern is returned as
 *    a hierarchy level when a selected descendant of it matches no pattern: "%" lists "foo" for a
 *    lone "foo/bar" (RFC 9051 §6.3.9, RFC 3501 §6.3.9 for LSUB). A descendant the client will see
 *    anyway does not make its parent appear (RFC 5258 §6 example 10).
 *  - With RECURSIVEMATCH (RFC 5258 §3.1) such a parent comes with CHILDINFO, and a selected name
 *    carries CHILDINFO when any descendant is selected.
 */
import type { Mailbox } from '../../store/types.js';
import { parentIndex } from './mailbox-attrs.js';

/** One known name: an existing mailbox, or a subscription to a name with no mailbox. */
export interface ListNode {
  readonly name: string;
  readonly exists: boolean;
  readonly subscribed: boolean;
  readonly specialUse: string | null;
}

/** A node for an existing mailbox (the store keeps its subscription on the row), or a subscribed name without one. */
export interface MailboxNode extends ListNode {
  readonly mailbox: Mailbox | null;
}

/** The nodes of the mailboxes and of the subscribed names that have no mailbox (`lost`, never a mailbox's name). */
export function mailboxNodes(mailboxes: readonly Mailbox[], lost: readonly string[] = []): MailboxNode[] {
  const nodes: MailboxNode[] = mailboxes.map((m) => ({ name: m.name, exists: true, subscribed: m.subscribed, specialUse: m.specialUse, mailbox: m }));
  for (const name of lost) nodes.push({ name, exists: false, subscribed: true, specialUse: null, mailbox: null });
  return nodes;
}

export interface SelectOptions {
  /** SUBSCRIBED selection option (and LSUB): subscribed names rather than existing mailboxes. */
  readonly subscribed: boolean;
  /** RFC 6154 SPECIAL-USE selection option. */
  readonly specialUse: boolean;
  readonly recursiveMatch: boolean;
  /** Return unselected hierarchy levels above unlisted selected names (plain LIST and LSUB). */
  readonly levels: boolean;
}

export interface Matcher {
  matches(name: string): boolean;
}

export interface ListedName<T extends ListNode> {
  readonly name: string;
  /** The node, or null for a hierarchy level nothing is known about (no mailbox, no subscription). */
  readonly node: T | null;
  /** Meets the selection criteria (else it is listed only for its descendants). */
  readonly selected: boolean;
  /** Has an existing inferior mailbox (\HasChildren). */
  readonly hasChildren: boolean;
  /** RFC 5258 CHILDINFO: a descendant meets the selection criteria (RECURSIVEMATCH only). */
  readonly childInfo: boolean;
}

function isSelected(n: ListNode, o: SelectOptions): boolean {
  return (o.subscribed ? n.subscribed : n.exists) && (!o.specialUse || n.specialUse !== null);
}

/**
 * Sort key: INBOX and its children first, then the rest; a parent right before its children
 * ("a", "a/b", "a b") because the delimiter sorts below every character a name may hold.
 */
function sortKey(name: string): string {
  const inbox = name === 'INBOX' || name.startsWith('INBOX/');
  return (inbox ? '\u0000' : '\u0001') + name.replaceAll('/', '\u0000');
}

export function selectNames<T extends ListNode>(nodes: readonly T[], patterns: Matcher, o: SelectOptions): ListedName<T>[] {
  const withChildren = parentIndex(nodes.filter((n) => n.exists).map((n) => n.name));
  const selected = nodes.filter((n) => isSelected(n, o));
  const out: ListedName<T>[] = [];
  const listed = new Set<string>();
  const unlisted: string[] = [];
  for (const n of selected) {
    if (patterns.matches(n.name)) {
      listed.add(n.name);
      out.push({ name: n.name, node: n, selected: true, hasChildren: withChildren.has(n.name), childInfo: false });
    } else unlisted.push(n.name);
  }
  if (o.recursiveMatch) {
    const withSelected = parentIndex(selected.map((n) => n.name));
    for (let i = 0; i < out.length; i++) {
      const item = out[i]!;
      if (withSelected.has(item.name)) out[i] = { ...item, childInfo: true };
    }
  }
  if (o.recursiveMatch || o.levels) {
    const byName = new Map(nodes.map((n) => [n.name, n]));
    // Parents of selected names the patterns leave out (RFC 5258 §6.3.9.6: no redundant CHILDINFO).
    for (const name of parentIndex(unlisted)) {
      if (listed.has(name) || !patterns.matches(name)) continue;
      out.push({
        name, node: byName.get(name) ?? null, selected: false, hasChildren: withChildren.has(name),
        childInfo: o.recursiveMatch,
      });
    }
  }
  const keyed = out.map((item) => ({ key: sortKey(item.name), item }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.item);
}
