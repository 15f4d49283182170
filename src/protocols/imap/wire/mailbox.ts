/**
 * Mailbox commands: SELECT / EXAMINE (RFC 4466 select-params: RFC 7162 CONDSTORE and QRESYNC),
 * CREATE (RFC 6154 USE), DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, STATUS.
 */
import type { Reader } from './reader.js';
import { usesStar, type SequenceSet } from './sequence-set.js';
import { STATUS_ITEMS, type CreateCommand, type MailboxCommand, type QresyncParams, type RenameCommand, type SelectCommand, type StatusCommand, type StatusItem } from './types.js';

const STATUS_ITEM_NAMES: ReadonlySet<string> = new Set<string>(STATUS_ITEMS);

/** "(" status-att *(SP status-att) ")" — also used by LIST RETURN (STATUS (...)) (RFC 5819). */
export function parseStatusItems(r: Reader): StatusItem[] {
  r.open();
  const items: StatusItem[] = [];
  for (;;) {
    const name = r.keyword();
    if (!STATUS_ITEM_NAMES.has(name)) r.fail(`Unknown STATUS item ${name}`);
    items.push(name as StatusItem);
    if (r.eat(0x29)) break;
    r.sp();
  }
  r.leave();
  return items;
}

/** status = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")" */
export function parseStatus(r: Reader, tag: string): StatusCommand {
  r.sp();
  const mailbox = r.mailbox();
  r.sp();
  return { tag, kind: 'STATUS', mailbox, items: parseStatusItems(r) };
}

/** DELETE / SUBSCRIBE / UNSUBSCRIBE / GETQUOTAROOT: one mailbox argument. */
export function parseMailboxOnly(kind: MailboxCommand['kind']) {
  return (r: Reader, tag: string): MailboxCommand => {
    r.sp();
    return { tag, kind, mailbox: r.mailbox() };
  };
}

/** rename = "RENAME" SP mailbox SP mailbox (no rename-params are defined that we support). */
export function parseRename(r: Reader, tag: string): RenameCommand {
  r.sp();
  const from = r.mailbox();
  r.sp();
  const to = r.mailbox();
  return { tag, kind: 'RENAME', from, to };
}

const USE_ATTRS = new Map<string, string>(
  ['\\All', '\\Archive', '\\Drafts', '\\Flagged', '\\Junk', '\\Sent', '\\Trash'].map((a) => [a.toUpperCase(), a]),
);

/** create = "CREATE" SP mailbox [SP "(" create-param *(SP create-param) ")"]; RFC 6154 §6 USE. */
export function parseCreate(r: Reader, tag: string): CreateCommand {
  r.sp();
  const mailbox = r.mailbox();
  const specialUse: string[] = [];
  if (r.eat(0x20)) {
    r.open();
    for (;;) {
      const name = r.keyword();
      if (name !== 'USE') r.fail(`Unknown CREATE parameter ${name}`);
      r.sp();
      r.open();
      if (!r.eat(0x29)) {
        for (;;) {
          r.expect(0x5c, 'special-use attribute');
          const attr = '\\' + r.atom();
          specialUse.push(USE_ATTRS.get(attr.toUpperCase()) ?? attr);
          if (r.eat(0x29)) break;
          r.sp();
        }
      }
      r.leave();
      if (r.eat(0x29)) break;
      r.sp();
    }
    r.leave();
  }
  return { tag, kind: 'CREATE', mailbox, specialUse };
}

/** select / examine = name SP mailbox [select-params] (RFC 4466, RFC 7162 §3.1.8 and §3.2.5). */
export function parseSelect(kind: 'SELECT' | 'EXAMINE') {
  return (r: Reader, tag: string): SelectCommand => {
    r.sp();
    const mailbox = r.mailbox();
    let condstore = false;
    let qresync: QresyncParams | null = null;
    if (r.eat(0x20)) {
      r.open();
      for (;;) {
        const name = r.keyword();
        if (name === 'CONDSTORE') condstore = true;
        else if (name === 'QRESYNC' && qresync === null) {
          r.sp();
          qresync = parseQresync(r);
        } else r.fail(`Unknown ${kind} parameter ${name}`);
        if (r.eat(0x29)) break;
        r.sp();
      }
      r.leave();
    }
    return { tag, kind, mailbox, condstore, qresync };
  };
}

/** "(" uidvalidity SP mod-sequence-value [SP known-uids] [SP seq-match-data] ")" */
function parseQresync(r: Reader): QresyncParams {
  r.open();
  const uidValidity = r.nzNumber();
  r.sp();
  const modseq = r.bigNumber();
  if (modseq === 0n) r.fail('QRESYNC mod-sequence must be positive');
  let knownUids: SequenceSet | null = null;
  let seqMatch: QresyncParams['seqMatch'] = null;
  if (r.eat(0x20)) {
    if (r.peek() !== 0x28) {
      knownUids = knownSet(r);
      if (r.eat(0x20)) seqMatch = parseSeqMatch(r);
    } else seqMatch = parseSeqMatch(r);
  }
  r.close();
  return { uidValidity, modseq, knownUids, seqMatch };
}

/** seq-match-data = "(" known-sequence-set SP known-uid-set ")" */
function parseSeqMatch(r: Reader): NonNullable<QresyncParams['seqMatch']> {
  r.open();
  const sequences = knownSet(r);
  r.sp();
  const uids = knownSet(r);
  r.close();
  return { sequences, uids };
}

/** RFC 7162 §3.2.5: "*" is not allowed in known-uids and seq-match-data (nor is "$"). */
function knownSet(r: Reader): SequenceSet {
  const set = r.sequenceSet();
  if (set.kind === 'saved' || usesStar(set)) r.fail('"*" and "$" are not allowed in QRESYNC sets');
  return set;
}
