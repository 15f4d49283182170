/**
 * Splits the corpus mbox files into messages, for the golden tests.
 *
 * A "From " line separates messages when it looks like an mbox From_ line: one word after
 * "From " ("From -", Gmail's "From 1844347792267117879@xxx") or a line with a time of day
 * ("From user@host Fri Feb 22 17:06:23 2008"), so the unescaped
 * "From Russia with love" in a body (corpus unmunged.mbox.txt) is body text. A Content-Length
 * header is trusted when it ends exactly at the next From_ line or at the end of the file
 * (corpus content-length.mbox.txt). Nothing is unescaped: bytes are kept as they are.
 */

const SEPARATOR = /^From \S+(?:\s*$|\s.*\b\d{1,2}:\d{2}\b)/;

function lineAt(data: Buffer, pos: number): string {
  const nl = data.indexOf(10, pos);
  return data.toString('latin1', pos, nl < 0 ? data.length : nl);
}

function isSeparator(data: Buffer, pos: number): boolean {
  return data[pos] === 0x46 && SEPARATOR.test(lineAt(data, pos)); // "F"
}

function afterLine(data: Buffer, pos: number): number {
  const nl = data.indexOf(10, pos);
  return nl < 0 ? data.length : nl + 1;
}

/** Offset where the next separator line starts, scanning line by line from `pos`. */
function nextSeparator(data: Buffer, pos: number): number {
  for (let p = pos; p < data.length; p = afterLine(data, p)) {
    if (isSeparator(data, p)) return p;
  }
  return data.length;
}

/** Message end per Content-Length, when it points at a separator or at the end of the file. */
function byContentLength(data: Buffer, start: number): number | null {
  const blank = data.indexOf('\n\n', start);
  if (blank < 0) return null;
  const header = data.toString('latin1', start, blank);
  const m = /^Content-Length:\s*(\d+)\s*$/im.exec(header);
  if (m === null) return null;
  const end = blank + 2 + Number(m[1]);
  if (end === data.length) return end;
  for (const candidate of [end, end + 1]) {
    if (candidate < data.length && isSeparator(data, candidate) && data[candidate - 1] === 10) return candidate;
  }
  return null;
}

export function splitMbox(file: Buffer): Buffer[] {
  const bom = file[0] === 0xef && file[1] === 0xbb && file[2] === 0xbf ? 3 : 0;
  const data = file.subarray(bom);
  const messages: Buffer[] = [];
  let pos = isSeparator(data, 0) ? 0 : nextSeparator(data, 0);
  while (pos < data.length) {
    const start = afterLine(data, pos);
    const next = byContentLength(data, start) ?? nextSeparator(data, start);
    let end = next;
    // The blank line an mbox writer puts before the next From_ line is not part of the message.
    if (next < data.length && data[end - 1] === 10 && data[end - 2] === 10) end--;
    messages.push(data.subarray(start, end));
    pos = next;
  }
  return messages;
}
