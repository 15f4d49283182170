/**
 * Command dispatch: tag, name, then the grammar of that command (RFC 9051 §9 "command").
 * Also the small message commands STORE, COPY, MOVE and EXPUNGE.
 */
import { parseAppend, parseReplace } from './append.js';
import { parseAuthenticate, parseLogin } from './auth.js';
import { parseFetch } from './fetch.js';
import { parseList, parseLsub } from './list.js';
import { parseCreate, parseMailboxOnly, parseRename, parseSelect, parseStatus } from './mailbox.js';
import { parseCompress, parseEnable, parseGetQuota, parseId, parseSetQuota } from './misc.js';
import { Reader, WireError, type FramedCommand, type GrammarOptions } from './reader.js';
import { parseSearch, parseSort, parseThread } from './search.js';
import type { Command, CopyMoveCommand, ExpungeCommand, SimpleCommandName, StoreCommand } from './types.js';

type Parse = (r: Reader, tag: string, uid: boolean) => Command;

/** store = "STORE" SP sequence-set [store-modifiers] SP store-att-flags (RFC 9051, RFC 7162 §3.1.3) */
function parseStore(r: Reader, tag: string, uid: boolean): StoreCommand {
  r.sp();
  const sequence = r.sequenceSet();
  r.sp();
  let unchangedSince: bigint | null = null;
  if (r.peek() === 0x28) {
    r.open();
    for (;;) {
      const name = r.label();
      if (name !== 'UNCHANGEDSINCE' || unchangedSince !== null) r.fail(`Unknown or repeated STORE modifier ${name}`);
      r.sp();
      unchangedSince = r.bigNumber();
      if (r.eat(0x29)) break;
      r.sp();
    }
    r.leave();
    r.sp();
  }
  const action = r.eat(0x2b) ? 'add' : r.eat(0x2d) ? 'remove' : 'set';
  const op = r.label();
  if (op !== 'FLAGS' && op !== 'FLAGS.SILENT') r.fail('Expected FLAGS, +FLAGS or -FLAGS');
  r.sp();
  let flags: string[];
  if (r.peek() === 0x28) flags = r.flagList();
  else {
    flags = [r.flag()];
    while (r.eat(0x20)) flags.push(r.flag());
  }
  return { tag, kind: 'STORE', uid, sequence, action, silent: op === 'FLAGS.SILENT', flags, unchangedSince };
}

function parseCopyMove(kind: 'COPY' | 'MOVE'): Parse {
  return (r, tag, uid): CopyMoveCommand => {
    r.sp();
    const sequence = r.sequenceSet();
    r.sp();
    return { tag, kind, uid, sequence, mailbox: r.mailbox() };
  };
}

/** EXPUNGE, or UID EXPUNGE SP sequence-set (RFC 4315 §2.1). */
function parseExpunge(r: Reader, tag: string, uid: boolean): ExpungeCommand {
  if (!uid) return { tag, kind: 'EXPUNGE', uid, sequence: null };
  r.sp();
  return { tag, kind: 'EXPUNGE', uid, sequence: r.sequenceSet() };
}

const simple =
  (kind: SimpleCommandName): Parse =>
  (_r, tag) => ({ tag, kind });

/** Commands that may follow "UID " (RFC 9051 "uid", RFC 4315, RFC 6851, RFC 5256, RFC 8508). */
const UID_COMMANDS: ReadonlyMap<string, Parse> = new Map<string, Parse>([
  ['COPY', parseCopyMove('COPY')],
  ['MOVE', parseCopyMove('MOVE')],
  ['FETCH', parseFetch],
  ['SEARCH', parseSearch],
  ['STORE', parseStore],
  ['EXPUNGE', parseExpunge],
  ['SORT', parseSort],
  ['THREAD', parseThread],
  ['REPLACE', parseReplace],
]);

const COMMANDS: ReadonlyMap<string, Parse> = new Map<string, Parse>([
  ...(['CAPABILITY', 'LOGOUT', 'NOOP', 'STARTTLS', 'CHECK', 'CLOSE', 'UNSELECT', 'NAMESPACE', 'IDLE', 'UNAUTHENTICATE'] as const).map(
    (name): [string, Parse] => [name, simple(name)],
  ),
  ['LOGIN', parseLogin],
  ['AUTHENTICATE', parseAuthenticate],
  ['ID', parseId],
  ['ENABLE', parseEnable],
  ['COMPRESS', parseCompress],
  ['SELECT', parseSelect('SELECT')],
  ['EXAMINE', parseSelect('EXAMINE')],
  ['CREATE', parseCreate],
  ['DELETE', parseMailboxOnly('DELETE')],
  ['SUBSCRIBE', parseMailboxOnly('SUBSCRIBE')],
  ['UNSUBSCRIBE', parseMailboxOnly('UNSUBSCRIBE')],
  ['GETQUOTAROOT', parseMailboxOnly('GETQUOTAROOT')],
  ['GETQUOTA', parseGetQuota],
  ['SETQUOTA', parseSetQuota],
  ['RENAME', parseRename],
  ['LIST', parseList],
  ['LSUB', parseLsub],
  ['STATUS', parseStatus],
  ['APPEND', parseAppend],
  ...[...UID_COMMANDS].filter(([name]) => name !== 'EXPUNGE'),
  ['EXPUNGE', parseExpunge],
]);

/** True for a command name (upper-case) this parser knows; `uidSub` for the word after UID. */
export function isKnownCommand(name: string, uidSub?: string): boolean {
  if (name === 'UID') return uidSub === undefined || UID_COMMANDS.has(uidSub);
  return COMMANDS.has(name);
}

export type ParseOutcome =
  | { readonly ok: true; readonly command: Command }
  | { readonly ok: false; readonly tag: string | null; readonly error: WireError };

/** Parse one complete framed command. Never throws for bad input. */
export function parseCommand(input: FramedCommand, opts: GrammarOptions): ParseOutcome {
  const r: Reader = new Reader(input, opts);
  let tag: string | null = null;
  try {
    tag = r.tag();
    r.sp();
    let name = r.keyword();
    let parse = COMMANDS.get(name);
    let uid = false;
    if (name === 'UID') {
      r.sp();
      name = r.keyword();
      parse = UID_COMMANDS.get(name);
      uid = true;
    }
    if (parse === undefined) r.fail(`Unknown command ${uid ? 'UID ' : ''}${name}`);
    const command = parse(r, tag, uid);
    r.finish();
    return { ok: true, command };
  } catch (e) {
    if (e instanceof WireError) return { ok: false, tag, error: e };
    throw e;
  }
}
