import { describe, expect, it } from 'vitest';
import { DEFAULT_POP_SETTINGS, type PopSettings } from '../../store/pop.js';
import { isEmpty, Maildrop, uniqueId } from './maildrop.js';

const msg = (uid: number, size = 10): { uid: number; size: number; blob: string; headerSize: number } => ({ uid, size, blob: `b${uid}`, headerSize: 2 });

describe('Maildrop', () => {
  it('numbers messages 1…n and keeps deleted ones out of STAT and listings', () => {
    const d = new Maildrop(7, [msg(3, 10), msg(5, 20), msg(9, 30)]);
    expect(d.stat()).toEqual({ count: 3, size: 60 });
    d.dele(2);
    expect(d.stat()).toEqual({ count: 2, size: 40 });
    expect([...d.live()].map(([n]) => n)).toEqual([1, 3]);
    expect(d.get(2)).toEqual({ ok: false, error: 'Message 2 is already deleted' });
    expect(d.get(4)).toEqual({ ok: false, error: 'No message 4 (there are 3)' });
    expect(d.get(0).ok).toBe(false);
    d.rset();
    expect(d.stat()).toEqual({ count: 3, size: 60 });
  });

  it('unique ids come from UIDVALIDITY and UID', () => {
    expect(uniqueId(0x6b0884ea, 1)).toBe('6b0884ea00000001');
    expect(uniqueId(1, 0xffffffff)).toBe('00000001ffffffff');
    expect(new Maildrop(2, [msg(10)]).uidl(msg(10))).toBe('000000020000000a');
  });

  const plan = (settings: Partial<PopSettings>, deleted: number[], retrieved: number[]): ReturnType<Maildrop['update']> => {
    const d = new Maildrop(1, [msg(1), msg(2), msg(3), msg(4)]);
    for (const n of deleted) d.dele(n);
    for (const n of retrieved) d.markRetrieved(n);
    return d.update({ ...DEFAULT_POP_SETTINGS, ...settings });
  };

  it('QUIT removes what DELE marked, and handles downloads as the account says; DELE wins', () => {
    expect(plan({}, [1], [1, 2])).toEqual({ remove: [1], trash: [], archive: [], seen: [] });
    expect(plan({ afterDownload: 'read' }, [1], [1, 2])).toEqual({ remove: [1], trash: [], archive: [], seen: [2] });
    expect(plan({ afterDownload: 'archive' }, [], [2, 3])).toEqual({ remove: [], trash: [], archive: [2, 3], seen: [] });
    expect(plan({ afterDownload: 'trash', dele: 'trash' }, [4], [2])).toEqual({ remove: [], trash: [2, 4], archive: [], seen: [] });
    expect(isEmpty(plan({}, [], [1, 2, 3]))).toBe(true);
  });
});
