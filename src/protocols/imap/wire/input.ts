/**
 * The parser's input: received chunks not yet consumed, read as lines or counted bytes.
 * Lines that fit in one chunk are returned as views of it (no copy); discarded input keeps only
 * its last TAIL_BYTES bytes, so a hostile endless line costs no memory.
 */

const TAIL_BYTES = 64;

/** readLine() found a line longer than the limit; its bytes so far are discarded. */
export interface Overflow {
  /** The first piece of the line (to read the tag from). */
  readonly head: Buffer;
  /** The line's LF was consumed too (otherwise skipLine() must finish it). */
  readonly complete: boolean;
}

export class InputQueue {
  private queue: Buffer[] = [];
  private qpos = 0;
  private lineParts: Buffer[] = [];
  private lineLen = 0;
  private tailBuf = Buffer.alloc(TAIL_BYTES);
  private tailLen = 0;

  push(chunk: Buffer): void {
    if (chunk.length > 0) this.queue.push(chunk);
  }

  /** Unconsumed bytes, including a partial line. */
  get size(): number {
    let n = this.lineLen - this.qpos;
    for (const c of this.queue) n += c.length;
    return n;
  }

  clear(): void {
    this.queue = [];
    this.qpos = 0;
    this.lineParts = [];
    this.lineLen = 0;
  }

  /** Remove and return every unconsumed byte. */
  takeAll(): Buffer {
    const parts = [...this.lineParts];
    const first = this.queue[0];
    if (first !== undefined) parts.push(first.subarray(this.qpos), ...this.queue.slice(1));
    this.clear();
    return Buffer.concat(parts);
  }

  private advance(chunk: Buffer, n: number): void {
    this.qpos += n;
    if (this.qpos === chunk.length) {
      this.queue.shift();
      this.qpos = 0;
    }
  }

  /**
   * The next complete line without CRLF (a bare LF also ends a line), null when incomplete, or an
   * Overflow when it is longer than `limit` octets.
   */
  readLine(limit: number): Buffer | Overflow | null {
    for (;;) {
      const chunk = this.queue[0];
      if (chunk === undefined) return null;
      const start = this.qpos;
      const lf = chunk.indexOf(0x0a, start);
      const pieceEnd = lf === -1 ? chunk.length : lf;
      // limit + 1 leaves room for the CR.
      if (this.lineLen + (pieceEnd - start) > limit + 1) return this.overflow(chunk.subarray(start));
      if (lf === -1) {
        this.lineParts.push(chunk.subarray(start));
        this.lineLen += chunk.length - start;
        this.advance(chunk, chunk.length - start);
        continue;
      }
      let line: Buffer;
      if (this.lineParts.length === 0) line = chunk.subarray(start, lf);
      else {
        this.lineParts.push(chunk.subarray(start, lf));
        line = Buffer.concat(this.lineParts, this.lineLen + lf - start);
        this.lineParts = [];
        this.lineLen = 0;
      }
      this.advance(chunk, lf + 1 - start);
      const len = line.length > 0 && line[line.length - 1] === 0x0d ? line.length - 1 : line.length;
      if (len > limit) {
        this.resetTail();
        this.keepTail(line, 0, line.length);
        return { head: line, complete: true };
      }
      return len === line.length ? line : line.subarray(0, len);
    }
  }

  private overflow(rest: Buffer): Overflow {
    const head = this.lineParts[0] ?? rest;
    this.resetTail();
    for (const p of this.lineParts) this.keepTail(p, 0, p.length);
    this.lineParts = [];
    this.lineLen = 0;
    return { head, complete: false };
  }

  /** Move up to `n` bytes into `out` (views, no copy); returns how many. */
  readBytes(n: number, out: Buffer[]): number {
    let done = 0;
    while (done < n) {
      const chunk = this.queue[0];
      if (chunk === undefined) break;
      const k = Math.min(chunk.length - this.qpos, n - done);
      out.push(chunk.subarray(this.qpos, this.qpos + k));
      this.advance(chunk, k);
      done += k;
    }
    return done;
  }

  /** Discard up to `n` bytes; returns how many. */
  skipBytes(n: number): number {
    let done = 0;
    while (done < n) {
      const chunk = this.queue[0];
      if (chunk === undefined) break;
      const k = Math.min(chunk.length - this.qpos, n - done);
      this.advance(chunk, k);
      done += k;
    }
    return done;
  }

  /** Discard through the next LF, remembering the tail of the line; false when no LF arrived yet. */
  skipLine(): boolean {
    for (;;) {
      const chunk = this.queue[0];
      if (chunk === undefined) return false;
      const start = this.qpos;
      const lf = chunk.indexOf(0x0a, start);
      this.keepTail(chunk, start, lf === -1 ? chunk.length : lf);
      if (lf === -1) {
        this.advance(chunk, chunk.length - start);
        continue;
      }
      this.advance(chunk, lf + 1 - start);
      return true;
    }
  }

  resetTail(): void {
    this.tailLen = 0;
  }

  /** The last bytes of the discarded line (CR removed) and whether they are all of it. */
  tail(): { buf: Buffer; len: number; truncated: boolean } {
    let len = this.tailLen;
    if (len > 0 && this.tailBuf[len - 1] === 0x0d) len--;
    return { buf: this.tailBuf, len, truncated: this.tailLen === TAIL_BYTES };
  }

  private keepTail(b: Buffer, start: number, end: number): void {
    const n = end - start;
    if (n >= TAIL_BYTES) {
      b.copy(this.tailBuf, 0, end - TAIL_BYTES, end);
      this.tailLen = TAIL_BYTES;
      return;
    }
    const keep = Math.min(this.tailLen, TAIL_BYTES - n);
    this.tailBuf.copy(this.tailBuf, 0, this.tailLen - keep, this.tailLen);
    b.copy(this.tailBuf, keep, start, end);
    this.tailLen = keep + n;
  }
}
