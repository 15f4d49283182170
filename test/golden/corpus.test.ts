/**
 * Golden tests over ../shared/corpus: BODYSTRUCTURE, BODY, ENVELOPE, part offsets, BODY[section]
 * fetches and parsed fields of every corpus message (CRLF-normalized) must match the hand-checked
 * files in test/golden/mime/. Regenerate with UPDATE_GOLDEN=1 and review the diff line by line.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { MimePart } from '../../src/mime/types.js';
import { parseMessageStrict } from '../../src/mime/parse.js';
import { imapBodyStructure } from '../../src/mime/imap-bodystructure.js';
import { corpusMessages, toCrlf } from './corpus.js';
import { renderGolden } from './render.js';

const GOLDEN_DIR = fileURLToPath(new URL('./mime/', import.meta.url));
const update = process.env['UPDATE_GOLDEN'] === '1';
const messages = corpusMessages();

describe('corpus golden files', () => {
  it('covers the corpus', () => {
    expect(messages.length).toBeGreaterThanOrEqual(32 + 3 + 2 + 4 + 29);
  });
  it.each(messages.map((m) => [m.source, m] as const))('%s', (_source, m) => {
    const actual = renderGolden(m.source, toCrlf(m.raw));
    const file = GOLDEN_DIR + m.golden;
    if (update || !existsSync(file)) {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(file, actual);
      if (!update) throw new Error(`golden file ${m.golden} was missing and has been written: review it`);
    }
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });
});

function allParts(root: MimePart): MimePart[] {
  const out: MimePart[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const p = stack.pop() as MimePart;
    out.push(p);
    if (p.children !== undefined) stack.push(...p.children);
    if (p.message !== undefined) stack.push(p.message.root);
  }
  return out;
}

/** Offsets are consistent: inside the message, ordered, and children inside their parent's body. */
function checkOffsets(raw: Buffer, root: MimePart): void {
  expect(root.headerStart).toBe(0);
  expect(root.bodyEnd).toBe(raw.length);
  for (const p of allParts(root)) {
    expect(p.headerStart).toBeLessThanOrEqual(p.bodyStart);
    expect(p.bodyStart).toBeLessThanOrEqual(p.bodyEnd);
    expect(p.bodyEnd).toBeLessThanOrEqual(raw.length);
    const count = raw.subarray(p.bodyStart, p.bodyEnd).filter((b) => b === 10).length;
    expect(p.bodyLines).toBe(count);
    const kids = p.children ?? (p.message !== undefined ? [p.message.root] : []);
    let last = p.bodyStart;
    for (const c of kids) {
      expect(c.headerStart).toBeGreaterThanOrEqual(last);
      expect(c.bodyEnd).toBeLessThanOrEqual(p.bodyEnd);
      last = c.bodyEnd;
    }
  }
}

describe('corpus offsets', () => {
  it.each(messages.map((m) => [m.source, m] as const))('%s: re-slicing reproduces the bytes, as stored and as CRLF', (_s, m) => {
    for (const raw of [m.raw, toCrlf(m.raw)]) {
      const parsed = parseMessageStrict(raw);
      checkOffsets(raw, parsed.root);
      // Header + body of every part is exactly the stored bytes of that range.
      for (const p of allParts(parsed.root)) {
        const slice = raw.subarray(p.headerStart, p.bodyEnd);
        expect(Buffer.concat([raw.subarray(p.headerStart, p.bodyStart), raw.subarray(p.bodyStart, p.bodyEnd)]).equals(slice)).toBe(true);
      }
    }
  });

  it.each(messages.map((m) => [m.source, m] as const))('%s: LF and CRLF storage give the same structure', (_s, m) => {
    if (m.raw.includes(13)) return;
    const lf = parseMessageStrict(m.raw);
    const crlf = parseMessageStrict(toCrlf(m.raw));
    // Map every LF offset to its CRLF offset: each LF before it gained a CR.
    const lfBefore = new Uint32Array(m.raw.length + 1);
    for (let i = 0; i < m.raw.length; i++) lfBefore[i + 1] = (lfBefore[i] as number) + (m.raw[i] === 10 ? 1 : 0);
    const map = (o: number): number => o + (lfBefore[o] as number);
    const a = allParts(lf.root);
    const b = allParts(crlf.root);
    expect(a.length).toBe(b.length);
    a.forEach((p, i) => {
      const q = b[i] as MimePart;
      expect([map(p.headerStart), map(p.bodyStart), map(p.bodyEnd), p.bodyLines, p.type, p.subtype])
        .toEqual([q.headerStart, q.bodyStart, q.bodyEnd, q.bodyLines, q.type, q.subtype]);
    });
  });
});

describe('corpus robustness', () => {
  it('stack-overflow.txt parses (huge address list, no recursion)', () => {
    const m = messages.find((x) => x.source === 'messages/stack-overflow.txt');
    expect(m).toBeDefined();
    const parsed = parseMessageStrict((m as { raw: Buffer }).raw);
    expect(parsed.subject).toBe('Message Subject');
    expect(parsed.to.length).toBe(2);
    expect(parsed.envelope.to?.length).toBe(2);
  });

  // Deterministic pseudo-random cuts and byte flips of every corpus message.
  let seed = 20240601;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const interesting = Buffer.from('-\r\n:;"<>=?\x00\xff ');
  it.each(messages.map((m) => [m.source, m] as const))('%s: truncations and mutations never throw', (_s, m) => {
    const base = toCrlf(m.raw);
    const rounds = base.length > 200_000 ? 3 : 40;
    for (let i = 0; i < rounds; i++) {
      const cut = base.subarray(0, rand(base.length + 1));
      const mutated = Buffer.from(cut);
      for (let k = 0; k < 8 && mutated.length > 0; k++) {
        mutated[rand(mutated.length)] = i % 2 === 0 ? rand(256) : (interesting[rand(interesting.length)] as number);
      }
      for (const raw of [cut, mutated]) {
        const parsed = parseMessageStrict(raw);
        checkOffsets(raw, parsed.root);
        imapBodyStructure(parsed.root, true);
      }
    }
  });
});
