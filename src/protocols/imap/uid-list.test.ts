import { describe, expect, it } from 'vitest';
import { UidList } from './uid-list.js';

describe('UidList', () => {
  const list = (): UidList => new UidList(Uint32Array.from([3, 5, 8, 13, 21]));

  it('maps sequence numbers to UIDs and back', () => {
    const l = list();
    expect(l.length).toBe(5);
    expect(l.maxUid).toBe(21);
    expect([1, 2, 3, 4, 5].map((s) => l.uidAt(s))).toEqual([3, 5, 8, 13, 21]);
    expect(l.uidAt(0)).toBe(0);
    expect(l.uidAt(6)).toBe(0);
    expect([3, 5, 8, 13, 21].map((u) => l.seqOf(u))).toEqual([1, 2, 3, 4, 5]);
    expect([0, 1, 4, 22, 0xffffffff].map((u) => l.seqOf(u))).toEqual([0, 0, 0, 0, 0]);
  });

  it('lowerBound and between walk UID ranges', () => {
    const l = list();
    expect(l.lowerBound(1)).toBe(0);
    expect(l.lowerBound(5)).toBe(1);
    expect(l.lowerBound(6)).toBe(2);
    expect(l.lowerBound(100)).toBe(5);
    expect([...l.between(4, 13)]).toEqual([5, 8, 13]);
    expect([...l.between(14, 20)]).toEqual([]);
    expect([...l.between(1, 0xffffffff)]).toEqual([3, 5, 8, 13, 21]);
  });

  it('an empty list', () => {
    const l = new UidList();
    expect(l.length).toBe(0);
    expect(l.maxUid).toBe(0);
    expect(l.seqOf(1)).toBe(0);
    expect([...l.between(1, 10)]).toEqual([]);
    expect(l.remove(new Set([1]))).toEqual([]);
  });

  it('push grows the array and keeps order', () => {
    const l = new UidList();
    for (let u = 1; u <= 1000; u++) l.push([u * 2]);
    l.push([2001, 2002, 2003]);
    expect(l.length).toBe(1003);
    expect(l.uidAt(1003)).toBe(2003);
    expect(l.seqOf(1000)).toBe(500);
    expect(l.toArray().every((u, i, a) => i === 0 || u > a[i - 1]!)).toBe(true);
  });

  it('remove returns sequence numbers in descending order, each right when sent (RFC 9051 §7.5.1)', () => {
    const l = list();
    const seqs = l.remove(new Set([5, 13, 99]));
    expect(seqs).toEqual([4, 2]);
    expect(l.toArray()).toEqual([3, 8, 21]);
    // A client applying them in order reaches the same map.
    const client = [3, 5, 8, 13, 21];
    for (const s of seqs) client.splice(s - 1, 1);
    expect(client).toEqual(l.toArray());
  });

  it('a shared array is copied before it is written, and adopt() shares again', () => {
    const shared = Uint32Array.from([1, 2, 3]);
    const l = new UidList(shared, true);
    expect(l.remove(new Set([2]))).toEqual([2]);
    expect(Array.from(shared)).toEqual([1, 2, 3]);
    expect(l.isShared).toBe(false);
    l.adopt(shared.subarray(0, 2));
    expect(l.isShared).toBe(true);
    l.push([9]);
    expect(Array.from(shared)).toEqual([1, 2, 3]);
    expect(l.toArray()).toEqual([1, 2, 9]);
  });

  it('maxWithout finds the last UID that stays', () => {
    const l = list();
    expect(l.maxWithout(new Set([21, 13]))).toBe(8);
    expect(l.maxWithout(new Set())).toBe(21);
    expect(l.maxWithout(new Set([3, 5, 8, 13, 21]))).toBe(0);
  });
});
