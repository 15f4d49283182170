/**
 * RFC 5322 §3.3 date-time to ms since the epoch, with the obsolete forms of §4.3 (two- and
 * three-digit years, alphabetic zones, comments anywhere, missing seconds) and the usual
 * deviations (missing weekday, asctime order "Mon Jan 2 15:04:05 2006", missing zone).
 */

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

// RFC 5322 §4.3 obs-zone. Military zones "SHOULD all be considered equivalent to -0000".
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0,
  edt: -4 * 60, est: -5 * 60, cdt: -5 * 60, cst: -6 * 60, mdt: -6 * 60, mst: -7 * 60, pdt: -7 * 60, pst: -8 * 60,
};

const TIME = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?$/;
const NUMERIC_ZONE = /^([+-])(\d{2})(\d{2})$/;

interface Parts {
  day?: number;
  month?: number;
  year?: number;
  yearDigits?: number;
  h?: number;
  m?: number;
  s?: number;
  zone?: number;
}

function classify(token: string, p: Parts): void {
  const lower = token.toLowerCase();
  const time = TIME.exec(token);
  if (time !== null) {
    p.h = Number(time[1]);
    p.m = Number(time[2]);
    p.s = time[3] === undefined ? 0 : Number(time[3]);
    return;
  }
  const zone = NUMERIC_ZONE.exec(token);
  if (zone !== null && p.zone === undefined && p.h !== undefined) {
    const minutes = Number(zone[2]) * 60 + Number(zone[3]);
    p.zone = zone[1] === '-' ? -minutes : minutes;
    return;
  }
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    if (p.day === undefined && token.length <= 2 && n >= 1 && n <= 31) p.day = n;
    else if (p.year === undefined) {
      p.year = n;
      p.yearDigits = token.length;
    }
    return;
  }
  const month = MONTHS[lower.slice(0, 3)];
  if (month !== undefined && p.month === undefined && /^[a-z]+$/.test(lower)) {
    p.month = month;
    return;
  }
  const named = ZONES[lower];
  if (named !== undefined && p.zone === undefined) {
    p.zone = named;
    return;
  }
  if (p.zone === undefined && p.h !== undefined && /^[a-ik-z]$/.test(lower)) p.zone = 0; // military zone
}

/** Parse a Date header value; null when it is not a recognisable date. */
export function parseDate(value: string | null | undefined): number | null {
  return parseDateWithZone(value)?.ms ?? null;
}

/**
 * A Date header value as the instant (ms since the epoch) and the zone it was written in (minutes
 * east of UTC; 0 when it names none, or a "-0000"/military zone). ms + zone·60000 is the wall-clock
 * time as written, which SEARCH SENT* compares by calendar day (RFC 9051 §6.4.4).
 */
export function parseDateWithZone(value: string | null | undefined): { ms: number; zone: number } | null {
  if (value === null || value === undefined) return null;
  // Comments (RFC 5322 CFWS) carry no meaning here, e.g. "00:19:00 (EDT) -0400".
  // obs-time allows CFWS around ":" (RFC 5322 §4.3, Appendix A.6.3).
  const text = value.replace(/\([^()]*\)/g, ' ').replace(/\s*:\s*/g, ':');
  const p: Parts = {};
  for (const token of text.split(/[\s,]+/)) {
    if (token !== '') classify(token, p);
  }
  if (p.day === undefined || p.month === undefined || p.year === undefined) return null;
  let year = p.year;
  if (p.yearDigits !== undefined && p.yearDigits <= 2) year += year < 50 ? 2000 : 1900; // RFC 5322 §4.3
  else if (p.yearDigits === 3) year += 1900;
  const h = p.h ?? 0;
  const m = p.m ?? 0;
  const s = Math.min(p.s ?? 0, 59); // leap second 60 is stored as :59
  if (h > 23 || m > 59 || year < 100 || year > 9999) return null;
  const days = new Date(Date.UTC(year, p.month + 1, 0)).getUTCDate();
  if (p.day > days) return null;
  const zone = p.zone ?? 0;
  const ms = Date.UTC(year, p.month, p.day, h, m, s) - zone * 60_000;
  return Number.isFinite(ms) ? { ms, zone } : null;
}
