/**
 * The golden text of a message: BODYSTRUCTURE, BODY, ENVELOPE, the part table with offsets, a set
 * of BODY[section] fetches and the parsed message-level fields. Written to be read by a person:
 * long values show their beginning and end plus a SHA-256 of the whole.
 */
import { createHash } from 'node:crypto';
import type { MimePart, ParsedMessage } from '../../src/mime/types.js';
import { parseMessage } from '../../src/mime/parse.js';
import { imapBodyStructure } from '../../src/mime/imap-bodystructure.js';
import { imapEnvelope } from '../../src/mime/imap-envelope.js';
import { sectionBytes, type SectionSpec } from '../../src/mime/section.js';

const LONG_LINE = 2000;
const LONG_SECTION = 400;
const EDGE = 160;

const sha = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex').slice(0, 16);

/** A line of IMAP output, JSON-quoted only when it contains a line break (literals). */
function line(s: string): string {
  const shown = /[\r\n]/.test(s) ? 'json ' + JSON.stringify(s) : s;
  if (shown.length <= LONG_LINE) return shown;
  return `${shown.slice(0, 600)} …[${shown.length} chars, sha256 ${sha(shown)}]… ${shown.slice(-600)}`;
}

function bytes(data: Buffer): string {
  const text = data.toString('latin1');
  if (data.length <= LONG_SECTION) return '  ' + JSON.stringify(text);
  return `  ${JSON.stringify(text.slice(0, EDGE))}\n  …[sha256 ${sha(data)}]…\n  ${JSON.stringify(text.slice(-EDGE))}`;
}

interface Numbered {
  path: number[];
  part: MimePart;
}

interface Node {
  path: number[];
  part: MimePart;
  /** The root of a message (top level or encapsulated): not itself numbered. */
  isRoot: boolean;
}

/**
 * Every part with its IMAP part number (RFC 9051 §6.4.5.1), in order: the top-level root (path
 * []), then numbered parts. The parts of a message are its root's children, or, when the root is
 * not multipart, part 1 is the root itself; numbering continues inside message/rfc822 parts.
 */
function numberedParts(root: MimePart): Numbered[] {
  const out: Numbered[] = [{ path: [], part: root }];
  const stack: Node[] = [{ path: [], part: root, isRoot: true }];
  while (stack.length > 0) {
    const { path, part, isRoot } = stack.pop() as Node;
    if (!isRoot) out.push({ path, part });
    const next: Node[] = [];
    if (part.children !== undefined) {
      part.children.forEach((c, i) => next.push({ path: [...path, i + 1], part: c, isRoot: false }));
    } else if (isRoot) {
      next.push({ path: [...path, 1], part, isRoot: false });
    } else if (part.message !== undefined) {
      next.push({ path, part: part.message.root, isRoot: true });
    }
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i] as Node);
  }
  return out;
}

const name = (path: number[]): string => path.join('.');

function sectionLabel(spec: SectionSpec): string {
  const parts = name(spec.part);
  let text = spec.text ?? '';
  if (spec.fields !== undefined) text += ' (' + spec.fields.join(' ') + ')';
  return `BODY[${parts}${parts !== '' && text !== '' ? '.' : ''}${text}]`;
}

function sections(raw: Buffer, m: ParsedMessage): string[] {
  const specs: SectionSpec[] = [
    { part: [], text: 'HEADER.FIELDS', fields: ['FROM', 'TO', 'CC', 'SUBJECT', 'DATE', 'MESSAGE-ID'] },
    { part: [], text: 'TEXT' },
  ];
  const seen = new Set<string>();
  for (const { path, part } of numberedParts(m.root)) {
    if (path.length === 0 || seen.has(name(path))) continue;
    seen.add(name(path));
    specs.push({ part: path });
    specs.push({ part: path, text: 'MIME' });
    if (part.message !== undefined) specs.push({ part: path, text: 'HEADER' });
  }
  const out: string[] = [];
  for (const spec of specs) {
    const data = sectionBytes(raw, m.root, spec);
    out.push(`${sectionLabel(spec)} ${data.length} bytes`, bytes(data));
  }
  return out;
}

function partTable(m: ParsedMessage): string[] {
  return numberedParts(m.root).map(({ path, part }) => {
    const label = path.length === 0 ? '(root)' : name(path);
    return `${label.padEnd(10)} ${(part.type + '/' + part.subtype).padEnd(32)} header ${part.headerStart}-${part.bodyStart}` +
      ` body ${part.bodyStart}-${part.bodyEnd} lines ${part.bodyLines}` +
      (part.children !== undefined ? ` children ${part.children.length}` : '');
  });
}

/** The golden text for `raw` (`source` names where it came from). */
export function renderGolden(source: string, raw: Buffer): string {
  const m = parseMessage(raw);
  const lines = [
    `# ${source}, line endings normalized to CRLF, ${raw.length} bytes`,
    '',
    'BODYSTRUCTURE',
    line(imapBodyStructure(m.root, true)),
    '',
    'BODY',
    line(imapBodyStructure(m.root, false)),
    '',
    'ENVELOPE',
    line(imapEnvelope(m.envelope)),
    '',
    'PARTS (header and body as byte offsets)',
    ...partTable(m),
    '',
    'SECTIONS',
    ...sections(raw, m),
    '',
    'PARSED',
    `subject      ${line(JSON.stringify(m.subject))}`,
    `baseSubject  ${line(JSON.stringify(m.baseSubject))}`,
    `date         ${m.date === null ? 'null' : new Date(m.date).toISOString()}`,
    `from         ${line(JSON.stringify(m.from))}`,
    `to           ${line(JSON.stringify(m.to))}`,
    `cc           ${line(JSON.stringify(m.cc))}`,
    `messageId    ${JSON.stringify(m.messageId)}`,
    `inReplyTo    ${JSON.stringify(m.inReplyTo)}`,
    `references   ${line(JSON.stringify(m.references))}`,
    `headerSize   ${m.headerSize}`,
    `preview      ${JSON.stringify(m.preview)}`,
    `attachment   ${m.hasAttachment}`,
    '',
  ];
  return lines.join('\n');
}
