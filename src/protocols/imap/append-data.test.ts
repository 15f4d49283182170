import { describe, expect, it } from 'vitest';
import { FLAG_BITS } from '../../store/types.js';
import { appendFlags, checkAppendMessage, checkAppendMessages } from './append-data.js';
import type { AppendMessage } from './wire/index.js';

const msg = (data: string | Buffer, extra: Partial<AppendMessage> = {}): AppendMessage => ({
  flags: null, internalDate: null, data: Buffer.isBuffer(data) ? data : Buffer.from(data), binary: false, utf8: false, ...extra,
});

describe('appendFlags', () => {
  it('maps system flags to bits, keeps keywords, ignores \\Recent', () => {
    expect(appendFlags(['\\Seen', '\\Draft', '$Forwarded', 'Work', '\\Recent'])).toEqual({
      bits: FLAG_BITS['\\Seen'] | FLAG_BITS['\\Draft'], keywords: ['$Forwarded', 'Work'],
    });
    expect(appendFlags([])).toEqual({ bits: 0, keywords: [] });
  });

  it('refuses unknown system flags and over-long keywords', () => {
    expect(appendFlags(['\\Bogus'])).toEqual({ error: 'Invalid system flag \\Bogus' });
    expect(appendFlags(['\\*'])).toHaveProperty('error');
    expect(appendFlags(['k'.repeat(256)])).toEqual({ error: 'Keyword too long' });
    expect(appendFlags(['k'.repeat(255)])).toEqual({ bits: 0, keywords: ['k'.repeat(255)] });
  });
});

describe('checkAppendMessage', () => {
  it('turns a message into a store item with flags and the internal date in ms', () => {
    const c = checkAppendMessage(msg('Subject: x\r\n\r\n', {
      flags: ['\\Flagged', 'Later'], internalDate: { utcMs: Date.UTC(1996, 6, 17, 9, 44, 25), offsetMinutes: -420 },
    }), 100);
    expect(c).toEqual({
      ok: true,
      item: { raw: Buffer.from('Subject: x\r\n\r\n'), flags: FLAG_BITS['\\Flagged'], keywords: ['Later'], internalDate: Date.UTC(1996, 6, 17, 9, 44, 25) },
    });
    // No date: the store uses the arrival time.
    const d = checkAppendMessage(msg('x'), 100);
    expect(d.ok && 'internalDate' in d.item).toBe(false);
  });

  it('refuses an empty message (RFC 3502) and one above the limit with TOOBIG; the limit itself is fine', () => {
    expect(checkAppendMessage(msg(''), 10)).toMatchObject({ ok: false, code: null });
    expect(checkAppendMessage(msg('x'.repeat(11)), 10)).toMatchObject({ ok: false, code: { code: 'TOOBIG' } });
    expect(checkAppendMessage(msg('x'.repeat(10)), 10).ok).toBe(true);
  });

  it('keeps binary and UTF8 data byte for byte, whatever it is', () => {
    const bytes = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x00]);
    const b = checkAppendMessage(msg(bytes, { binary: true }), 100);
    expect(b.ok && b.item.raw.equals(bytes)).toBe(true);
    const u = checkAppendMessage(msg('Subject: Grüße\r\n\r\n', { utf8: true, binary: true }), 100);
    expect(u.ok && u.item.raw.toString('utf8')).toBe('Subject: Grüße\r\n\r\n');
  });
});

describe('checkAppendMessages', () => {
  it('checks all before anything is stored, naming the bad message of a MULTIAPPEND', () => {
    expect(checkAppendMessages([msg('a'), msg('b')], 10)).toMatchObject({ ok: true, items: [{ raw: Buffer.from('a') }, { raw: Buffer.from('b') }] });
    const r = checkAppendMessages([msg('a'), msg('b'), msg('')], 10);
    expect(r).toMatchObject({ ok: false });
    expect(!r.ok && r.text).toMatch(/^Message 3: Empty message/);
    const one = checkAppendMessages([msg('', {})], 10);
    expect(!one.ok && one.text).toMatch(/^Empty message/);
  });
});
