/**
 * FETCH planning and rendering: which stored columns a request needs (so FLAGS-only fetches never
 * touch message rows or bytes), and the typed FETCH attributes of one message.
 */
import { binarySection, sectionBytes, type MimePart } from '../../mime/index.js';
import type { EntryWithMessage, ExtraField } from '../../store/types.js';
import { emailObjectId, threadObjectId } from './object-ids.js';
import { flagList } from './selected.js';
import type { FetchAttr, FetchItem, FetchPartial } from './wire/index.js';

export interface FetchPlan {
  /** Only UID, FLAGS, MODSEQ asked: the cheap path. */
  flagsOnly: boolean;
  extras: ExtraField[];
  /** The message bytes are needed. */
  needsBlob: boolean;
  /** Fetching marks messages \Seen (BODY[] without PEEK, RFC822, RFC822.TEXT, BINARY[]). */
  setsSeen: boolean;
  /** Items to answer, in order, with UID and MODSEQ added where the RFCs require them. */
  items: FetchItem[];
}

export function planFetch(requested: readonly FetchItem[], opts: { uid: boolean; modseq: boolean }): FetchPlan {
  const items = [...requested];
  // RFC 9051 §6.4.8: UID FETCH responses always carry UID; RFC 7162 §3.1.4.1: CHANGEDSINCE implies MODSEQ.
  if (opts.uid && !items.some((i) => i.kind === 'UID')) items.unshift({ kind: 'UID' });
  if (opts.modseq && !items.some((i) => i.kind === 'MODSEQ')) items.push({ kind: 'MODSEQ' });
  const extras = new Set<ExtraField>();
  let needsBlob = false;
  let setsSeen = false;
  let flagsOnly = true;
  for (const i of items) {
    switch (i.kind) {
      case 'UID':
      case 'FLAGS':
      case 'MODSEQ':
        break;
      case 'ENVELOPE':
        extras.add('envelope');
        flagsOnly = false;
        break;
      case 'BODYSTRUCTURE':
        extras.add('bodyStructure');
        flagsOnly = false;
        break;
      case 'BODY':
        extras.add('body');
        flagsOnly = false;
        break;
      case 'PREVIEW':
        extras.add('preview');
        flagsOnly = false;
        break;
      case 'BODY[]':
      case 'BINARY[]':
        needsBlob = true;
        flagsOnly = false;
        if (!i.peek) setsSeen = true;
        if (i.kind === 'BINARY[]' || i.section.part.length > 0 || i.section.text !== null) extras.add('mime');
        break;
      case 'BINARY.SIZE':
        needsBlob = true;
        extras.add('mime');
        flagsOnly = false;
        break;
      case 'RFC822':
      case 'RFC822.TEXT':
        setsSeen = true;
        needsBlob = true;
        extras.add('mime');
        flagsOnly = false;
        break;
      case 'RFC822.HEADER':
        needsBlob = true;
        extras.add('mime');
        flagsOnly = false;
        break;
      default:
        flagsOnly = false;
    }
  }
  return { flagsOnly, extras: [...extras], needsBlob, setsSeen, items };
}

function partial(data: Buffer, p: FetchPartial | null): { data: Buffer; origin: number | null } {
  if (p === null) return { data, origin: null };
  // RFC 9051 §6.4.5: <origin.size>; past the end gives the empty string.
  return { data: data.subarray(Math.min(p.offset, data.length), Math.min(p.offset + p.length, data.length)), origin: p.offset };
}

export type RenderError = 'unknown-cte';

/** The FETCH attributes for one message, or the error that must fail the command. */
export function renderFetch(e: EntryWithMessage, raw: Buffer | null, items: readonly FetchItem[]): FetchAttr[] | RenderError {
  const out: FetchAttr[] = [];
  const root = e.mime as MimePart | undefined;
  for (const i of items) {
    switch (i.kind) {
      case 'UID':
        out.push({ kind: 'UID', uid: e.uid });
        break;
      case 'FLAGS':
        out.push({ kind: 'FLAGS', flags: flagList(e) });
        break;
      case 'MODSEQ':
        out.push({ kind: 'MODSEQ', modseq: e.modseq });
        break;
      case 'INTERNALDATE':
        out.push({ kind: 'INTERNALDATE', date: new Date(e.internalDate) });
        break;
      case 'SAVEDATE':
        out.push({ kind: 'SAVEDATE', date: new Date(e.saveDate) });
        break;
      case 'RFC822.SIZE':
        out.push({ kind: 'RFC822.SIZE', size: e.size });
        break;
      case 'EMAILID':
        out.push({ kind: 'EMAILID', id: emailObjectId(e.messageId) });
        break;
      case 'THREADID':
        out.push({ kind: 'THREADID', id: threadObjectId(e.threadId) });
        break;
      case 'ENVELOPE':
        out.push({ kind: 'ENVELOPE', value: e.envelope ?? 'NIL' });
        break;
      case 'BODYSTRUCTURE':
        out.push({ kind: 'BODYSTRUCTURE', value: e.bodyStructure ?? 'NIL' });
        break;
      case 'BODY':
        out.push({ kind: 'BODY', value: e.body ?? 'NIL' });
        break;
      case 'PREVIEW':
        out.push({ kind: 'PREVIEW', text: e.preview ?? '' });
        break;
      case 'BODY[]': {
        const whole = i.section.part.length === 0 && i.section.text === null;
        const bytes = whole || root === undefined ? raw! : sectionBytes(raw!, root, {
          part: [...i.section.part],
          ...(i.section.text !== null ? { text: i.section.text } : {}),
          ...(i.section.fields !== null ? { fields: [...i.section.fields] } : {}),
        });
        const p = partial(bytes, i.partial);
        out.push({ kind: 'BODY[]', section: i.section, origin: p.origin, data: p.data });
        break;
      }
      case 'BINARY[]': {
        const r = binarySection(raw!, root!, [...i.part]);
        if (!r.ok) return r.reason;
        const p = partial(r.data, i.partial);
        out.push({ kind: 'BINARY[]', part: i.part, origin: p.origin, data: p.data });
        break;
      }
      case 'BINARY.SIZE': {
        const r = binarySection(raw!, root!, [...i.part]);
        if (!r.ok) return r.reason;
        out.push({ kind: 'BINARY.SIZE', part: i.part, size: r.data.length });
        break;
      }
      case 'RFC822':
        out.push({ kind: 'RFC822', data: raw });
        break;
      case 'RFC822.HEADER':
        out.push({ kind: 'RFC822.HEADER', data: sectionBytes(raw!, root!, { part: [], text: 'HEADER' }) });
        break;
      case 'RFC822.TEXT':
        out.push({ kind: 'RFC822.TEXT', data: sectionBytes(raw!, root!, { part: [], text: 'TEXT' }) });
        break;
    }
  }
  return out;
}
