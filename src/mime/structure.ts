/**
 * The MIME part tree with exact byte offsets, built in one forward pass over the raw message.
 *
 * Iterative: open parts live on an explicit stack, so nesting depth costs heap, not call stack.
 * Beyond LIMITS.mime.depth or LIMITS.mime.parts a multipart or message part is an opaque leaf.
 *
 * Offsets follow RFC 2046 §5.1.1: the CRLF (or bare LF) before a delimiter line belongs to the
 * delimiter, so a part's body ends before it. The first delimiter of a multipart (dash-boundary)
 * has no CRLF of its own. A delimiter is recognised when it starts a line and the line begins
 * with "--" + boundary (RFC 2046: "it is sufficient that the boundary appear in its entirety");
 * with several open multiparts the longest matching boundary wins, the innermost on a tie.
 */
import type { MimePart } from './types.js';
import { LIMITS } from '../shared/limits.js';
import { scanHeader, type HeaderFields } from './header.js';
import { buildPart, classify, type PartKind } from './part-fields.js';
import { buildEnvelope } from './envelope.js';

interface Frame {
  part: MimePart;
  depth: number;
  /** LF count of the raw message before part.bodyStart. */
  bodyLf: number;
  /** Boundary bytes while this multipart is open for delimiters; null otherwise. */
  boundary: Buffer | null;
  digest: boolean;
}

interface Hit {
  frame: number;
  close: boolean;
}

interface Opening {
  start: number;
  depth: number;
  /** A body part of a multipart (its header is a MIME header), not the root of a message. */
  bodyPart: boolean;
  digestChild: boolean;
  attach: (part: MimePart, fields: HeaderFields) => void;
}

export interface Structure {
  root: MimePart;
  /** Header fields of the top-level header (first occurrence of each wanted field). */
  fields: HeaderFields;
}

function isWsp(c: number | undefined): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10 || c === undefined;
}

/** Bytes of the line break just before `lineStart` (2 for CRLF, 1 for LF, 0 at offset 0). */
function breakBefore(raw: Buffer, lineStart: number): number {
  if (lineStart === 0 || raw[lineStart - 1] !== 10) return 0;
  return lineStart >= 2 && raw[lineStart - 2] === 13 ? 2 : 1;
}

class Parser {
  private readonly stack: Frame[] = [];
  private readonly len: number;
  private lineNo = 0;
  private pos = 0;
  private parts = 0;
  private open = 0;
  private rootPart: MimePart | null = null;
  private rootFields: HeaderFields = new Map();

  constructor(private readonly raw: Buffer) {
    this.len = raw.length;
  }

  run(): Structure {
    let next: Opening | null = {
      start: 0,
      depth: 0,
      bodyPart: false,
      digestChild: false,
      attach: (part, fields) => {
        this.rootPart = part;
        this.rootFields = fields;
      },
    };
    while (next !== null || this.pos < this.len) {
      next = next !== null ? this.openPart(next) : this.scanLine();
    }
    this.closeAbove(-1, this.len, this.lineNo);
    const root = this.rootPart as MimePart | null;
    if (root === null) throw new Error('unreachable: root part not opened');
    return { root, fields: this.rootFields };
  }

  /** Which open multipart's delimiter, if any, is the line at `p` (which starts with "--")? */
  private readonly boundaryAt = (p: number): Hit | null => {
    const raw = this.raw;
    let best = -1;
    let bestLen = -1;
    for (let f = this.stack.length - 1; f >= 0; f--) {
      const b = (this.stack[f] as Frame).boundary;
      if (b === null || b.length <= bestLen) continue;
      let k = 0;
      while (k < b.length && raw[p + 2 + k] === b[k]) k++;
      if (k < b.length) continue;
      // An empty boundary (invalid, but seen) must match the whole line, not just a prefix.
      if (b.length === 0 && !isWsp(raw[p + 2]) && !(raw[p + 2] === 45 && raw[p + 3] === 45 && isWsp(raw[p + 4]))) continue;
      best = f;
      bestLen = b.length;
    }
    if (best < 0) return null;
    const after = p + 2 + bestLen;
    const close = raw[after] === 45 && raw[after + 1] === 45;
    // Past LIMITS.mime.parts no new parts are started; such delimiter lines stay body text.
    if (!close && this.parts >= LIMITS.mime.parts) return null;
    return { frame: best, close };
  };

  /** Parse a part's header at `o.start` and push it; returns the next part to open, if any. */
  private openPart(o: Opening): Opening | null {
    const h = scanHeader(this.raw, o.start, LIMITS.mime.headerBytes, this.open > 0 ? this.boundaryAt : null, o.bodyPart);
    const built = buildPart(h.fields, o.start, h.bodyStart, o.digestChild);
    const part = built.part;
    this.parts++;
    const kind = classify(built, o.depth, this.parts, LIMITS.mime.depth, LIMITS.mime.parts);
    o.attach(part, h.fields);
    this.lineNo += h.lfs;
    const frame: Frame = { part, depth: o.depth, bodyLf: this.lineNo, boundary: null, digest: false };
    if (h.cut !== null) {
      // The header ran into a delimiter: an empty part. Its line break goes to the delimiter,
      // unless the part starts on the delimiter line itself.
      const lineStart = h.end;
      const brk = lineStart === o.start ? 0 : breakBefore(this.raw, lineStart);
      part.bodyStart = lineStart - brk;
      part.bodyEnd = lineStart - brk;
      part.bodyLines = 0;
      this.emptyContainer(part, kind);
      return this.delimiter(h.cut, lineStart, brk);
    }
    this.pos = h.bodyStart;
    this.stack.push(frame);
    if (kind === 'multipart') {
      frame.boundary = built.boundary;
      frame.digest = part.subtype === 'digest';
      part.children = [];
      this.open++;
      return null;
    }
    if (kind === 'message') {
      return {
        start: h.bodyStart,
        depth: o.depth + 1,
        bodyPart: false,
        digestChild: false,
        attach: (inner, fields) => {
          part.message = { envelope: buildEnvelope(fields), root: inner };
        },
      };
    }
    return null;
  }

  /** Containers that end before their content begins still get a valid (empty) shape. */
  private emptyContainer(part: MimePart, kind: PartKind): void {
    if (kind === 'multipart') part.children = [];
    if (kind === 'message') {
      const at = part.bodyEnd;
      const inner = buildPart(new Map(), at, at, false).part;
      part.message = { envelope: buildEnvelope(new Map()), root: inner };
    }
  }

  /** Advance over one body line, handling a delimiter if it is one. */
  private scanLine(): Opening | null {
    const raw = this.raw;
    const p = this.pos;
    if (this.open === 0) {
      // No delimiter can follow: the rest is body. Count its lines and finish.
      let n = 0;
      for (let i = raw.indexOf(10, p); i >= 0; i = raw.indexOf(10, i + 1)) n++;
      this.lineNo += n;
      this.pos = this.len;
      return null;
    }
    if (raw[p] === 45 && raw[p + 1] === 45) {
      const hit = this.boundaryAt(p);
      if (hit !== null) return this.delimiter(hit, p, breakBefore(raw, p));
    }
    const nl = raw.indexOf(10, p);
    if (nl < 0) {
      this.pos = this.len;
    } else {
      this.lineNo++;
      this.pos = nl + 1;
    }
    return null;
  }

  /**
   * A delimiter line of stack[hit.frame] starts at `lineStart`, and the `brk` bytes of line break
   * before it belong to it: end the parts inside, then start the next part (or the epilogue).
   */
  private delimiter(hit: Hit, lineStart: number, brk: number): Opening | null {
    this.closeAbove(hit.frame, lineStart - brk, brk > 0 ? this.lineNo - 1 : this.lineNo);
    const owner = this.stack[hit.frame] as Frame;
    const nl = this.raw.indexOf(10, lineStart);
    if (nl < 0) {
      this.pos = this.len;
    } else {
      this.lineNo++;
      this.pos = nl + 1;
    }
    if (hit.close) {
      owner.boundary = null; // RFC 2046 §5.1.1: after the close delimiter comes the epilogue
      this.open--;
      return null;
    }
    const children = owner.part.children ?? [];
    return {
      start: this.pos,
      depth: owner.depth + 1,
      bodyPart: true,
      digestChild: owner.digest,
      attach: (part) => {
        children.push(part);
      },
    };
  }

  /** End every open part above stack index `keep` at `end` (LF count `endLf` before it). */
  private closeAbove(keep: number, end: number, endLf: number): void {
    while (this.stack.length - 1 > keep) {
      const f = this.stack.pop() as Frame;
      const part = f.part;
      if (part.bodyStart > end) {
        // The blank line after the header was the delimiter's CRLF: the body is empty.
        part.bodyStart = end;
        f.bodyLf = endLf;
      }
      part.bodyEnd = end;
      part.bodyLines = Math.max(0, endLf - f.bodyLf);
      if (f.boundary !== null) this.open--;
    }
  }
}

/** Build the part tree of `raw`. Never throws on any input. */
export function parseStructure(raw: Buffer): Structure {
  return new Parser(raw).run();
}
