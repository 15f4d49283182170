import { describe, expect, it } from 'vitest';
import { PatternSet } from './list-pattern.js';
import { selectNames, type ListNode, type SelectOptions } from './list-select.js';
import { nameAttributes, parentIndex } from './mailbox-attrs.js';

function node(name: string, flags = ''): ListNode {
  return {
    name,
    exists: !flags.includes('missing'),
    subscribed: flags.includes('sub'),
    specialUse: /\\\w+/.exec(flags)?.[0] ?? null,
  };
}

const PLAIN: SelectOptions = { subscribed: false, specialUse: false, recursiveMatch: false, levels: true };
const SUBSCRIBED: SelectOptions = { subscribed: true, specialUse: false, recursiveMatch: false, levels: false };
const RECURSIVE: SelectOptions = { ...SUBSCRIBED, recursiveMatch: true };
const LSUB: SelectOptions = { ...SUBSCRIBED, levels: true };

/** Renders the result like the RFC examples: "name (attrs)" plus " CHILDINFO". */
function run(nodes: ListNode[], patterns: string[], o: SelectOptions): string[] {
  return selectNames(nodes, new PatternSet('', patterns), o).map((r) => {
    const attrs = nameAttributes(
      {
        exists: r.node?.exists ?? false,
        hasChildren: r.hasChildren,
        subscribed: r.node?.subscribed ?? false,
        specialUse: r.node?.specialUse ?? null,
      },
      { children: true, subscribed: true, specialUse: true },
    );
    return `${r.name} (${attrs.join(' ')})${r.childInfo ? ' CHILDINFO' : ''}${r.selected ? '' : ' level'}`;
  });
}

// RFC 5258 §5 / RFC 9051 §6.3.9.8 example hierarchy ("Fruit/Peach" is subscribed but gone).
const FRUIT = [
  node('INBOX', 'sub'), node('Fruit'), node('Fruit/Apple'), node('Fruit/Banana', 'sub'),
  node('Fruit/Peach', 'sub missing'), node('Tofu'), node('Vegetable', 'sub'), node('Vegetable/Broccoli', 'sub'),
  node('Vegetable/Corn'),
];

describe('selectNames', () => {
  it('lists existing mailboxes in hierarchy order, INBOX first, with children attributes', () => {
    expect(run(FRUIT, ['*'], PLAIN)).toEqual([
      'INBOX (\\HasNoChildren \\Subscribed)',
      'Fruit (\\HasChildren)',
      'Fruit/Apple (\\HasNoChildren)',
      'Fruit/Banana (\\HasNoChildren \\Subscribed)',
      'Tofu (\\HasNoChildren)',
      'Vegetable (\\HasChildren \\Subscribed)',
      'Vegetable/Broccoli (\\HasNoChildren \\Subscribed)',
      'Vegetable/Corn (\\HasNoChildren)',
    ]);
    expect(run(FRUIT, ['%'], PLAIN)).toEqual([
      'INBOX (\\HasNoChildren \\Subscribed)', 'Fruit (\\HasChildren)', 'Tofu (\\HasNoChildren)',
      'Vegetable (\\HasChildren \\Subscribed)',
    ]);
  });

  it('SUBSCRIBED lists subscribed names, existing or not (RFC 5258 example 2)', () => {
    expect(run(FRUIT, ['*'], SUBSCRIBED)).toEqual([
      'INBOX (\\HasNoChildren \\Subscribed)',
      'Fruit/Banana (\\HasNoChildren \\Subscribed)',
      'Fruit/Peach (\\NonExistent \\HasNoChildren \\Subscribed)',
      'Vegetable (\\HasChildren \\Subscribed)',
      'Vegetable/Broccoli (\\HasNoChildren \\Subscribed)',
    ]);
    // Example 7A: no parent levels without RECURSIVEMATCH.
    expect(run([node('Foo'), node('Foo/Bar'), node('Foo/Baz', 'sub'), node('Moo')], ['%'], SUBSCRIBED)).toEqual([]);
  });

  it('RECURSIVEMATCH returns parents of unlisted subscribed names with CHILDINFO (RFC 5258 examples 7 and 8)', () => {
    const foo = [node('INBOX'), node('Foo'), node('Foo/Bar'), node('Foo/Baz', 'sub'), node('Moo')];
    expect(run(foo, ['%'], RECURSIVE)).toEqual(['Foo (\\HasChildren) CHILDINFO level']);
    const fooSubscribed = foo.map((n) => (n.name === 'Foo' ? node('Foo', 'sub') : n));
    expect(run(fooSubscribed, ['%'], RECURSIVE)).toEqual(['Foo (\\HasChildren \\Subscribed) CHILDINFO']);
    // A2: "Foo" is not a mailbox at all.
    expect(run([node('Foo/Baz', 'sub')], ['%'], RECURSIVE)).toEqual(['Foo (\\NonExistent \\HasChildren) CHILDINFO level']);

    const d = [
      node('INBOX'), node('foo2'), node('foo2/bar1', 'sub'), node('foo2/bar2', 'sub'), node('baz2'),
      node('baz2/bar2', 'sub'), node('baz2/bar22', 'sub'), node('baz2/bar222', 'sub'), node('eps2', 'sub'),
      node('eps2/mamba', 'sub'), node('qux2/bar2', 'sub'),
    ];
    expect(run(d, ['*2'], RECURSIVE)).toEqual([
      'baz2/bar2 (\\HasNoChildren \\Subscribed)',
      'baz2/bar22 (\\HasNoChildren \\Subscribed)',
      'baz2/bar222 (\\HasNoChildren \\Subscribed)',
      'eps2 (\\HasChildren \\Subscribed) CHILDINFO',
      'foo2 (\\HasChildren) CHILDINFO level',
      'foo2/bar2 (\\HasNoChildren \\Subscribed)',
      'qux2/bar2 (\\HasNoChildren \\Subscribed)',
    ]);
  });

  it('plain "%" returns a missing hierarchy level above an unlisted mailbox (RFC 5258 example 10)', () => {
    const music = [node('INBOX'), node('music/rock')];
    expect(run(music, ['%'], PLAIN)).toEqual(['INBOX (\\HasNoChildren)', 'music (\\NonExistent \\HasChildren) level']);
    expect(run(music, ['*'], PLAIN)).toEqual(['INBOX (\\HasNoChildren)', 'music/rock (\\HasNoChildren)']);
    // The child is listed by the second pattern: no need for the parent.
    expect(run(music, ['%', 'music/rock'], PLAIN)).toEqual(['INBOX (\\HasNoChildren)', 'music/rock (\\HasNoChildren)']);
  });

  it('LSUB "%" returns an unsubscribed parent of a subscribed child as a level (RFC 3501 §6.3.9)', () => {
    const boxes = [node('INBOX', 'sub'), node('foo'), node('foo/bar', 'sub'), node('x'), node('x/y'), node('x/y/z', 'sub')];
    expect(run(boxes, ['%'], LSUB)).toEqual([
      'INBOX (\\HasNoChildren \\Subscribed)', 'foo (\\HasChildren) level', 'x (\\HasChildren) level',
    ]);
    expect(run(boxes, ['x/%'], LSUB)).toEqual(['x/y (\\HasChildren) level']);
    expect(run(boxes, ['*'], LSUB)).toEqual(['INBOX (\\HasNoChildren \\Subscribed)', 'foo/bar (\\HasNoChildren \\Subscribed)', 'x/y/z (\\HasNoChildren \\Subscribed)']);
  });

  it('SPECIAL-USE selection keeps only special-use mailboxes (RFC 6154 §5.2)', () => {
    const boxes = [node('INBOX'), node('Drafts', '\\Drafts'), node('Work'), node('Work/Sent', '\\Sent')];
    const o = { subscribed: false, specialUse: true, recursiveMatch: false, levels: false };
    expect(run(boxes, ['*'], o)).toEqual(['Drafts (\\HasNoChildren \\Drafts)', 'Work/Sent (\\HasNoChildren \\Sent)']);
    expect(run(boxes, ['%'], o)).toEqual(['Drafts (\\HasNoChildren \\Drafts)']);
  });

  it('returns each name once for overlapping patterns', () => {
    expect(run(FRUIT, ['Fruit/*', '*Apple', 'Fruit/%'], PLAIN)).toEqual([
      'Fruit/Apple (\\HasNoChildren)', 'Fruit/Banana (\\HasNoChildren \\Subscribed)',
    ]);
  });

  it('handles thousands of mailboxes quickly', () => {
    const many: ListNode[] = [node('INBOX')];
    for (let i = 0; i < 100; i++) {
      many.push(node(`top${i}`));
      for (let j = 0; j < 100; j++) many.push(node(`top${i}/sub${j}`, j % 2 === 0 ? 'sub' : ''));
    }
    const t0 = performance.now();
    expect(run(many, ['*'], PLAIN)).toHaveLength(many.length);
    expect(run(many, ['%'], PLAIN)).toHaveLength(101);
    expect(run(many, ['%'], RECURSIVE)).toHaveLength(100);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('parentIndex', () => {
  it('collects every name that has an inferior', () => {
    expect([...parentIndex(['a/b/c', 'a/d', 'x', 'y/z'])].sort()).toEqual(['a', 'a/b', 'y']);
    expect(parentIndex([]).size).toBe(0);
  });
});
