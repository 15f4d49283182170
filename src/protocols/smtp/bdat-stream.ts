/**
 * smtp-server's command parser with a second data mode for BDAT (RFC 3030 §2): exactly N octets taken
 * as they are (no dot-stuffing, no end-of-data sequence, no line handling), then back to commands.
 *
 * It reuses the parser's own switch into data mode: a command handler that turns data mode on makes
 * the parser hand it everything after the command line (and every later socket chunk) through
 * _feedDataStream. What follows the octets is parsed as commands again only once the BDAT's reply
 * is out (`resume`), so pipelined commands (RFC 2920) are answered in order.
 */
import { SMTPStream } from 'smtp-server/lib/smtp-stream.js';

type Next = (err?: Error | null) => void;

interface OctetRead {
  remaining: number;
  /** Gets the octets in order, as they arrive. */
  sink: (octets: Buffer) => void;
  /** All octets are in; the parser reads commands again when `resume` is called. */
  end: (resume: () => void) => void;
}

export class ChunkingStream extends SMTPStream {
  private octets: OctetRead | null = null;

  /** Reads the next `size` (> 0) octets into `sink`, then calls `end`. */
  readOctets(size: number, sink: OctetRead['sink'], end: OctetRead['end']): void {
    this.octets = { remaining: size, sink, end };
    this._dataMode = true;
  }

  override _feedDataStream(chunk: Buffer, done: Next): void {
    const read = this.octets;
    if (read === null) {
      super._feedDataStream(chunk, done);
      return;
    }
    const take = Math.min(read.remaining, chunk.length);
    if (take > 0) read.sink(chunk.subarray(0, take));
    read.remaining -= take;
    if (read.remaining > 0) {
      done();
      return;
    }
    // Back to command mode, but the parser takes no more input until `resume`: the rest of this
    // chunk waits here and the next socket chunks wait in the Writable's buffer.
    this.octets = null;
    this._dataMode = false;
    const rest = chunk.subarray(take);
    let resumed = false;
    read.end(() => {
      if (resumed) return;
      resumed = true;
      this._write(rest, 'buffer', done);
    });
  }
}
