/**
 * IMAP dates: "date" of SEARCH keys and "date-time" of APPEND / INTERNALDATE (RFC 9051 §9).
 *   date      = date-day "-" date-month "-" date-year           (e.g. 1-Feb-1994)
 *   date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
 * Month names are case-insensitive like all IMAP tokens.
 */
import type { DateTime, SearchDate } from './types.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const MONTH_INDEX = new Map<string, number>(MONTHS.map((m, i) => [m.toUpperCase(), i + 1]));

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 0x30; // NaN past the end
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Parse "d-Mon-yyyy" / "dd-Mon-yyyy". With `fixed` (date-time form) the day may also be
 * " d" (date-day-fixed). Returns the date and the index after it, or null.
 */
function parseDatePart(s: string, fixed: boolean): { date: SearchDate; next: number } | null {
  let i: number;
  let day: number;
  if (fixed && s.charCodeAt(0) === 0x20) {
    day = digits(s, 1, 1);
    i = 2;
  } else if (s.charCodeAt(1) === 0x2d /* - */) {
    day = digits(s, 0, 1);
    i = 1;
  } else {
    day = digits(s, 0, 2);
    i = 2;
  }
  if (day < 1 || s.charCodeAt(i) !== 0x2d) return null;
  const month = MONTH_INDEX.get(s.slice(i + 1, i + 4).toUpperCase());
  if (month === undefined || s.charCodeAt(i + 4) !== 0x2d) return null;
  const year = digits(s, i + 5, 4);
  if (year < 0) return null;
  if (day > daysInMonth(year, month)) return null;
  return { date: { year, month, day }, next: i + 9 };
}

/** Parse a SEARCH date ("1-Feb-1994"); null when invalid (including impossible days like 31-Feb). */
export function parseSearchDate(s: string): SearchDate | null {
  const r = parseDatePart(s, false);
  return r !== null && r.next === s.length ? r.date : null;
}

/** Parse the inside of a date-time string ("17-Jul-1996 02:44:25 -0700"); null when invalid. */
export function parseDateTime(s: string): DateTime | null {
  const d = parseDatePart(s, true);
  if (d === null) return null;
  const i = d.next;
  // SP hh:mm:ss SP (+|-)hhmm
  if (s.length !== i + 15 || s.charCodeAt(i) !== 0x20 || s.charCodeAt(i + 3) !== 0x3a || s.charCodeAt(i + 6) !== 0x3a) {
    return null;
  }
  const hh = digits(s, i + 1, 2);
  const mm = digits(s, i + 4, 2);
  const ss = digits(s, i + 7, 2);
  if (s.charCodeAt(i + 9) !== 0x20) return null;
  const sign = s.charCodeAt(i + 10);
  const zh = digits(s, i + 11, 2);
  const zm = digits(s, i + 13, 2);
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60 || zh < 0 || zm < 0 || zm > 59) return null;
  if (sign !== 0x2b && sign !== 0x2d) return null;
  const offsetMinutes = (sign === 0x2d ? -1 : 1) * (zh * 60 + zm);
  const { year, month, day } = d.date;
  const local = Date.UTC(year, month - 1, day, hh, mm, Math.min(ss, 59));
  return { utcMs: local - offsetMinutes * 60_000, offsetMinutes };
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Format as the inside of a date-time string: "17-Jul-1996 02:44:25 -0700" (no quotes). */
export function formatDateTime(t: DateTime | Date): string {
  const utcMs = t instanceof Date ? t.getTime() : t.utcMs;
  const offset = t instanceof Date ? 0 : t.offsetMinutes;
  const d = new Date(utcMs + offset * 60_000);
  const abs = Math.abs(offset);
  const zone = (offset < 0 ? '-' : '+') + pad2(Math.floor(abs / 60)) + pad2(abs % 60);
  return (
    pad2(d.getUTCDate()) +
    '-' +
    MONTHS[d.getUTCMonth()]! +
    '-' +
    String(d.getUTCFullYear()).padStart(4, '0') +
    ' ' +
    pad2(d.getUTCHours()) +
    ':' +
    pad2(d.getUTCMinutes()) +
    ':' +
    pad2(d.getUTCSeconds()) +
    ' ' +
    zone
  );
}

/** Format a SEARCH-style date "1-Feb-1994". */
export function formatSearchDate(d: SearchDate): string {
  return `${d.day}-${MONTHS[d.month - 1]!}-${String(d.year).padStart(4, '0')}`;
}
