/** Mailbox attributes for LIST and SELECT (RFC 9051 §7.3.1, RFC 6154 special-use, RFC 5258 children). */
import { isInferior } from '../../store/names.js';
import type { Mailbox } from '../../store/types.js';

export interface AttributeOptions {
  /** Include \HasChildren / \HasNoChildren (RFC 3348 / RFC 5258 CHILDREN). */
  children: boolean;
  specialUse: boolean;
  subscribed: boolean;
}

export function hasChildren(mb: Mailbox, all: readonly Mailbox[]): boolean {
  return all.some((m) => isInferior(m.name, mb.name));
}

export function mailboxAttributes(mb: Mailbox, all: readonly Mailbox[], o: AttributeOptions): string[] {
  const attrs: string[] = [];
  if (o.children) attrs.push(hasChildren(mb, all) ? '\\HasChildren' : '\\HasNoChildren');
  if (o.subscribed && mb.subscribed) attrs.push('\\Subscribed');
  if (o.specialUse && mb.specialUse !== null) attrs.push(mb.specialUse);
  return attrs;
}
