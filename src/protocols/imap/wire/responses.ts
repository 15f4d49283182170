/**
 * Typed IMAP server responses, turned into bytes only by serialize.ts (DESIGN principle 3).
 */
import type { SequenceSet } from './sequence-set.js';
import type { BodySection, DateTime, IdParam } from './types.js';

/** Response codes without arguments (RFC 9051 §7.1, RFC 5530, RFC 4315, RFC 7162, RFC 6154, RFC 4469, RFC 4978, RFC 5182). */
export type SimpleResponseCode =
  | 'ALERT'
  | 'PARSE'
  | 'READ-ONLY'
  | 'READ-WRITE'
  | 'TRYCREATE'
  | 'UIDNOTSTICKY'
  | 'UNAVAILABLE'
  | 'AUTHENTICATIONFAILED'
  | 'AUTHORIZATIONFAILED'
  | 'EXPIRED'
  | 'PRIVACYREQUIRED'
  | 'CONTACTADMIN'
  | 'NOPERM'
  | 'INUSE'
  | 'EXPUNGEISSUED'
  | 'CORRUPTION'
  | 'SERVERBUG'
  | 'CLIENTBUG'
  | 'CANNOT'
  | 'LIMIT'
  | 'OVERQUOTA'
  | 'ALREADYEXISTS'
  | 'NONEXISTENT'
  | 'NOTSAVED'
  | 'HASCHILDREN'
  | 'CLOSED'
  | 'UNKNOWN-CTE'
  | 'NOMODSEQ'
  | 'USEATTR'
  | 'TOOBIG'
  | 'COMPRESSIONACTIVE';

/** A list of UIDs given either as a structured set or as numbers (compressed on output, order kept). */
export type UidList = SequenceSet | readonly number[];

export type ResponseCode =
  | { readonly code: SimpleResponseCode }
  | { readonly code: 'BADCHARSET'; readonly charsets?: readonly string[] }
  | { readonly code: 'CAPABILITY'; readonly capabilities: readonly string[] }
  | { readonly code: 'PERMANENTFLAGS'; readonly flags: readonly string[] }
  | { readonly code: 'UIDNEXT' | 'UIDVALIDITY'; readonly value: number }
  | { readonly code: 'APPENDUID'; readonly uidValidity: number; readonly uids: UidList }
  | { readonly code: 'COPYUID'; readonly uidValidity: number; readonly source: UidList; readonly destination: UidList }
  | { readonly code: 'HIGHESTMODSEQ'; readonly modseq: bigint | number }
  | { readonly code: 'MODIFIED'; readonly set: UidList }
  | { readonly code: 'MAILBOXID'; readonly id: string }
  /** Any other code: `[ATOM text]`. */
  | { readonly code: 'OTHER'; readonly atom: string; readonly text?: string };

export type StatusCondition = 'OK' | 'NO' | 'BAD' | 'PREAUTH' | 'BYE';

/** Values of a STATUS response (RFC 9051 §7.3.2 and extensions); only present keys are sent, in this order. */
export interface StatusValues {
  MESSAGES?: number;
  RECENT?: number;
  UIDNEXT?: number;
  UIDVALIDITY?: number;
  UNSEEN?: number;
  DELETED?: number;
  SIZE?: number;
  'DELETED-STORAGE'?: number;
  HIGHESTMODSEQ?: bigint | number;
  APPENDLIMIT?: number | null;
  MAILBOXID?: string;
}

export interface NamespaceDescr {
  readonly prefix: string;
  readonly delimiter: string | null;
}

/** A THREAD tree node; `message` null is a placeholder parent (RFC 5256 §4: "((3)(5))"). */
export interface ThreadNode {
  readonly message: number | null;
  readonly children: readonly ThreadNode[];
}

export interface QuotaResource {
  readonly name: string;
  readonly usage: number;
  readonly limit: number;
}

/**
 * FETCH data items as produced by command handlers. ENVELOPE and BODY[STRUCTURE] come
 * pre-serialized (by the MIME module); body data is passed as Buffers and never copied into strings.
 */
export type FetchAttr =
  | { readonly kind: 'UID'; readonly uid: number }
  | { readonly kind: 'FLAGS'; readonly flags: readonly string[] }
  | { readonly kind: 'MODSEQ'; readonly modseq: bigint | number }
  | { readonly kind: 'INTERNALDATE'; readonly date: DateTime | Date }
  | { readonly kind: 'SAVEDATE'; readonly date: DateTime | Date | null }
  | { readonly kind: 'RFC822.SIZE'; readonly size: number }
  | { readonly kind: 'EMAILID'; readonly id: string }
  | { readonly kind: 'THREADID'; readonly id: string | null }
  | { readonly kind: 'ENVELOPE' | 'BODYSTRUCTURE' | 'BODY'; readonly value: string | Buffer }
  | { readonly kind: 'BODY[]'; readonly section: BodySection; readonly origin: number | null; readonly data: Buffer | null }
  | { readonly kind: 'BINARY[]'; readonly part: readonly number[]; readonly origin: number | null; readonly data: Buffer | null }
  | { readonly kind: 'BINARY.SIZE'; readonly part: readonly number[]; readonly size: number }
  | { readonly kind: 'RFC822' | 'RFC822.HEADER' | 'RFC822.TEXT'; readonly data: Buffer | null }
  | { readonly kind: 'PREVIEW'; readonly text: string | null };

export type Response =
  /** Tagged (tag set) or untagged (tag null) OK/NO/BAD, untagged PREAUTH/BYE. */
  | { readonly kind: 'status'; readonly tag: string | null; readonly status: StatusCondition; readonly code?: ResponseCode | null; readonly text: string }
  /** "+ text", or "+ base64" for a SASL challenge. */
  | { readonly kind: 'continue'; readonly text?: string; readonly base64?: Buffer }
  | { readonly kind: 'CAPABILITY' | 'ENABLED'; readonly capabilities: readonly string[] }
  | { readonly kind: 'FLAGS'; readonly flags: readonly string[] }
  | {
      readonly kind: 'LIST' | 'LSUB';
      readonly attributes: readonly string[];
      readonly delimiter: string | null;
      readonly mailbox: string;
      /** RFC 5258 CHILDINFO extended data, e.g. ["SUBSCRIBED"]. */
      readonly childInfo?: readonly string[];
      /** RFC 5465/9051 OLDNAME extended data. */
      readonly oldName?: string;
    }
  | { readonly kind: 'STATUS'; readonly mailbox: string; readonly values: StatusValues }
  | { readonly kind: 'EXISTS' | 'RECENT' | 'EXPUNGE'; readonly n: number }
  | { readonly kind: 'VANISHED'; readonly earlier: boolean; readonly uids: UidList }
  /** RFC 3501 SEARCH / RFC 5256 SORT; modseq per RFC 7162 §3.1.5. */
  | { readonly kind: 'SEARCH' | 'SORT'; readonly ids: readonly number[]; readonly modseq?: bigint | number }
  | {
      readonly kind: 'ESEARCH';
      /** Tag of the command, for the (TAG "...") correlator; null to omit. */
      readonly tag: string | null;
      readonly uid: boolean;
      readonly min?: number;
      readonly max?: number;
      readonly all?: UidList;
      readonly count?: number;
      readonly modseq?: bigint | number;
    }
  | { readonly kind: 'THREAD'; readonly threads: readonly ThreadNode[] }
  | { readonly kind: 'ID'; readonly params: readonly IdParam[] | null }
  | {
      readonly kind: 'NAMESPACE';
      readonly personal: readonly NamespaceDescr[] | null;
      readonly other: readonly NamespaceDescr[] | null;
      readonly shared: readonly NamespaceDescr[] | null;
    }
  | { readonly kind: 'QUOTA'; readonly root: string; readonly resources: readonly QuotaResource[] }
  | { readonly kind: 'QUOTAROOT'; readonly mailbox: string; readonly roots: readonly string[] }
  | { readonly kind: 'FETCH'; readonly seq: number; readonly items: readonly FetchAttr[] };
