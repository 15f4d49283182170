/**
 * THREAD=REFERENCES (RFC 5256 §3), pure and iterative throughout: a 10,000-message reply chain or a
 * hostile References loop must not exhaust the stack. Step numbers follow the RFC.
 */
import type { ThreadNode } from './wire/index.js';
import { byDate, type ThreadMessage } from './thread-message.js';

interface Container {
  /** null for a dummy (a referenced message that is not among the searched ones). */
  msg: ThreadMessage | null;
  parent: Container | null;
  /** A set while linking (links move), an array from step (2) on. */
  kids: Set<Container>;
  children: Container[];
}

function container(msg: ThreadMessage | null): Container {
  return { msg, parent: null, kids: new Set(), children: [] };
}

/** Is `a` the same as `b` or below it? (Walks up from `a`; a childless `b` answers at once.) */
function isDescendantOrSelf(a: Container, b: Container): boolean {
  if (a === b) return true;
  if (b.kids.size === 0) return false;
  for (let x = a.parent; x !== null; x = x.parent) if (x === b) return true;
  return false;
}

function unlink(child: Container): void {
  child.parent?.kids.delete(child);
  child.parent = null;
}

/** Makes `parent` the parent of `child` unless that would make a loop; true when linked. */
function link(parent: Container, child: Container): boolean {
  if (isDescendantOrSelf(parent, child)) return false;
  unlink(child);
  child.parent = parent;
  parent.kids.add(child);
  return true;
}

/** Step (1): the id table and the parent/child links; returns every container. */
function buildLinks(messages: readonly ThreadMessage[]): Container[] {
  const table = new Map<string, Container>();
  const all: Container[] = [];
  const byId = (id: string): Container => {
    let c = table.get(id);
    if (c === undefined) {
      c = container(null); // a dummy until (if ever) its message comes
      table.set(id, c);
      all.push(c);
    }
    return c;
  };
  for (const m of messages) {
    // A missing id, or one an earlier (lower-numbered) message already has: a unique id of its own.
    let own: Container;
    const existing = m.messageId === null ? undefined : table.get(m.messageId);
    if (m.messageId !== null && (existing === undefined || existing.msg === null)) {
      own = byId(m.messageId);
      own.msg = m;
    } else {
      own = container(m);
      all.push(own);
    }
    // (1)(A): consecutive references as parent/child, never changing a link already made.
    let prev: Container | null = null;
    for (const ref of m.refs) {
      const c = byId(ref);
      if (prev !== null && c.parent === null && prev !== c) link(prev, c);
      prev = c;
    }
    // (1)(B): the last reference is the parent. A parent from other messages' References (probably a
    // truncated line) is broken first, and stays broken when the new link would make a loop: the RFC
    // breaks "before creating the new correct one", then does not create a looping link.
    if (prev === null || prev === own) unlink(own);
    else if (own.parent !== prev) {
      unlink(own);
      link(prev, own);
    }
  }
  return all;
}

/** Every container under root (root first, parents before children), without recursion. */
function preorderOf(root: Container): Container[] {
  const out: Container[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const c = stack.pop()!;
    out.push(c);
    for (const k of c.children) stack.push(k);
  }
  return out;
}

/**
 * Step (3): dummies go: childless ones vanish, others hand their children up, except that several
 * children are not promoted to the root. Children are pruned before their parents.
 */
function prune(root: Container): void {
  const preorder = preorderOf(root);
  for (let i = preorder.length - 1; i >= 0; i--) {
    const p = preorder[i]!;
    const kept: Container[] = [];
    for (const c of p.children) {
      if (c.msg !== null) kept.push(c);
      else if (c.children.length === 0) continue;
      else if (p !== root || c.children.length === 1) {
        for (const g of c.children) {
          g.parent = p;
          kept.push(g);
        }
      } else kept.push(c);
    }
    p.children = kept;
  }
}

/** The message a container sorts and is named by: itself, or a dummy's first child. */
function lead(c: Container): ThreadMessage {
  return c.msg ?? c.children[0]!.msg!;
}

const byLead = (a: Container, b: Container): number => byDate(lead(a), lead(b));

/** Step (5): threads at the root with the same base subject are gathered. */
function gatherSubjects(root: Container): void {
  const table = new Map<string, Container>();
  // (B) one container per subject: dummies win, then non-replies.
  for (const c of root.children) {
    const subject = lead(c).subject.key;
    if (subject === '') continue;
    const t = table.get(subject);
    if (t === undefined) table.set(subject, c);
    else if (t.msg !== null && (c.msg === null || (t.msg.isReply && !c.msg.isReply))) table.set(subject, c);
  }
  // (C) merge.
  const out = [...root.children];
  const position = new Map(out.map((c, i) => [c, i]));
  const removed = new Set<Container>();
  const adopt = (p: Container, kids: readonly Container[]): void => {
    for (const k of kids) {
      k.parent = p;
      p.children.push(k);
    }
  };
  for (const c of root.children) {
    const subject = lead(c).subject.key;
    if (subject === '') continue;
    const t = table.get(subject)!;
    if (t === c) continue;
    removed.add(c);
    if (t.msg === null && c.msg === null) adopt(t, c.children);
    else if (t.msg === null || (c.msg!.isReply && !t.msg.isReply)) adopt(t, [c]);
    else {
      const d = container(null);
      out[position.get(t)!] = d;
      position.set(d, position.get(t)!);
      adopt(d, [t, c]);
      table.set(subject, d);
    }
  }
  root.children = out.filter((c) => !removed.has(c));
  for (const c of root.children) c.parent = null;
}

/** Step (6): every set of siblings by sent date, the deepest first (a dummy sorts by its first child). */
function sortAll(root: Container): void {
  const preorder = preorderOf(root);
  for (let i = preorder.length - 1; i >= 0; i--) preorder[i]!.children.sort(byLead);
}

/** The response tree, built bottom-up. */
function toNodes(root: Container): ThreadNode[] {
  const preorder = preorderOf(root);
  const nodes = new Map<Container, ThreadNode>();
  for (let i = preorder.length - 1; i >= 0; i--) {
    const c = preorder[i]!;
    nodes.set(c, { message: c.msg?.id ?? null, children: c.children.map((k) => nodes.get(k)!) });
  }
  return [...nodes.get(root)!.children];
}

export function referencesThreads(messages: readonly ThreadMessage[]): ThreadNode[] {
  const all = buildLinks(messages);
  // (2) the root gathers every container without a parent.
  const root = container(null);
  for (const c of all) c.children = [...c.kids];
  root.children = all.filter((c) => c.parent === null);
  prune(root);
  // (4) the root's children by sent date (a dummy's children first, then by its first child).
  for (const c of root.children) if (c.msg === null) c.children.sort(byLead);
  root.children.sort(byLead);
  gatherSubjects(root);
  sortAll(root);
  return toNodes(root);
}
