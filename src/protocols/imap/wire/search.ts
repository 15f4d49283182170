/**
 * SEARCH keys and the SEARCH, SORT and THREAD commands: RFC 9051 §6.4.4 (and the RFC 3501 keys
 * NEW OLD RECENT), RFC 4731 ESEARCH return options, RFC 5182 "$", RFC 7162 MODSEQ, RFC 5032
 * OLDER/YOUNGER, RFC 8514 SAVED*, RFC 8474 EMAILID/THREADID, RFC 5256 SORT/THREAD, RFC 5957.
 */
import { parseSearchDate } from './datetime.js';
import { canonicalFlag, decodeUtf8, WireError, type Reader } from './reader.js';
import type {
  SearchCommand,
  SearchDateKeyName,
  SearchFlagKeyName,
  SearchKey,
  SearchReturnOption,
  SearchStringKeyName,
  SortCommand,
  SortCriterion,
  SortKey,
  ThreadCommand,
} from './types.js';

type Decode = (b: Buffer) => string;

const FLAG_KEYS: ReadonlySet<string> = new Set<SearchFlagKeyName>([
  'ALL', 'ANSWERED', 'DELETED', 'DRAFT', 'FLAGGED', 'SEEN', 'UNANSWERED', 'UNDELETED', 'UNDRAFT',
  'UNFLAGGED', 'UNSEEN', 'NEW', 'OLD', 'RECENT', 'SAVEDATESUPPORTED',
]);
const STRING_KEYS: ReadonlySet<string> = new Set<SearchStringKeyName>(['BCC', 'BODY', 'CC', 'FROM', 'SUBJECT', 'TEXT', 'TO']);
const DATE_KEYS: ReadonlySet<string> = new Set<SearchDateKeyName>([
  'BEFORE', 'ON', 'SINCE', 'SENTBEFORE', 'SENTON', 'SENTSINCE', 'SAVEDBEFORE', 'SAVEDON', 'SAVEDSINCE',
]);
const OTHER_KEYS: ReadonlySet<string> = new Set([
  'KEYWORD', 'UNKEYWORD', 'HEADER', 'LARGER', 'SMALLER', 'OLDER', 'YOUNGER', 'UID', 'NOT', 'OR', 'MODSEQ', 'EMAILID', 'THREADID',
]);
const RETURN_OPTIONS: ReadonlySet<string> = new Set<SearchReturnOption>(['MIN', 'MAX', 'ALL', 'COUNT', 'SAVE']);
const SORT_KEYS: ReadonlySet<string> = new Set<SortKey>([
  'ARRIVAL', 'CC', 'DATE', 'FROM', 'SIZE', 'SUBJECT', 'TO', 'DISPLAYFROM', 'DISPLAYTO',
]);

/** Charsets always understood; others are tried with the platform's TextDecoder. */
const BUILTIN_CHARSETS = ['US-ASCII', 'UTF-8'];

/**
 * A decoder for search strings sent in `charset` (RFC 9051 §6.4.4). Unknown charsets are a
 * tagged NO with BADCHARSET, not a BAD.
 */
function charsetDecoder(charset: string | null): Decode {
  if (charset === null || BUILTIN_CHARSETS.includes(charset)) return decodeUtf8;
  let td: { decode(input: Uint8Array): string };
  try {
    td = new TextDecoder(charset, { fatal: true, ignoreBOM: true });
  } catch {
    throw new WireError(`Unsupported charset ${charset}`, 'NO', { code: 'BADCHARSET', charsets: BUILTIN_CHARSETS });
  }
  return (b: Buffer): string => {
    try {
      return td.decode(b);
    } catch {
      throw new WireError(`Invalid ${charset} text`);
    }
  };
}

/** charset = atom / quoted, upper-cased. */
function parseCharset(r: Reader): string {
  return (r.peek() === 0x22 ? r.quoted().toString('latin1') : r.atom()).toUpperCase();
}

/** Reads one optional leading keyword (RETURN, CHARSET) without consuming anything else. */
function peekKeyword(r: Reader, word: string): boolean {
  const save = r.save();
  const c = r.peek();
  if ((c | 0x20) < 0x61 || (c | 0x20) > 0x7a) return false;
  if (r.keyword() === word) return true;
  r.restore(save);
  return false;
}

/** search = "SEARCH" [SP "RETURN" SP "(" [opts] ")"] SP ["CHARSET" SP charset SP] 1*search-key */
export function parseSearch(r: Reader, tag: string, uid: boolean): SearchCommand {
  r.sp();
  let returnOptions: SearchReturnOption[] | null = null;
  if (peekKeyword(r, 'RETURN')) {
    r.sp();
    r.open();
    returnOptions = [];
    if (!r.eat(0x29)) {
      for (;;) {
        const opt = r.keyword();
        if (!RETURN_OPTIONS.has(opt)) r.fail(`Unknown SEARCH return option ${opt}`);
        if (!returnOptions.includes(opt as SearchReturnOption)) returnOptions.push(opt as SearchReturnOption);
        if (r.eat(0x29)) break;
        r.sp();
      }
    }
    r.leave();
    // RFC 4731 §3.1: an empty RETURN list means ALL.
    if (returnOptions.length === 0) returnOptions.push('ALL');
    r.sp();
  }
  let charset: string | null = null;
  if (peekKeyword(r, 'CHARSET')) {
    r.sp();
    charset = parseCharset(r);
    r.sp();
    // RFC 6855 §3: after ENABLE UTF8=ACCEPT a conflicting CHARSET is a BAD command.
    if (r.opts.utf8 && !BUILTIN_CHARSETS.includes(charset)) r.fail('CHARSET not allowed with UTF8=ACCEPT');
  }
  let decode: Decode;
  try {
    decode = charsetDecoder(charset);
  } catch (e) {
    // RFC 9051 §6.4.4.1 example: SEARCH RETURN (SAVE) CHARSET <unknown> answers NO and leaves "$" empty.
    if (e instanceof WireError && e.status === 'NO' && returnOptions?.includes('SAVE') === true) {
      throw new WireError(e.message, e.status, e.code, true);
    }
    throw e;
  }
  const criteria = parseSearchKeys(r, decode);
  return { tag, kind: 'SEARCH', uid, charset, returnOptions, criteria };
}

/** search-key *(SP search-key) up to the end of the command. */
function parseSearchKeys(r: Reader, decode: Decode): SearchKey[] {
  const keys = [parseSearchKey(r, decode)];
  while (r.eat(0x20)) keys.push(parseSearchKey(r, decode));
  return keys;
}

export function parseSearchKey(r: Reader, decode: Decode): SearchKey {
  if (r.peek() === 0x28) {
    r.open();
    const keys = [parseSearchKey(r, decode)];
    while (r.eat(0x20)) keys.push(parseSearchKey(r, decode));
    r.close();
    return { kind: 'AND', keys };
  }
  if (r.atSequenceSet()) return { kind: 'SEQUENCE', set: r.sequenceSet() };
  const name = r.keyword();
  if (FLAG_KEYS.has(name)) return { kind: name as SearchFlagKeyName };
  if (!STRING_KEYS.has(name) && !DATE_KEYS.has(name) && !OTHER_KEYS.has(name)) r.fail(`Unknown search key ${name}`);
  r.sp();
  if (STRING_KEYS.has(name)) return { kind: name as SearchStringKeyName, value: decode(r.astringBytes()) };
  if (DATE_KEYS.has(name)) {
    const text = r.peek() === 0x22 ? r.quoted().toString('latin1') : r.atom();
    const date = parseSearchDate(text);
    if (date === null) r.fail(`Invalid date ${text}`);
    return { kind: name as SearchDateKeyName, date };
  }
  switch (name) {
    case 'KEYWORD':
    case 'UNKEYWORD':
      return { kind: name, flag: r.atom() };
    case 'HEADER': {
      const field = r.astring();
      r.sp();
      return { kind: 'HEADER', field, value: decode(r.astringBytes()) };
    }
    case 'LARGER':
    case 'SMALLER':
      return { kind: name, size: r.number64() };
    case 'OLDER':
    case 'YOUNGER':
      return { kind: name, seconds: r.nzNumber() };
    case 'UID':
      return { kind: 'UID', set: r.sequenceSet() };
    case 'NOT': {
      r.enter();
      const key = parseSearchKey(r, decode);
      r.leave();
      return { kind: 'NOT', key };
    }
    case 'OR': {
      r.enter();
      const left = parseSearchKey(r, decode);
      r.sp();
      const right = parseSearchKey(r, decode);
      r.leave();
      return { kind: 'OR', left, right };
    }
    case 'MODSEQ':
      return parseModseqKey(r);
    case 'EMAILID':
    case 'THREADID':
      return { kind: name, id: parseObjectId(r) };
    default:
      return r.fail(`Unknown search key ${name}`);
  }
}

/** RFC 7162 §7: "MODSEQ" [SP entry-name SP entry-type-req] SP mod-sequence-valzer */
function parseModseqKey(r: Reader): SearchKey {
  let entry: { flag: string; type: 'priv' | 'shared' | 'all' } | null = null;
  if (r.peek() === 0x22) {
    const name = r.quoted().toString('latin1');
    if (!name.toLowerCase().startsWith('/flags/') || name.length === 7) r.fail('MODSEQ entry name must be "/flags/<flag>"');
    r.sp();
    const type = r.keyword().toLowerCase();
    if (type !== 'priv' && type !== 'shared' && type !== 'all') r.fail('MODSEQ entry type must be priv, shared or all');
    entry = { flag: canonicalFlag(name.slice(7)), type };
    r.sp();
  }
  return { kind: 'MODSEQ', modseq: r.bigNumber(), entry };
}

/** RFC 8474 §7: objectid = 1*255(ALPHA / DIGIT / "_" / "-"), case-sensitive. */
function parseObjectId(r: Reader): string {
  const id = r.atom();
  if (id.length > 255 || !/^[A-Za-z0-9_-]+$/.test(id)) r.fail('Invalid object id');
  return id;
}

/** sort = ["UID" SP] "SORT" SP sort-criteria SP charset 1*(SP search-key) (RFC 5256 §5, RFC 5957). */
export function parseSort(r: Reader, tag: string, uid: boolean): SortCommand {
  r.sp();
  r.open();
  const sortCriteria: SortCriterion[] = [];
  for (;;) {
    let key = r.keyword();
    let reverse = false;
    if (key === 'REVERSE') {
      reverse = true;
      r.sp();
      key = r.keyword();
    }
    if (!SORT_KEYS.has(key)) r.fail(`Unknown sort key ${key}`);
    sortCriteria.push({ key: key as SortKey, reverse });
    if (r.eat(0x29)) break;
    r.sp();
  }
  r.leave();
  r.sp();
  const charset = parseCharset(r);
  r.sp();
  const criteria = parseSearchKeys(r, charsetDecoder(charset));
  return { tag, kind: 'SORT', uid, sortCriteria, charset, criteria };
}

/** thread = ["UID" SP] "THREAD" SP thread-alg SP charset 1*(SP search-key) (RFC 5256 §5). */
export function parseThread(r: Reader, tag: string, uid: boolean): ThreadCommand {
  r.sp();
  const algorithm = r.keyword();
  if (algorithm !== 'REFERENCES' && algorithm !== 'ORDEREDSUBJECT') r.fail(`Unsupported threading algorithm ${algorithm}`);
  r.sp();
  const charset = parseCharset(r);
  r.sp();
  const criteria = parseSearchKeys(r, charsetDecoder(charset));
  return { tag, kind: 'THREAD', uid, algorithm, charset, criteria };
}
