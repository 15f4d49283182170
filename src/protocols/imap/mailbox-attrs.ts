/**
 * Mailbox name attributes of LIST, LSUB and SELECT's LIST (RFC 9051 §7.3.1, RFC 6154 special-use,
 * RFC 5258 / RFC 3348 children, \Subscribed, \NonExistent). Pure: callers pass what they know.
 */
import { isInferior, SEPARATOR } from '../../store/names.js';
import type { Mailbox } from '../../store/types.js';

export interface AttributeOptions {
  /** Include \HasChildren / \HasNoChildren (RFC 3348 / RFC 5258 CHILDREN). */
  children: boolean;
  specialUse: boolean;
  subscribed: boolean;
  /**
   * How a name with no mailbox is marked: \NonExistent in an extended LIST and in IMAP4rev2
   * (RFC 5258 §3, RFC 9051 §7.3.1), \Noselect in a basic RFC 3501 LIST and in LSUB.
   */
  missing?: '\\NonExistent' | '\\Noselect';
}

/** What LIST knows about one name. */
export interface NameState {
  exists: boolean;
  hasChildren: boolean;
  subscribed: boolean;
  specialUse: string | null;
}

/**
 * Every name that has at least one inferior among `names`, in one pass (names × depth): a mailbox
 * list of thousands never gets the quadratic "does anything start with me/" scan.
 */
export function parentIndex(names: Iterable<string>): Set<string> {
  const parents = new Set<string>();
  for (const name of names) {
    let end = name.lastIndexOf(SEPARATOR);
    while (end > 0) {
      const parent = name.slice(0, end);
      // Its own ancestors were added with it already.
      if (parents.has(parent)) break;
      parents.add(parent);
      end = name.lastIndexOf(SEPARATOR, end - 1);
    }
  }
  return parents;
}

/** Attributes in a stable order: existence, children, subscription, special use. Never \Noinferiors. */
export function nameAttributes(s: NameState, o: AttributeOptions): string[] {
  const attrs: string[] = [];
  if (!s.exists) attrs.push(o.missing ?? '\\NonExistent');
  if (o.children) attrs.push(s.hasChildren ? '\\HasChildren' : '\\HasNoChildren');
  if (o.subscribed && s.subscribed) attrs.push('\\Subscribed');
  if (o.specialUse && s.specialUse !== null) attrs.push(s.specialUse);
  return attrs;
}

export function hasChildren(mb: Mailbox, all: readonly Mailbox[]): boolean {
  return all.some((m) => isInferior(m.name, mb.name));
}

/** Attributes of one mailbox (SELECT's LIST response in IMAP4rev2: one linear pass is fine there). */
export function mailboxAttributes(mb: Mailbox, all: readonly Mailbox[], o: AttributeOptions): string[] {
  return nameAttributes(
    { exists: true, hasChildren: hasChildren(mb, all), subscribed: mb.subscribed, specialUse: mb.specialUse },
    o,
  );
}
