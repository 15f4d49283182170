/**
 * The response serializer (DESIGN principle 3): typed responses in, Buffers out.
 *
 * A ResponseWriter batches responses: text accumulates in a string and is encoded once per
 * flush, literal data (message bodies) is kept as separate Buffer chunks, and take() returns the
 * chunks ready for socket.write / writev with small pieces coalesced. The client's UTF-8 state
 * decides how mailbox names and strings are written (RFC 6855 §3).
 */
import { imapString } from '../../../mime/imap-format.js';
import { writeFetch, type Sink } from './fetch-response.js';
import { astring, delimiter, formatCode, mailboxName, respText, uidList } from './format.js';
import type { NamespaceDescr, Response, StatusValues, ThreadNode } from './responses.js';
import { STATUS_ITEMS } from './types.js';

/** Text is encoded to a Buffer once it grows past this many UTF-16 units. */
const TEXT_FLUSH = 32 * 1024;
/** Chunks at least this large are passed through as they are; smaller ones are merged. */
const PASS_THROUGH = 16 * 1024;
const MERGE_MAX = 64 * 1024;

const STATUS_ORDER = STATUS_ITEMS satisfies readonly (keyof StatusValues)[];

export class ResponseWriter implements Sink {
  /** The client enabled UTF8=ACCEPT / IMAP4rev2. */
  utf8: boolean;
  private text = '';
  private chunks: Buffer[] = [];

  constructor(options: { utf8?: boolean } = {}) {
    this.utf8 = options.utf8 ?? false;
  }

  str(s: string): void {
    this.text += s;
    if (this.text.length > TEXT_FLUSH) this.flushText();
  }

  bytes(b: Buffer): void {
    this.flushText();
    this.chunks.push(b);
  }

  private flushText(): void {
    if (this.text.length > 0) {
      this.chunks.push(Buffer.from(this.text, 'utf8'));
      this.text = '';
    }
  }

  /** True when nothing is waiting to be taken. */
  get empty(): boolean {
    return this.text.length === 0 && this.chunks.length === 0;
  }

  /** Everything written so far as Buffers in order; small pieces merged, large bodies passed through. */
  take(): Buffer[] {
    this.flushText();
    const out: Buffer[] = [];
    let run: Buffer[] = [];
    let runLen = 0;
    const endRun = (): void => {
      if (run.length > 0) out.push(run.length === 1 ? run[0]! : Buffer.concat(run, runLen));
      run = [];
      runLen = 0;
    };
    for (const c of this.chunks) {
      if (c.length >= PASS_THROUGH) {
        endRun();
        out.push(c);
        continue;
      }
      run.push(c);
      runLen += c.length;
      if (runLen >= MERGE_MAX) endRun();
    }
    endRun();
    this.chunks = [];
    return out;
  }

  /** Append one response. */
  write(r: Response): void {
    switch (r.kind) {
      case 'status': {
        const code = r.code ?? null;
        const text = respText(r.text.length > 0 ? r.text : code !== null ? code.code : r.status, this.utf8, code !== null);
        this.str(`${r.tag ?? '*'} ${r.status} ${code !== null ? `[${formatCode(code)}] ` : ''}${text}\r\n`);
        return;
      }
      case 'continue':
        if (r.base64 !== undefined) this.str(`+ ${r.base64.toString('base64')}\r\n`);
        else this.str(`+ ${respText(r.text ?? 'Ready', this.utf8, false)}\r\n`);
        return;
      case 'CAPABILITY':
      case 'ENABLED':
        this.str(['*', r.kind, ...r.capabilities].join(' ') + '\r\n');
        return;
      case 'FLAGS':
        this.str(`* FLAGS (${r.flags.join(' ')})\r\n`);
        return;
      case 'LIST':
      case 'LSUB':
        this.str(`* ${r.kind} (${r.attributes.join(' ')}) ${delimiter(r.delimiter)} ${mailboxName(r.mailbox, this.utf8)}${listExtended(r.childInfo, r.oldName, this.utf8)}\r\n`);
        return;
      case 'STATUS':
        this.str(`* STATUS ${mailboxName(r.mailbox, this.utf8)} (${statusValues(r.values)})\r\n`);
        return;
      case 'EXISTS':
      case 'RECENT':
      case 'EXPUNGE':
        this.str(`* ${r.n} ${r.kind}\r\n`);
        return;
      case 'VANISHED':
        this.str(`* VANISHED ${r.earlier ? '(EARLIER) ' : ''}${uidList(r.uids)}\r\n`);
        return;
      case 'SEARCH':
      case 'SORT': {
        // RFC 7162 §3.1.5: "(MODSEQ n)" follows a non-empty result.
        const modseq = r.modseq !== undefined && r.ids.length > 0 ? ` (MODSEQ ${r.modseq})` : '';
        this.str(`* ${r.kind}${r.ids.length > 0 ? ' ' + r.ids.join(' ') : ''}${modseq}\r\n`);
        return;
      }
      case 'ESEARCH': {
        // RFC 4731 §3.1 / RFC 9051 §7.3.4
        let s = '* ESEARCH';
        if (r.tag !== null) s += ` (TAG ${imapString(r.tag)})`;
        if (r.uid) s += ' UID';
        if (r.min !== undefined) s += ` MIN ${r.min}`;
        if (r.max !== undefined) s += ` MAX ${r.max}`;
        if (r.all !== undefined) {
          const all = uidList(r.all);
          if (all.length > 0) s += ` ALL ${all}`;
        }
        if (r.count !== undefined) s += ` COUNT ${r.count}`;
        if (r.modseq !== undefined) s += ` MODSEQ ${r.modseq}`;
        this.str(s + '\r\n');
        return;
      }
      case 'THREAD':
        this.str(`* THREAD${r.threads.length > 0 ? ' ' + r.threads.map(threadList).join('') : ''}\r\n`);
        return;
      case 'ID':
        this.str(
          r.params === null
            ? '* ID NIL\r\n'
            : `* ID (${r.params.map((p) => `${imapString(p.field)} ${imapString(p.value, this.utf8)}`).join(' ')})\r\n`,
        );
        return;
      case 'NAMESPACE':
        this.str(`* NAMESPACE ${namespace(r.personal, this.utf8)} ${namespace(r.other, this.utf8)} ${namespace(r.shared, this.utf8)}\r\n`);
        return;
      case 'QUOTA':
        this.str(`* QUOTA ${astring(r.root, this.utf8)} (${r.resources.map((q) => `${q.name} ${q.usage} ${q.limit}`).join(' ')})\r\n`);
        return;
      case 'QUOTAROOT':
        this.str(`* QUOTAROOT ${mailboxName(r.mailbox, this.utf8)}${r.roots.map((q) => ' ' + astring(q, this.utf8)).join('')}\r\n`);
        return;
      case 'FETCH':
        writeFetch(this, r.seq, r.items);
        return;
    }
  }
}

/** RFC 5258 mbox-list-extended: CHILDINFO (selection options always quoted) and OLDNAME. */
function listExtended(childInfo: readonly string[] | undefined, oldName: string | undefined, utf8: boolean): string {
  const items: string[] = [];
  if (childInfo !== undefined && childInfo.length > 0) items.push(`"CHILDINFO" (${childInfo.map((c) => `"${c}"`).join(' ')})`);
  if (oldName !== undefined) items.push(`"OLDNAME" (${mailboxName(oldName, utf8)})`);
  return items.length > 0 ? ` (${items.join(' ')})` : '';
}

function statusValues(v: StatusValues): string {
  const parts: string[] = [];
  for (const key of STATUS_ORDER) {
    const value = v[key];
    if (value === undefined) continue;
    if (key === 'MAILBOXID') parts.push(`MAILBOXID (${value})`);
    else parts.push(`${key} ${value === null ? 'NIL' : value}`);
  }
  return parts.join(' ');
}

function namespace(list: readonly NamespaceDescr[] | null, utf8: boolean): string {
  if (list === null || list.length === 0) return 'NIL';
  return `(${list.map((n) => `(${mailboxName(n.prefix, utf8)} ${delimiter(n.delimiter)})`).join('')})`;
}

/**
 * RFC 5256 §4: thread-list = "(" (thread-members / thread-nested) ")", members are a chain of
 * single-child messages, branches are nested lists. Iterative, so a hostile deep thread cannot
 * exhaust the stack.
 */
export function threadList(root: ThreadNode): string {
  let out = '';
  // Work items: a node to open, or a string to emit.
  const stack: (ThreadNode | string)[] = [root];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === 'string') {
      out += item;
      continue;
    }
    out += '(';
    let node = item;
    let first = true;
    for (;;) {
      if (node.message !== null) {
        out += (first ? '' : ' ') + node.message;
        first = false;
      }
      if (node.children.length === 1) {
        node = node.children[0]!;
        continue;
      }
      break;
    }
    stack.push(')');
    if (node.children.length > 1) {
      if (!first) out += ' ';
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
  return out;
}

/** Serialize one response to Buffers (see ResponseWriter for batching many). */
export function serializeResponse(r: Response, options: { utf8?: boolean } = {}): Buffer[] {
  const w = new ResponseWriter(options);
  w.write(r);
  return w.take();
}

/** Serialize one response into a single Buffer (tests, small responses). */
export function responseToBuffer(r: Response, options: { utf8?: boolean } = {}): Buffer {
  return Buffer.concat(serializeResponse(r, options));
}
