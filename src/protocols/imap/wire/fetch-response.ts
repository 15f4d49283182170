/**
 * FETCH response data (RFC 9051 §7.5.2, RFC 3516 §4, RFC 7162 §3.1.4, RFC 8474 §5, RFC 8514 §4,
 * RFC 8970 §4). Body data is passed through as Buffers: a literal's header goes into the text
 * stream and the bytes follow as their own chunk, so large bodies are never copied into strings.
 */
import { imapString } from '../../../mime/imap-format.js';
import { formatDateTime } from './datetime.js';
import { formatSection } from './format.js';
import type { FetchAttr } from './responses.js';

/** Where serialized output goes: text (UTF-8) and raw byte chunks, in order. */
export interface Sink {
  readonly utf8: boolean;
  str(s: string): void;
  bytes(b: Buffer): void;
}

function nstringData(out: Sink, data: Buffer | null, binaryOk: boolean): void {
  if (data === null) {
    out.str('NIL');
    return;
  }
  // RFC 3516 §4.2: BINARY data with NUL must be sent as literal8.
  const literal8 = binaryOk && data.includes(0);
  out.str(`${literal8 ? '~' : ''}{${data.length}}\r\n`);
  if (data.length > 0) out.bytes(data);
}

function origin(o: number | null): string {
  return o === null ? '' : `<${o}>`;
}

function writeAttr(out: Sink, a: FetchAttr): void {
  switch (a.kind) {
    case 'UID':
      out.str(`UID ${a.uid}`);
      return;
    case 'FLAGS':
      out.str(`FLAGS (${a.flags.join(' ')})`);
      return;
    case 'MODSEQ':
      out.str(`MODSEQ (${a.modseq})`);
      return;
    case 'INTERNALDATE':
      out.str(`INTERNALDATE "${formatDateTime(a.date)}"`);
      return;
    case 'SAVEDATE':
      out.str(a.date === null ? 'SAVEDATE NIL' : `SAVEDATE "${formatDateTime(a.date)}"`);
      return;
    case 'RFC822.SIZE':
      out.str(`RFC822.SIZE ${a.size}`);
      return;
    case 'EMAILID':
      out.str(`EMAILID (${a.id})`);
      return;
    case 'THREADID':
      out.str(a.id === null ? 'THREADID NIL' : `THREADID (${a.id})`);
      return;
    case 'ENVELOPE':
    case 'BODYSTRUCTURE':
    case 'BODY':
      out.str(a.kind + ' ');
      if (typeof a.value === 'string') out.str(a.value);
      else out.bytes(a.value);
      return;
    case 'BODY[]':
      out.str(`BODY[${formatSection(a.section)}]${origin(a.origin)} `);
      nstringData(out, a.data, false);
      return;
    case 'BINARY[]':
      out.str(`BINARY[${a.part.join('.')}]${origin(a.origin)} `);
      nstringData(out, a.data, true);
      return;
    case 'BINARY.SIZE':
      out.str(`BINARY.SIZE[${a.part.join('.')}] ${a.size}`);
      return;
    case 'RFC822':
    case 'RFC822.HEADER':
    case 'RFC822.TEXT':
      out.str(a.kind + ' ');
      nstringData(out, a.data, false);
      return;
    case 'PREVIEW':
      out.str('PREVIEW ' + imapString(a.text, out.utf8));
      return;
  }
}

/** "* seq FETCH (item item ...)\r\n" */
export function writeFetch(out: Sink, seq: number, items: readonly FetchAttr[]): void {
  out.str(`* ${seq} FETCH (`);
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out.str(' ');
    writeAttr(out, items[i]!);
  }
  out.str(')\r\n');
}
