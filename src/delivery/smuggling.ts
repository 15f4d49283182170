/**
 * Line endings in DATA. RFC 5321 §2.3.8: lines end with CRLF and a bare CR or LF MUST NOT be sent.
 * Servers that read "\n.\n" or "\r.\r" as the end of data while others do not let a sender smuggle
 * a second message with a forged sender through them (SMTP smuggling, CVE-2023-51764/51765/51766):
 * Roost ends DATA only on CRLF.CRLF, and refuses any message that contains a bare CR or LF at all, so
 * nothing that another server could read as a terminator is ever accepted or passed on.
 */

export type LineEndingProblem =
  /** A bare CR/LF next to a lone dot: a would-be end of data on some other server. */
  | { kind: 'smuggling'; offset: number }
  | { kind: 'bare-lf'; offset: number }
  | { kind: 'bare-cr'; offset: number };

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

function isBreak(b: number | undefined): boolean {
  return b === CR || b === LF;
}

/** Whether the bare CR/LF at `p` is part of a "<break>.<break>" sequence. */
function nearLoneDot(data: Buffer, p: number): boolean {
  return (data[p + 1] === DOT && isBreak(data[p + 2])) || (data[p - 1] === DOT && isBreak(data[p - 2]));
}

/** The first bare CR or LF in `data` (message content after dot-unstuffing), or null when all end in CRLF. */
export function findLineEndingProblem(data: Buffer): LineEndingProblem | null {
  let p = 0;
  while (p < data.length) {
    const cr = data.indexOf(CR, p);
    const lf = data.indexOf(LF, p);
    if (cr < 0 && lf < 0) return null;
    if (lf >= 0 && (cr < 0 || lf < cr)) {
      // An LF before any CR: not preceded by the CR of a CRLF (that case is consumed below).
      return { kind: nearLoneDot(data, lf) ? 'smuggling' : 'bare-lf', offset: lf };
    }
    if (data[cr + 1] !== LF) return { kind: nearLoneDot(data, cr) ? 'smuggling' : 'bare-cr', offset: cr };
    p = cr + 2;
  }
  return null;
}

/** The reply text for a problem (RFC 5321 §2.3.8). */
export function lineEndingMessage(problem: LineEndingProblem): string {
  switch (problem.kind) {
    case 'smuggling':
      return '5.6.0 Message refused: a lone "." between bare line breaks (SMTP smuggling); lines must end with CRLF';
    case 'bare-lf':
      return '5.6.0 Message refused: bare LF in message; lines must end with CRLF (RFC 5321 2.3.8)';
    case 'bare-cr':
      return '5.6.0 Message refused: bare CR in message; lines must end with CRLF (RFC 5321 2.3.8)';
  }
}
