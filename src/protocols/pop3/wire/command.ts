/**
 * POP3 command lines (RFC 1939 §3): a keyword of 3–4 letters, case-insensitive, then arguments
 * separated by single spaces. Pure: a line in (CRLF already removed), a typed command or an error out.
 * USER and PASS take the rest of the line as one argument (RFC 1939 §7 notes passwords may contain
 * spaces); SASL answers during AUTH are not commands and never come here.
 */

type Bare<N extends string> = N extends string ? { name: N } : never;
type WithArg<N extends string> = N extends string ? { name: N; arg: string } : never;
type WithOptionalMsg<N extends string> = N extends string ? { name: N; msg: number | null } : never;
type WithMsg<N extends string> = N extends string ? { name: N; msg: number } : never;

export type Pop3Command =
  | Bare<'CAPA' | 'STLS' | 'UTF8' | 'QUIT' | 'STAT' | 'NOOP' | 'RSET'>
  | WithArg<'USER' | 'PASS' | 'APOP'>
  | { name: 'AUTH'; mechanism: string | null; initial: string | null }
  | WithOptionalMsg<'LIST' | 'UIDL'>
  | WithMsg<'RETR' | 'DELE'>
  | { name: 'TOP'; msg: number; lines: number };

export type ParsedLine = { ok: true; command: Pop3Command } | { ok: false; error: string };

const NO_ARGS = new Set(['CAPA', 'STLS', 'UTF8', 'QUIT', 'STAT', 'NOOP', 'RSET']);

/** A message number or line count: plain decimal digits, no sign, within 32 bits. */
export function parseNumber(s: string | undefined): number | null {
  if (s === undefined || !/^[0-9]{1,10}$/.test(s)) return null;
  const n = Number(s);
  return n <= 0xffffffff ? n : null;
}

export function parseCommand(line: string): ParsedLine {
  const space = line.indexOf(' ');
  const keyword = (space < 0 ? line : line.slice(0, space)).toUpperCase();
  const rest = space < 0 ? '' : line.slice(space + 1);
  if (keyword === '') return { ok: false, error: 'Empty command' };
  if (NO_ARGS.has(keyword)) {
    if (rest !== '') return { ok: false, error: `${keyword} takes no arguments` };
    return { ok: true, command: { name: keyword } as Pop3Command };
  }
  const args = rest === '' ? [] : rest.split(' ');
  switch (keyword) {
    case 'USER':
    case 'PASS':
    case 'APOP':
      if (rest === '') return { ok: false, error: `${keyword} needs an argument` };
      return { ok: true, command: { name: keyword, arg: rest } };
    case 'AUTH':
      // RFC 5034 §4: AUTH [mechanism [initial-response]]; bare AUTH lists the mechanisms (RFC 1734 practice).
      if (args.length > 2 || args.some((a) => a === '')) return { ok: false, error: 'Syntax: AUTH mechanism [initial-response]' };
      return { ok: true, command: { name: 'AUTH', mechanism: args[0] ?? null, initial: args[1] ?? null } };
    case 'LIST':
    case 'UIDL': {
      if (args.length === 0) return { ok: true, command: { name: keyword, msg: null } };
      const msg = args.length === 1 ? parseNumber(args[0]) : null;
      if (msg === null) return { ok: false, error: `Syntax: ${keyword} [message-number]` };
      return { ok: true, command: { name: keyword, msg } };
    }
    case 'RETR':
    case 'DELE': {
      const msg = args.length === 1 ? parseNumber(args[0]) : null;
      if (msg === null) return { ok: false, error: `Syntax: ${keyword} message-number` };
      return { ok: true, command: { name: keyword, msg } };
    }
    case 'TOP': {
      const msg = args.length === 2 ? parseNumber(args[0]) : null;
      const lines = args.length === 2 ? parseNumber(args[1]) : null;
      if (msg === null || lines === null) return { ok: false, error: 'Syntax: TOP message-number lines' };
      return { ok: true, command: { name: 'TOP', msg, lines } };
    }
    default:
      return { ok: false, error: 'Unknown command' };
  }
}
