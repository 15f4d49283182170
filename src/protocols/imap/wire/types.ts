/**
 * Typed IMAP commands: what the wire parser produces and command handlers consume.
 * Every command is `{ tag, kind, ...arguments }`; `kind` is the upper-case command name (the
 * `UID` prefix becomes `uid: true`). Strings are decoded: mailbox names are Unicode (modified
 * UTF-7 already decoded unless UTF-8 names are enabled, "INBOX" in any case canonicalised),
 * search strings are decoded from their CHARSET. Literal message data stays in Buffers.
 */
import type { SequenceSet, SeqNumber } from './sequence-set.js';

/** An instant with the zone it was written in (RFC 9051 "date-time"). */
export interface DateTime {
  /** Milliseconds since the epoch, UTC. */
  readonly utcMs: number;
  /** Zone offset in minutes east of UTC, as written ("-0700" is -420). */
  readonly offsetMinutes: number;
}

/** A calendar date of a SEARCH date key (RFC 9051 "date"), no time or zone. */
export interface SearchDate {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  readonly day: number;
}

// ---------------------------------------------------------------------------------------------
// FETCH (RFC 9051 §6.4.5, RFC 3516 BINARY, RFC 7162 MODSEQ, RFC 8474, RFC 8514, RFC 8970)

export type SectionText = 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';

/** A body section "[1.2.HEADER.FIELDS (From To)]": part path (may be empty) and text specifier. */
export interface BodySection {
  readonly part: readonly number[];
  readonly text: SectionText | null;
  /** Field names for HEADER.FIELDS[.NOT], as sent; null otherwise. */
  readonly fields: readonly string[] | null;
}

/** "<offset.length>" of a partial fetch. */
export interface FetchPartial {
  readonly offset: number;
  readonly length: number;
}

export type SimpleFetchItemName =
  | 'FLAGS'
  | 'INTERNALDATE'
  | 'RFC822.SIZE'
  | 'ENVELOPE'
  | 'BODYSTRUCTURE'
  /** Non-extensible BODYSTRUCTURE (the bare "BODY" item). */
  | 'BODY'
  | 'UID'
  | 'MODSEQ'
  | 'EMAILID'
  | 'THREADID'
  | 'SAVEDATE'
  /** RFC 3501 items, deprecated by RFC 9051 but still used: BODY[], BODY.PEEK[HEADER], BODY[TEXT]. */
  | 'RFC822'
  | 'RFC822.HEADER'
  | 'RFC822.TEXT';

export type FetchItem =
  | { readonly kind: SimpleFetchItemName }
  | { readonly kind: 'BODY[]'; readonly peek: boolean; readonly section: BodySection; readonly partial: FetchPartial | null }
  | { readonly kind: 'BINARY[]'; readonly peek: boolean; readonly part: readonly number[]; readonly partial: FetchPartial | null }
  | { readonly kind: 'BINARY.SIZE'; readonly part: readonly number[] }
  | { readonly kind: 'PREVIEW'; readonly lazy: boolean };

// ---------------------------------------------------------------------------------------------
// SEARCH (RFC 9051 §6.4.4, RFC 3501 §6.4.4, RFC 7162, RFC 5032, RFC 8514, RFC 8474)

export type SearchFlagKeyName =
  | 'ALL'
  | 'ANSWERED'
  | 'DELETED'
  | 'DRAFT'
  | 'FLAGGED'
  | 'SEEN'
  | 'UNANSWERED'
  | 'UNDELETED'
  | 'UNDRAFT'
  | 'UNFLAGGED'
  | 'UNSEEN'
  /** RFC 3501 only: \Recent based. */
  | 'NEW'
  | 'OLD'
  | 'RECENT'
  /** RFC 8514 */
  | 'SAVEDATESUPPORTED';

export type SearchStringKeyName = 'BCC' | 'BODY' | 'CC' | 'FROM' | 'SUBJECT' | 'TEXT' | 'TO';
export type SearchDateKeyName =
  | 'BEFORE'
  | 'ON'
  | 'SINCE'
  | 'SENTBEFORE'
  | 'SENTON'
  | 'SENTSINCE'
  | 'SAVEDBEFORE'
  | 'SAVEDON'
  | 'SAVEDSINCE';

export type SearchKey =
  | { readonly kind: SearchFlagKeyName }
  | { readonly kind: 'KEYWORD' | 'UNKEYWORD'; readonly flag: string }
  | { readonly kind: SearchStringKeyName; readonly value: string }
  | { readonly kind: 'HEADER'; readonly field: string; readonly value: string }
  | { readonly kind: SearchDateKeyName; readonly date: SearchDate }
  | { readonly kind: 'LARGER' | 'SMALLER'; readonly size: number }
  /** RFC 5032: interval in seconds. */
  | { readonly kind: 'OLDER' | 'YOUNGER'; readonly seconds: number }
  | { readonly kind: 'UID'; readonly set: SequenceSet }
  /** A bare sequence set (message numbers, or `$`). */
  | { readonly kind: 'SEQUENCE'; readonly set: SequenceSet }
  | { readonly kind: 'NOT'; readonly key: SearchKey }
  | { readonly kind: 'OR'; readonly left: SearchKey; readonly right: SearchKey }
  /** A parenthesised group: all keys must match. */
  | { readonly kind: 'AND'; readonly keys: readonly SearchKey[] }
  /** RFC 7162 §3.1.5; `entry` for the "/flags/<flag>" priv|shared|all form, flag canonicalised. */
  | { readonly kind: 'MODSEQ'; readonly modseq: bigint; readonly entry: { readonly flag: string; readonly type: 'priv' | 'shared' | 'all' } | null }
  /** RFC 8474 §6 */
  | { readonly kind: 'EMAILID' | 'THREADID'; readonly id: string };

export type SearchReturnOption = 'MIN' | 'MAX' | 'ALL' | 'COUNT' | 'SAVE';

export type SortKey = 'ARRIVAL' | 'CC' | 'DATE' | 'FROM' | 'SIZE' | 'SUBJECT' | 'TO' | 'DISPLAYFROM' | 'DISPLAYTO';

export interface SortCriterion {
  readonly key: SortKey;
  readonly reverse: boolean;
}

// ---------------------------------------------------------------------------------------------
// Mailbox level

export type StatusItem =
  | 'MESSAGES'
  | 'RECENT'
  | 'UIDNEXT'
  | 'UIDVALIDITY'
  | 'UNSEEN'
  | 'DELETED'
  | 'SIZE'
  /** RFC 9208 §4.2 */
  | 'DELETED-STORAGE'
  | 'HIGHESTMODSEQ'
  | 'APPENDLIMIT'
  | 'MAILBOXID';

/** Every STATUS item, in the order a STATUS response lists them. */
export const STATUS_ITEMS = [
  'MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'DELETED', 'SIZE', 'DELETED-STORAGE', 'HIGHESTMODSEQ',
  'APPENDLIMIT', 'MAILBOXID',
] as const satisfies readonly StatusItem[];

/** RFC 7162 §3.2.5 QRESYNC select parameter. */
export interface QresyncParams {
  readonly uidValidity: number;
  readonly modseq: bigint;
  readonly knownUids: SequenceSet | null;
  readonly seqMatch: { readonly sequences: SequenceSet; readonly uids: SequenceSet } | null;
}

export interface ListSelection {
  readonly subscribed: boolean;
  readonly remote: boolean;
  readonly recursiveMatch: boolean;
  /** RFC 6154 §5.1 */
  readonly specialUse: boolean;
}

export interface ListReturn {
  readonly subscribed: boolean;
  readonly children: boolean;
  readonly specialUse: boolean;
  /** RFC 5819 RETURN (STATUS (...)); null when not requested. */
  readonly status: readonly StatusItem[] | null;
}

/** One message of APPEND / REPLACE (RFC 3502, RFC 4466 append-message). */
export interface AppendMessage {
  /** Flags as sent (system flags canonicalised); null when the flag list was absent. */
  readonly flags: readonly string[] | null;
  readonly internalDate: DateTime | null;
  /** The message, byte for byte. */
  readonly data: Buffer;
  /** Sent as literal8 ~{n} (RFC 3516): may contain NUL and bare 8-bit data. */
  readonly binary: boolean;
  /** Sent with the UTF8 (...) data extension (RFC 6855 §4). */
  readonly utf8: boolean;
}

export interface IdParam {
  readonly field: string;
  readonly value: string | null;
}

export interface QuotaLimit {
  /** Upper-cased resource name (STORAGE, MESSAGE, MAILBOX, ...). */
  readonly resource: string;
  readonly limit: number;
}

// ---------------------------------------------------------------------------------------------
// Commands

interface Tagged {
  readonly tag: string;
}

export type SimpleCommandName =
  | 'CAPABILITY'
  | 'LOGOUT'
  | 'NOOP'
  | 'STARTTLS'
  | 'CHECK'
  | 'CLOSE'
  | 'UNSELECT'
  | 'NAMESPACE'
  | 'IDLE'
  | 'UNAUTHENTICATE';

export interface SimpleCommand extends Tagged {
  readonly kind: SimpleCommandName;
}
export interface LoginCommand extends Tagged {
  readonly kind: 'LOGIN';
  readonly username: string;
  readonly password: string;
}
export interface AuthenticateCommand extends Tagged {
  readonly kind: 'AUTHENTICATE';
  /** Upper-cased mechanism name. */
  readonly mechanism: string;
  /** RFC 4959 SASL-IR: decoded initial response ("=" gives an empty Buffer); null when absent. */
  readonly initialResponse: Buffer | null;
}
export interface IdCommand extends Tagged {
  readonly kind: 'ID';
  readonly params: readonly IdParam[] | null;
}
export interface EnableCommand extends Tagged {
  readonly kind: 'ENABLE';
  /** Upper-cased capability names. */
  readonly capabilities: readonly string[];
}
export interface CompressCommand extends Tagged {
  readonly kind: 'COMPRESS';
  /** Upper-cased, e.g. "DEFLATE". */
  readonly algorithm: string;
}
export interface SelectCommand extends Tagged {
  readonly kind: 'SELECT' | 'EXAMINE';
  readonly mailbox: string;
  readonly condstore: boolean;
  readonly qresync: QresyncParams | null;
}
export interface CreateCommand extends Tagged {
  readonly kind: 'CREATE';
  readonly mailbox: string;
  /** RFC 6154 CREATE (USE (...)): canonicalised attributes; empty when not given. */
  readonly specialUse: readonly string[];
}
export interface MailboxCommand extends Tagged {
  readonly kind: 'DELETE' | 'SUBSCRIBE' | 'UNSUBSCRIBE' | 'GETQUOTAROOT';
  readonly mailbox: string;
}
export interface RenameCommand extends Tagged {
  readonly kind: 'RENAME';
  readonly from: string;
  readonly to: string;
}
export interface ListCommand extends Tagged {
  readonly kind: 'LIST';
  readonly reference: string;
  readonly patterns: readonly string[];
  /** RFC 5258 §3: selection options, parenthesised patterns or RETURN options were used. */
  readonly extended: boolean;
  readonly selection: ListSelection;
  readonly returns: ListReturn;
}
export interface LsubCommand extends Tagged {
  readonly kind: 'LSUB';
  readonly reference: string;
  readonly pattern: string;
}
export interface StatusCommand extends Tagged {
  readonly kind: 'STATUS';
  readonly mailbox: string;
  readonly items: readonly StatusItem[];
}
export interface AppendCommand extends Tagged {
  readonly kind: 'APPEND';
  readonly mailbox: string;
  /** One or more (RFC 3502 MULTIAPPEND). */
  readonly messages: readonly AppendMessage[];
}
export interface GetQuotaCommand extends Tagged {
  readonly kind: 'GETQUOTA';
  readonly root: string;
}
export interface SetQuotaCommand extends Tagged {
  readonly kind: 'SETQUOTA';
  readonly root: string;
  readonly limits: readonly QuotaLimit[];
}
export interface ExpungeCommand extends Tagged {
  readonly kind: 'EXPUNGE';
  /** UID EXPUNGE (RFC 4315): `sequence` holds the UIDs; null for plain EXPUNGE. */
  readonly uid: boolean;
  readonly sequence: SequenceSet | null;
}
export interface CopyMoveCommand extends Tagged {
  readonly kind: 'COPY' | 'MOVE';
  readonly uid: boolean;
  readonly sequence: SequenceSet;
  readonly mailbox: string;
}
export interface FetchCommand extends Tagged {
  readonly kind: 'FETCH';
  readonly uid: boolean;
  readonly sequence: SequenceSet;
  /** Items in request order; macros are expanded. */
  readonly items: readonly FetchItem[];
  /** The macro used (ALL, FAST, FULL), if any. */
  readonly macro: 'ALL' | 'FAST' | 'FULL' | null;
  /** RFC 7162 CHANGEDSINCE modifier. */
  readonly changedSince: bigint | null;
  /** RFC 7162 §3.2.6 VANISHED modifier (UID FETCH with CHANGEDSINCE only). */
  readonly vanished: boolean;
}
export interface StoreCommand extends Tagged {
  readonly kind: 'STORE';
  readonly uid: boolean;
  readonly sequence: SequenceSet;
  /** FLAGS, +FLAGS, -FLAGS. */
  readonly action: 'set' | 'add' | 'remove';
  readonly silent: boolean;
  readonly flags: readonly string[];
  /** RFC 7162 UNCHANGEDSINCE modifier. */
  readonly unchangedSince: bigint | null;
}
export interface SearchCommand extends Tagged {
  readonly kind: 'SEARCH';
  readonly uid: boolean;
  /** Upper-cased CHARSET, or null when absent. */
  readonly charset: string | null;
  /** RFC 4731 RETURN options; null without RETURN; "RETURN ()" gives ["ALL"] (RFC 4731 §3.1). */
  readonly returnOptions: readonly SearchReturnOption[] | null;
  /** Implicitly AND-ed. */
  readonly criteria: readonly SearchKey[];
}
export interface SortCommand extends Tagged {
  readonly kind: 'SORT';
  readonly uid: boolean;
  readonly sortCriteria: readonly SortCriterion[];
  readonly charset: string;
  readonly criteria: readonly SearchKey[];
}
export interface ThreadCommand extends Tagged {
  readonly kind: 'THREAD';
  readonly uid: boolean;
  readonly algorithm: 'REFERENCES' | 'ORDEREDSUBJECT';
  readonly charset: string;
  readonly criteria: readonly SearchKey[];
}
export interface ReplaceCommand extends Tagged {
  readonly kind: 'REPLACE';
  readonly uid: boolean;
  /** The message (sequence number or UID) being replaced. */
  readonly target: SeqNumber;
  readonly mailbox: string;
  readonly message: AppendMessage;
}

export type Command =
  | SimpleCommand
  | LoginCommand
  | AuthenticateCommand
  | IdCommand
  | EnableCommand
  | CompressCommand
  | SelectCommand
  | CreateCommand
  | MailboxCommand
  | RenameCommand
  | ListCommand
  | LsubCommand
  | StatusCommand
  | AppendCommand
  | GetQuotaCommand
  | SetQuotaCommand
  | ExpungeCommand
  | CopyMoveCommand
  | FetchCommand
  | StoreCommand
  | SearchCommand
  | SortCommand
  | ThreadCommand
  | ReplaceCommand;

export type CommandKind = Command['kind'];
