/**
 * FETCH (RFC 9051 §6.4.5, RFC 3501 §6.4.5) with BINARY (RFC 3516), CONDSTORE/QRESYNC modifiers
 * (RFC 7162 §3.1.4, §3.2.6), OBJECTID (RFC 8474), SAVEDATE (RFC 8514) and PREVIEW (RFC 8970).
 */
import type { Reader } from './reader.js';
import type { BodySection, FetchCommand, FetchItem, FetchPartial, SectionText, SimpleFetchItemName } from './types.js';

const SIMPLE_ITEMS: ReadonlySet<string> = new Set<SimpleFetchItemName>([
  'FLAGS',
  'INTERNALDATE',
  'RFC822.SIZE',
  'ENVELOPE',
  'BODYSTRUCTURE',
  'BODY',
  'UID',
  'MODSEQ',
  'EMAILID',
  'THREADID',
  'SAVEDATE',
  'RFC822',
  'RFC822.HEADER',
  'RFC822.TEXT',
]);

const item = (kind: SimpleFetchItemName): FetchItem => ({ kind });
const FAST: readonly FetchItem[] = [item('FLAGS'), item('INTERNALDATE'), item('RFC822.SIZE')];
/** RFC 9051 §6.4.5 macros. */
const MACROS: ReadonlyMap<string, readonly FetchItem[]> = new Map([
  ['FAST', FAST],
  ['ALL', [...FAST, item('ENVELOPE')]],
  ['FULL', [...FAST, item('ENVELOPE'), item('BODY')]],
]);

/** fetch = "FETCH" SP sequence-set SP (macro / fetch-att / "(" fetch-att *(SP fetch-att) ")") [fetch-modifiers] */
export function parseFetch(r: Reader, tag: string, uid: boolean): FetchCommand {
  r.sp();
  const sequence = r.sequenceSet();
  r.sp();
  let items: FetchItem[];
  let macro: FetchCommand['macro'] = null;
  if (r.peek() === 0x28) {
    r.open();
    items = [];
    for (;;) {
      items.push(parseFetchAtt(r, true));
      if (r.eat(0x29)) break;
      r.sp();
    }
    r.leave();
  } else {
    const save = r.save();
    const name = r.label();
    const expansion = MACROS.get(name);
    if (expansion !== undefined) {
      macro = name as 'ALL' | 'FAST' | 'FULL';
      items = [...expansion];
    } else {
      r.restore(save);
      items = [parseFetchAtt(r, false)];
    }
  }
  let changedSince: bigint | null = null;
  let vanished = false;
  if (r.eat(0x20)) {
    r.open();
    for (;;) {
      const name = r.label();
      if (name === 'CHANGEDSINCE' && changedSince === null) {
        r.sp();
        changedSince = r.bigNumber();
        if (changedSince === 0n) r.fail('CHANGEDSINCE must be positive');
      } else if (name === 'VANISHED' && uid && !vanished) {
        vanished = true;
      } else r.fail(`Unknown or repeated FETCH modifier ${name}`);
      if (r.eat(0x29)) break;
      r.sp();
    }
    r.leave();
    // RFC 7162 §3.2.6: VANISHED without CHANGEDSINCE is a BAD command.
    if (vanished && changedSince === null) r.fail('VANISHED requires CHANGEDSINCE');
  }
  return { tag, kind: 'FETCH', uid, sequence, items, macro, changedSince, vanished };
}

function parseFetchAtt(r: Reader, inList: boolean): FetchItem {
  const name = r.label();
  switch (name) {
    case 'BODY':
    case 'BODY.PEEK':
      if (r.peek() !== 0x5b) {
        if (name === 'BODY.PEEK') r.fail('BODY.PEEK needs a section');
        return item('BODY');
      }
      return { kind: 'BODY[]', peek: name === 'BODY.PEEK', section: parseSection(r), partial: parsePartial(r) };
    case 'BINARY':
    case 'BINARY.PEEK':
      return { kind: 'BINARY[]', peek: name === 'BINARY.PEEK', part: parseBinarySection(r), partial: parsePartial(r) };
    case 'BINARY.SIZE':
      return { kind: 'BINARY.SIZE', part: parseBinarySection(r) };
    case 'PREVIEW':
      return { kind: 'PREVIEW', lazy: parsePreviewModifiers(r, inList) };
    default:
      if (!SIMPLE_ITEMS.has(name)) r.fail(`Unknown FETCH item ${name}`);
      return item(name as SimpleFetchItemName);
  }
}

/**
 * RFC 8970 §6: "PREVIEW" [SP "(" preview-mod *(SP preview-mod) ")"], preview-mod = "LAZY".
 * Outside a list "PREVIEW (" may also be the start of the fetch modifiers: look ahead one atom.
 */
function parsePreviewModifiers(r: Reader, inList: boolean): boolean {
  const save = r.save();
  if (!r.eat(0x20) || r.peek() !== 0x28) {
    r.restore(save);
    return false;
  }
  r.open();
  const first = r.label();
  if (first !== 'LAZY') {
    if (inList) r.fail(`Unknown PREVIEW modifier ${first}`);
    r.leave();
    r.restore(save);
    return false;
  }
  while (r.eat(0x20)) {
    const mod = r.label();
    if (mod !== 'LAZY') r.fail(`Unknown PREVIEW modifier ${mod}`);
  }
  r.close();
  return true;
}

const SECTION_TEXT: ReadonlySet<string> = new Set<SectionText>(['HEADER', 'HEADER.FIELDS', 'HEADER.FIELDS.NOT', 'TEXT', 'MIME']);

/**
 * section = "[" [section-spec] "]"
 * section-spec = section-msgtext / (section-part ["." section-text])
 */
export function parseSection(r: Reader): BodySection {
  r.expect(0x5b, '"["');
  const part: number[] = [];
  let text: SectionText | null = null;
  let fields: string[] | null = null;
  if (r.eat(0x5d)) return { part, text, fields };
  let c = r.peek();
  while (c >= 0x30 && c <= 0x39) {
    part.push(r.nzNumber());
    if (!r.eat(0x2e)) break;
    c = r.peek();
    if (c < 0x30 || c > 0x39) {
      c = -1;
      break;
    }
  }
  if (part.length === 0 || c === -1) {
    const name = r.label();
    if (!SECTION_TEXT.has(name)) r.fail(`Unknown section text ${name}`);
    text = name as SectionText;
    // RFC 9051 §6.4.5: MIME only refers to a numbered part.
    if (text === 'MIME' && part.length === 0) r.fail('MIME needs a part number');
    if (text === 'HEADER.FIELDS' || text === 'HEADER.FIELDS.NOT') {
      r.sp();
      fields = parseHeaderList(r);
    }
  }
  r.expect(0x5d, '"]"');
  return { part, text, fields };
}

/** header-list = "(" header-fld-name *(SP header-fld-name) ")" */
function parseHeaderList(r: Reader): string[] {
  r.open();
  const fields: string[] = [];
  for (;;) {
    fields.push(r.astring());
    if (r.eat(0x29)) break;
    r.sp();
  }
  r.leave();
  return fields;
}

/** section-binary = "[" [section-part] "]" */
function parseBinarySection(r: Reader): number[] {
  r.expect(0x5b, '"["');
  const part: number[] = [];
  if (!r.eat(0x5d)) {
    for (;;) {
      part.push(r.nzNumber());
      if (r.eat(0x5d)) break;
      r.expect(0x2e, '"." or "]"');
    }
  }
  return part;
}

/** partial = "<" number64 "." nz-number64 ">" */
function parsePartial(r: Reader): FetchPartial | null {
  if (!r.eat(0x3c)) return null;
  const offset = r.number64();
  r.expect(0x2e, '"."');
  const length = r.number64();
  if (length === 0) r.fail('Partial length must be non-zero');
  r.expect(0x3e, '">"');
  return { offset, length };
}
