import { describe, expect, it } from 'vitest';
import { LocalChangeBus } from '../../store/change-bus.js';
import type { MailStore } from '../../store/store.js';
import type { Change } from '../../store/types.js';
import { UidCache } from './uid-cache.js';

function fakeStore(lists: Map<number, number[]>, during?: () => void) {
  const bus = new LocalChangeBus();
  let reads = 0;
  const store = {
    bus,
    listUids: async (mailboxId: number) => {
      reads++;
      const out = Uint32Array.from(lists.get(mailboxId) ?? []);
      during?.();
      return out;
    },
  } as unknown as MailStore;
  return { store, bus, reads: () => reads };
}

const added = (mailboxId: number, uids: number[], accountId = 1): Change => ({
  kind: 'added', accountId, mailboxId, modseq: 1,
  entries: uids.map((uid) => ({ mailboxId, uid, messageId: uid, modseq: 1, flags: 0, keywords: [], internalDate: 0, saveDate: 0 })),
});

describe('UidCache', () => {
  it('reads a mailbox once and follows additions and expunges without touching handed-out views', async () => {
    const f = fakeStore(new Map([[7, [1, 2, 3]]]));
    const cache = new UidCache(f.store, 100);
    const v1 = await cache.get(1, 7);
    const v2 = await cache.get(1, 7);
    expect(f.reads()).toBe(1);
    expect(v2).toEqual(v1);
    f.bus.publish(added(7, [4, 5]));
    expect(Array.from(v1)).toEqual([1, 2, 3]);
    expect(Array.from(cache.current(7)!)).toEqual([1, 2, 3, 4, 5]);
    f.bus.publish({ kind: 'expunged', accountId: 1, mailboxId: 7, modseq: 2, uids: [2, 4] });
    const v3 = cache.current(7)!;
    expect(Array.from(v3)).toEqual([1, 3, 5]);
    f.bus.publish(added(7, [3, 6]));
    expect(Array.from(cache.current(7)!)).toEqual([1, 3, 5, 6]);
    expect(Array.from(v3)).toEqual([1, 3, 5]);
    expect(cache.size).toEqual({ mailboxes: 1, messages: 4 });
    // Other accounts' and other mailboxes' changes do not matter.
    f.bus.publish(added(8, [1]));
    f.bus.publish(added(7, [100], 2));
    expect(Array.from(cache.current(7)!)).toEqual([1, 3, 5, 6]);
    f.bus.publish({ kind: 'mailbox', accountId: 1, mailboxId: 7, modseq: 3, what: 'deleted' });
    expect(cache.current(7)).toBeNull();
    expect(cache.size).toEqual({ mailboxes: 0, messages: 0 });
  });

  it('does not keep a list read while a change to that mailbox was published', async () => {
    let f: ReturnType<typeof fakeStore> | null = null;
    f = fakeStore(new Map([[7, [1, 2]]]), () => f!.bus.publish(added(7, [3])));
    const cache = new UidCache(f.store, 100);
    expect(Array.from(await cache.get(1, 7))).toEqual([1, 2]);
    expect(cache.current(7)).toBeNull();
  });

  it('drops the least recently used mailboxes beyond its size, and lists bigger than it are not kept', async () => {
    const f = fakeStore(new Map([[1, [1, 2, 3]], [2, [1, 2, 3]], [3, [1, 2, 3, 4, 5]], [4, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]]]));
    const cache = new UidCache(f.store, 10);
    await cache.get(1, 1);
    await cache.get(1, 2);
    cache.current(1);
    await cache.get(1, 3);
    expect(cache.current(2)).toBeNull();
    expect(cache.current(1)).not.toBeNull();
    expect(cache.size).toEqual({ mailboxes: 2, messages: 8 });
    expect((await cache.get(1, 4)).length).toBe(11);
    expect(cache.current(4)).toBeNull();
  });
});
