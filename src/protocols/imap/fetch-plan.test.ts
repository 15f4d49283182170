import { describe, expect, it } from 'vitest';
import { imapBodyStructure, imapEnvelope, parseMessage } from '../../mime/index.js';
import type { EntryWithMessage } from '../../store/types.js';
import { planFetch, renderFetch } from './fetch-plan.js';
import { ImapParser, type FetchAttr, type FetchItem } from './wire/index.js';

/** The items of "FETCH 1 <text>", parsed by the real parser. */
function items(text: string): FetchItem[] {
  const p = new ImapParser({ authenticated: true });
  p.feed(Buffer.from(`a FETCH 1 ${text}\r\n`));
  const ev = p.next();
  if (ev.type !== 'command' || ev.command.kind !== 'FETCH') throw new Error(`not a FETCH: ${JSON.stringify(ev)}`);
  return [...ev.command.items];
}

const RAW = Buffer.from(
  'From: A <a@example.com>\r\nSubject: Hi\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n' +
  '--b\r\nContent-Type: text/plain\r\n\r\nHello there\r\n' +
  '--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC/w==\r\n' +
  '--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-unknown\r\n\r\n???\r\n--b--\r\n',
);

function entry(): EntryWithMessage {
  const parsed = parseMessage(RAW);
  return {
    id: 3, mailboxId: 1, uid: 9, messageId: 3, modseq: 77, flags: 1 | 4, keywords: ['$Work'], internalDate: Date.UTC(2024, 0, 2, 3, 4, 5),
    saveDate: Date.UTC(2024, 0, 3), threadId: 3, blob: 'h', size: RAW.length, headerSize: parsed.headerSize,
    envelope: imapEnvelope(parsed.envelope), bodyStructure: imapBodyStructure(parsed.root, true), mime: parsed.root, preview: 'Hello there',
  };
}

function render(text: string): FetchAttr[] {
  const plan = planFetch(items(text), { uid: false, modseq: false });
  const out = renderFetch(entry(), plan.needsBlob ? RAW : null, plan.items);
  if (out === 'unknown-cte') throw new Error('unknown-cte');
  return out;
}

function data(a: FetchAttr | undefined): string {
  if (a === undefined || !('data' in a) || a.data === null) return '<none>';
  return a.data.toString('latin1');
}

describe('planFetch', () => {
  it('flag-only fetches touch neither message rows nor bytes', () => {
    const p = planFetch(items('(UID FLAGS MODSEQ)'), { uid: true, modseq: false });
    expect(p).toMatchObject({ flagsOnly: true, needsBlob: false, setsSeen: false, extras: [] });
  });

  it('UID FETCH adds UID first; CHANGEDSINCE adds MODSEQ', () => {
    expect(planFetch(items('FLAGS'), { uid: true, modseq: true }).items.map((i) => i.kind)).toEqual(['UID', 'FLAGS', 'MODSEQ']);
    expect(planFetch(items('(FLAGS UID)'), { uid: true, modseq: false }).items.map((i) => i.kind)).toEqual(['FLAGS', 'UID']);
  });

  it('which items set \\Seen (RFC 9051 §6.4.5)', () => {
    const seen = (t: string): boolean => planFetch(items(t), { uid: false, modseq: false }).setsSeen;
    expect(seen('BODY[]')).toBe(true);
    expect(seen('BODY[1]')).toBe(true);
    expect(seen('BINARY[1]')).toBe(true);
    expect(seen('RFC822')).toBe(true);
    expect(seen('RFC822.TEXT')).toBe(true);
    expect(seen('BODY.PEEK[]')).toBe(false);
    expect(seen('BINARY.PEEK[1]')).toBe(false);
    expect(seen('RFC822.HEADER')).toBe(false);
    expect(seen('(BINARY.SIZE[1] ENVELOPE BODYSTRUCTURE RFC822.SIZE)')).toBe(false);
  });

  it('loads the parsed structure only for sections, and stored columns only when asked', () => {
    const p = planFetch(items('(ENVELOPE BODY.PEEK[])'), { uid: false, modseq: false });
    expect(p.extras).toEqual(['envelope']);
    expect(p.needsBlob).toBe(true);
    expect(planFetch(items('BODY.PEEK[1.MIME]'), { uid: false, modseq: false }).extras).toEqual(['mime']);
    expect(planFetch(items('(BODY BODYSTRUCTURE PREVIEW)'), { uid: false, modseq: false }).extras.sort()).toEqual(['body', 'bodyStructure', 'preview']);
    expect(planFetch(items('(INTERNALDATE RFC822.SIZE)'), { uid: false, modseq: false })).toMatchObject({ flagsOnly: false, needsBlob: false, extras: [] });
  });
});

describe('renderFetch', () => {
  it('metadata items', () => {
    const out = render('(UID FLAGS MODSEQ INTERNALDATE SAVEDATE RFC822.SIZE EMAILID THREADID PREVIEW)');
    expect(out.map((a) => a.kind)).toEqual(['UID', 'FLAGS', 'MODSEQ', 'INTERNALDATE', 'SAVEDATE', 'RFC822.SIZE', 'EMAILID', 'THREADID', 'PREVIEW']);
    expect(out[1]).toEqual({ kind: 'FLAGS', flags: ['\\Seen', '\\Flagged', '$Work'] });
    expect(out[5]).toEqual({ kind: 'RFC822.SIZE', size: RAW.length });
    expect(out[8]).toEqual({ kind: 'PREVIEW', text: 'Hello there' });
  });

  it('sections, partials and the RFC822 forms', () => {
    const headerEnd = RAW.indexOf('\r\n\r\n') + 4;
    const out = render('(BODY.PEEK[] BODY.PEEK[HEADER] BODY.PEEK[TEXT] BODY.PEEK[1] BODY.PEEK[1.MIME] BODY.PEEK[HEADER.FIELDS (subject)] BODY.PEEK[]<5.10> BODY.PEEK[9])');
    expect(data(out[0])).toBe(RAW.toString('latin1'));
    expect(data(out[1])).toBe(RAW.subarray(0, headerEnd).toString('latin1'));
    expect(data(out[2])).toBe(RAW.subarray(headerEnd).toString('latin1'));
    expect(data(out[3])).toBe('Hello there');
    expect(data(out[4])).toBe('Content-Type: text/plain\r\n\r\n');
    expect(data(out[5])).toBe('Subject: Hi\r\n\r\n');
    expect(data(out[6])).toBe(RAW.subarray(5, 15).toString('latin1'));
    expect(out[6]).toMatchObject({ origin: 5 });
    expect(data(out[7])).toBe('');
    const rfc = render('(RFC822 RFC822.HEADER RFC822.TEXT)');
    expect(data(rfc[0])).toBe(RAW.toString('latin1'));
    expect(data(rfc[1])).toBe(RAW.subarray(0, headerEnd).toString('latin1'));
    expect(data(rfc[2])).toBe(RAW.subarray(headerEnd).toString('latin1'));
  });

  it('BINARY decodes the transfer encoding; an unknown one fails the command (RFC 3516 UNKNOWN-CTE)', () => {
    const out = render('(BINARY.PEEK[2] BINARY.SIZE[2] BINARY.PEEK[2]<1.2> BINARY.PEEK[1])');
    expect([...(out[0] as { data: Buffer }).data]).toEqual([0, 1, 2, 255]);
    expect(out[1]).toEqual({ kind: 'BINARY.SIZE', part: [2], size: 4 });
    expect([...(out[2] as { data: Buffer }).data]).toEqual([1, 2]);
    expect(data(out[3])).toBe('Hello there');
    const plan = planFetch(items('BINARY.PEEK[3]'), { uid: false, modseq: false });
    expect(renderFetch(entry(), RAW, plan.items)).toBe('unknown-cte');
  });
});
